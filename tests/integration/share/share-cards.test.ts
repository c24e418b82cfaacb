/**
 * Share cards through the workflows on a real migrated database (ADR 0054): a post's and a
 * product's card render as 1200×630 PNGs; a CJK title is drawn with real glyphs; the QR code read
 * back from the PNG's pixels is the credited link; a price change is a new card; unknown → null.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import QRCode from 'qrcode';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { variants } from '../../../db/schema/index.ts';
import { ensureCreatorCodes } from '../../../src/server/commissions/index.ts';
import {
  postShareCard,
  postShareLink,
  productShareCard,
  productShareLink,
  shareCardPng,
  shareImageLoader,
  shareLabel,
  type App,
  type SharePost,
} from '../../../src/server/flows/index.ts';
import satori from 'satori';
import { CARD_BOXES, CardPngCache, cardFonts, cardKey, cardLayout, cardTexts, qrGeometry, renderCard, type ImageLoader } from '../../../src/server/share/index.ts';

const PUBLIC = join(import.meta.dirname, '../../../public');
let db: Db;
let app: App;
let images: ImageLoader;
let code: string;
let creator: { id: number; handle: string; displayName: string };
const cache = new CardPngCache(64 * 1024 * 1024);

async function pixels(png: Uint8Array) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Reads the QR code back from the card's pixels: one sample at the centre of each module. */
async function readQr(png: Uint8Array, size: number): Promise<boolean[][]> {
  const { data, width } = await pixels(png);
  const { scale, offset } = qrGeometry(size);
  const rows: boolean[][] = [];
  for (let r = 0; r < size; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < size; c++) {
      const x = CARD_BOXES.qr.left + offset + c * scale + Math.floor(scale / 2);
      const y = CARD_BOXES.qr.top + offset + r * scale + Math.floor(scale / 2);
      const i = (y * width + x) * 3;
      row.push(data[i]! + data[i + 1]! + data[i + 2]! < 3 * 128);
    }
    rows.push(row);
  }
  return rows;
}

function expected(link: string): boolean[][] {
  const m = QRCode.create(link, { errorCorrectionLevel: 'M' }).modules;
  return Array.from({ length: m.size }, (_, r) => Array.from({ length: m.size }, (_, c) => Boolean(m.get(r, c))));
}

const post = (over: Partial<SharePost> = {}): SharePost => ({
  slug: 'autumn-capsule-wardrobe',
  title: 'The autumn capsule wardrobe',
  kindLabel: 'Styling guide',
  heroSrc: '/images/posts/autumn-capsule-wardrobe.svg',
  creator: { handle: creator.handle, name: creator.displayName, avatar: '/images/creators/maya-okafor.svg' },
  productSlugs: [],
  ...over,
});

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  images = shareImageLoader(app, async (rel) => {
    try {
      return new Uint8Array(await readFile(join(PUBLIC, rel)));
    } catch {
      return null;
    }
  });
  creator = await makeCreator(db, { handle: 'ana-share', displayName: 'Ana Share' });
  code = (await ensureCreatorCodes(db, creator.id)).referralCode;
});

describe('share links', () => {
  it("a post is shared with its creator's referral link to it", async () => {
    const link = await postShareLink(app, post());
    expect(link.url).toBe(`${new URL(app.config.shop.siteUrl).origin}/r/${code}?to=%2Fposts%2Fautumn-capsule-wardrobe`);
    expect(link.credits).toEqual({ id: creator.id, handle: 'ana-share', name: 'Ana Share', code });
    expect(shareLabel(link, { creatorId: creator.id })).toBe('Share — credits Ana');
    expect(shareLabel(link, { creatorId: null })).toBe('Share');
    expect(shareLabel(link, null)).toBe('Share');
  });

  it("a product: the viewing creator's own link, else the plain address", async () => {
    expect((await productShareLink(app, 'wool-coat', null)).url).toBe(new URL('/products/wool-coat', app.config.shop.siteUrl).href);
    expect((await productShareLink(app, 'wool-coat', { creatorId: creator.id })).url).toContain(`/r/${code}?to=%2Fproducts%2Fwool-coat`);
  });
});

