/**
 * What an e2e test creates for itself in the server's database, through the factories and server
 * functions the seed uses — so no test depends on another one, on the order they run in, or on
 * what the seed happens to leave in stock. Every name is unique per call.
 *
 * @example
 *   const bag = await e2eProduct({ stock: 1 });           // a fresh product, one unit on hand
 *   await page.goto(`/products/${bag.slug}`);
 *   const sam = await e2eCreator();                        // a fresh creator with a login and a code
 *   await reader.goto(`/r/${sam.code}?to=/products/leather-belt`);
 */
import { eq } from 'drizzle-orm';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { DEMO_CREATOR_PASSWORD } from '../../../scripts/seed/fixtures.ts';
import { creators, variants } from '../../../db/schema/index.ts';
import { createUser } from '../../../src/server/auth/index.ts';
import { bumpCatalogVersion } from '../../../src/server/catalog/index.ts';
import { e2eDb } from './browser.ts';

let n = 0;
/** A short tag unique to this call (time + counter), lower-case letters and digits. */
export function uniqueTag(): string {
  return `${Date.now().toString(36)}${(++n).toString(36)}`;
}

export interface E2eProduct {
  slug: string;
  name: string;
  sku: string;
  priceCents: number;
}

/**
 * A new one-size product in the seed's "bags" category, with `stock` units on hand. The catalog
 * version is bumped in the same transaction, as every catalog write does, so no cached page hides it.
 */
export async function e2eProduct(o: { stock: number; priceCents?: number; name?: string }): Promise<E2eProduct> {
  const db = await e2eDb();
  const tag = uniqueTag();
  const slug = `e2e-bag-${tag}`;
  const name = o.name ?? `Test Bag ${tag.toUpperCase()}`;
  const sku = `E2E-${tag.toUpperCase()}`;
  const priceCents = o.priceCents ?? 4900;
  await db.transaction(async (tx) => {
    await makeProduct(tx, {
      slug,
      name,
      brand: 'oro-studio',
      category: 'bags',
      image: '/images/products/canvas-market-tote-black.svg',
      variants: [makeVariant({ sku, size: 'One size', priceCents, stock: o.stock })],
    });
    await bumpCatalogVersion(tx);
  });
  return { slug, name, sku, priceCents };
}

export interface E2eCreator {
  id: number;
  handle: string;
  displayName: string;
  /** Referral code, as used in /r/<code>. */
  code: string;
  email: string;
  password: string;
}

/** A new creator with a referral code and a creator login, starting from zero (no clicks, no sales). */
export async function e2eCreator(): Promise<E2eCreator> {
  const db = await e2eDb();
  const tag = uniqueTag();
  const handle = `e2e-creator-${tag}`;
  const displayName = `Creator ${tag.toUpperCase()}`;
  const code = `E2E${tag.toUpperCase()}`;
  const made = await makeCreator(db, { handle, displayName });
  await db.update(creators).set({ referralCode: code, createdAt: Date.now() }).where(eq(creators.id, made.id));
  const email = `${handle}@example.com`;
  const user = await createUser(db, { email, password: DEMO_CREATOR_PASSWORD, role: 'creator', creatorHandle: handle });
  if (!user.ok) throw new Error(`could not create the creator login: ${user.message}`);
  return { id: made.id, handle, displayName, code, email, password: DEMO_CREATOR_PASSWORD };
}

/**
 * Puts `stock` units on hand for each SKU (bumping the catalog version in the same transaction, so
 * cached pages follow) and returns a function that puts the previous figures back — call it in a
 * `finally`. For tests that need a seeded piece sold out or low, whatever ran before them.
 */
export async function setStock(stock: Record<string, number>): Promise<() => Promise<void>> {
  const db = await e2eDb();
  const write = async (values: Record<string, number>) => {
    await db.transaction(async (tx) => {
      for (const [sku, n] of Object.entries(values)) {
        const done = await tx.update(variants).set({ stockOnHand: n }).where(eq(variants.sku, sku)).returning({ id: variants.id });
        if (done.length !== 1) throw new Error(`no variant ${sku}`);
      }
      await bumpCatalogVersion(tx);
    });
  };
  const before: Record<string, number> = {};
  for (const sku of Object.keys(stock)) {
    const row = await db.select({ n: variants.stockOnHand }).from(variants).where(eq(variants.sku, sku)).get();
    if (!row) throw new Error(`no variant ${sku}`);
    before[sku] = row.n;
  }
  await write(stock);
  return () => write(before);
}

export interface E2eTwoSizeProduct {
  id: number;
  slug: string;
  name: string;
  /** SKUs of size S and size M. */
  skus: { S: string; M: string };
  tag: string;
}

/**
 * A new product in sizes S and M (the seed's "bags" category) with `stock` units of each, the
 * catalog version bumped in the same transaction. `name` is prefixed to a unique tag.
 */
export async function e2eTwoSizeProduct(o: { name: string; stock: number; priceCents?: number }): Promise<E2eTwoSizeProduct> {
  const db = await e2eDb();
  const tag = uniqueTag();
  const slug = `e2e-${o.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${tag}`;
  const name = `${o.name} ${tag.toUpperCase()}`;
  const skus = { S: `E2E-${tag.toUpperCase()}-S`, M: `E2E-${tag.toUpperCase()}-M` };
  const id = await db.transaction(async (tx) => {
    const made = await makeProduct(tx, {
      slug,
      name,
      brand: 'oro-studio',
      category: 'bags',
      image: '/images/products/canvas-market-tote-black.svg',
      variants: (['S', 'M'] as const).map((size) => makeVariant({ sku: skus[size], size, priceCents: o.priceCents ?? 6400, stock: o.stock })),
    });
    await bumpCatalogVersion(tx);
    return made.id;
  });
  return { id, slug, name, skus, tag };
}
