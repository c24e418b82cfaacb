/**
 * Factories shared by the seed and the tests (one column mapping, so a test product looks like a seeded one).
 * Each insert goes through the same column mapping, so a test product looks like a seeded one.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../types.ts';
import { brands, categories, creators, products, variants } from '../schema/index.ts';
import type { ProductSeed, VariantSeed } from './types.ts';

let counter = 0;
const next = () => ++counter;

async function upsertBrand(db: DbOrTx, slug: string, name?: string): Promise<number> {
  const found = await db.select({ id: brands.id }).from(brands).where(eq(brands.slug, slug)).get();
  if (found) return found.id;
  const row = await db.insert(brands).values({ slug, name: name ?? titleCase(slug) }).returning({ id: brands.id }).get();
  return row.id;
}

async function upsertCategory(db: DbOrTx, slug: string, name?: string, position = 0): Promise<number> {
  const found = await db.select({ id: categories.id }).from(categories).where(eq(categories.slug, slug)).get();
  if (found) return found.id;
  const row = await db
    .insert(categories)
    .values({ slug, name: name ?? titleCase(slug), position })
    .returning({ id: categories.id })
    .get();
  return row.id;
}

export { upsertBrand, upsertCategory };

function titleCase(slug: string): string {
  return slug
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

export interface MadeProduct {
  id: number;
  slug: string;
  variants: { id: number; sku: string }[];
}

/** Inserts a product with its variants. Brand and category are created on first use. */
export async function insertProduct(db: DbOrTx, seed: ProductSeed, createdAt = Date.UTC(2026, 0, 1)): Promise<MadeProduct> {
  const brandId = await upsertBrand(db, seed.brand);
  const categoryId = await upsertCategory(db, seed.category);
  const product = await db
    .insert(products)
    .values({
      slug: seed.slug,
      name: seed.name,
      brandId,
      categoryId,
      description: seed.description,
      imagePath: seed.image,
      active: seed.active ?? true,
      createdAt,
    })
    .returning({ id: products.id })
    .get();
  const made: MadeProduct = { id: product.id, slug: seed.slug, variants: [] };
  for (const [position, v] of seed.variants.entries()) {
    const row = await db
      .insert(variants)
      .values({
        productId: product.id,
        sku: v.sku,
        size: v.size ?? null,
        colour: v.colour ?? null,
        colourHex: v.colourHex ?? null,
        imagePath: v.image ?? null,
        priceCents: v.priceCents,
        compareAtCents: v.compareAtCents ?? null,
        stockOnHand: v.stock,
        position,
        active: v.active ?? true,
      })
      .returning({ id: variants.id })
      .get();
    made.variants.push({ id: row.id, sku: v.sku });
  }
  return made;
}

/**
 * A product with sensible defaults for tests; override anything.
 * @example await makeProduct(db, { slug: 'tee', variants: [makeVariant({ stock: 2 })] })
 */
export async function makeProduct(db: DbOrTx, overrides: Partial<ProductSeed> = {}): Promise<MadeProduct> {
  const n = next();
  const slug = overrides.slug ?? `test-product-${n}`;
  return insertProduct(db, {
    slug,
    name: `Test Product ${n}`,
    brand: 'test-brand',
    category: 'tops',
    description: 'A product made by the test factory.',
    image: '/images/products/placeholder.svg',
    variants: overrides.variants ?? [makeVariant({ sku: `${slug.toUpperCase()}-M` })],
    ...overrides,
  });
}

export function makeVariant(overrides: Partial<VariantSeed> = {}): VariantSeed {
  const n = next();
  return { sku: `SKU-${n}`, size: 'M', priceCents: 4900, stock: 10, ...overrides };
}

export async function makeCreator(db: DbOrTx, overrides: { handle?: string; displayName?: string } = {}) {
  const n = next();
  const handle = overrides.handle ?? `creator-${n}`;
  return db
    .insert(creators)
    .values({ handle, displayName: overrides.displayName ?? `Creator ${n}`, createdAt: Date.UTC(2026, 0, 1) })
    .returning()
    .get();
}