describe('post and product cards', () => {
  it('render a post card: a 1200×630 PNG whose QR code is the credited link', async () => {
    const p = await makeProduct(db, { slug: 'share-coat', name: 'Share coat', variants: [makeVariant({ priceCents: 12_800, compareAtCents: 16_000 })] });
    const plan = await postShareCard(app, post({ productSlugs: [p.slug] }));
    expect(plan.content.price?.now).toBe('From $128.00');
    const card = await shareCardPng(plan, { images, cache });
    const meta = await sharp(card.png).metadata();
    expect(meta.format).toBe('png');
    expect([meta.width, meta.height]).toEqual([1200, 630]);
    const want = expected(plan.content.link);
    expect(await readQr(card.png, want.length)).toEqual(want);
  });

  it('render a product card with its live price, and a price change makes a new card', async () => {
    const p = await makeProduct(db, { slug: 'share-knit', name: 'Merino crewneck', variants: [makeVariant({ priceCents: 9_800 })] });
    const before = await productShareCard(app, p.slug);
    expect(before).not.toBeNull();
    expect(before!.content.price).toEqual({ now: '$98.00', was: null, note: null });
    const a = await shareCardPng(before!, { images, cache });
    expect((await sharp(a.png).metadata()).width).toBe(1200);
    const want = expected(new URL('/products/share-knit', app.config.shop.siteUrl).href);
    expect(await readQr(a.png, want.length)).toEqual(want);

    await db.update(variants).set({ priceCents: 7_800, compareAtCents: 9_800 }).where(eq(variants.id, p.variants[0]!.id));
    const after = await productShareCard(app, p.slug);
    expect(after!.content.price).toEqual({ now: '$78.00', was: '$98.00', note: 'Save $20.00' });
    expect(cardKey(after!.content)).not.toBe(cardKey(before!.content));
    const b = await shareCardPng(after!, { images, cache });
    expect(b.key).not.toBe(a.key);
    expect(Buffer.compare(Buffer.from(a.png), Buffer.from(b.png))).not.toBe(0);
  });

  it('a creator viewing gets a card with their own link and name', async () => {
    await makeProduct(db, { slug: 'share-bag', name: 'Tote', variants: [makeVariant({ priceCents: 5_000 })] });
    const plan = await productShareCard(app, 'share-bag', { via: { code: code.toLowerCase(), profiles: () => undefined } });
    expect(plan!.content.link).toContain(`/r/${code}?to=%2Fproducts%2Fshare-bag`);
    expect(plan!.content.creator?.name).toBe('Ana Share');
    expect(await productShareCard(app, 'share-bag', { via: { code: 'NOSUCHCODE', profiles: () => undefined } })).toBeNull();
  });

  it('an unknown or retired product has no card', async () => {
    expect(await productShareCard(app, 'no-such-product')).toBeNull();
    const gone = await makeProduct(db, { slug: 'share-gone', active: false });
    expect(await productShareCard(app, gone.slug)).toBeNull();
  });

  it('a CJK title is drawn with glyphs: it differs substantially from the same string with Latin fonts only', async () => {
    const plan = await postShareCard(app, post({ title: '秋冬 Capsule 胶囊衣橱' }));
    const real = await pixels((await renderCard(plan.content, images)).png);
    const fonts = await cardFonts(cardTexts(plan.content));
    expect(fonts.fonts.filter((f) => f.name.startsWith('Noto Sans SC')).length).toBeGreaterThanOrEqual(2);
    // The same layout and string with the Noto subsets taken away: no font has 秋冬胶囊衣橱.
    const latinOnly = { fonts: fonts.fonts.filter((f) => !f.name.startsWith('Noto')), family: Object.fromEntries(Object.entries(fonts.family).map(([k, v]) => [k, v.split(', ').filter((n) => !n.includes('Noto')).join(', ')])) as typeof fonts.family };
    const svg = await satori(cardLayout(plan.content, latinOnly) as never, { width: 1200, height: 630, fonts: latinOnly.fonts });
    const fallback = await pixels(await sharp(Buffer.from(svg)).removeAlpha().png().toBuffer());
    let differ = 0;
    let inkReal = 0;
    let inkFallback = 0;
    for (let y = 90; y < 330; y++)
      for (let x = 516; x < 1144; x++) {
        const i = (y * 1200 + x) * 3;
        if (Math.abs(real.data[i]! - fallback.data[i]!) > 64) differ++;
        if (real.data[i]! < 100) inkReal++;
        if (fallback.data[i]! < 100) inkFallback++;
      }
    // Without the subsets satori draws empty boxes (.notdef); with them, the glyphs.
    expect(differ).toBeGreaterThan(5_000);
    expect(inkReal).toBeGreaterThan(inkFallback);
  });
});
