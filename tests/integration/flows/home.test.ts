/** The home page's trending strip: sold in the last 7 days first, then most featured, only buyable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { applyPaymentEvent, trendingProducts } from '../../../src/server/flows/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import type { PostSummary } from '../../../src/server/content/index.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { fillBag, placeTestOrder } from '../../helpers/checkout.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);
let db: Db;

async function sell(sku: string, qty: number, at: number, session: string) {
  const placed = await placeTestOrder(db, await fillBag(db, [{ sku, qty }], at), { now: at });
  if (!placed.ok) throw new Error(placed.reason);
  await applyPaymentEvent(testApp(db), testPaymentEvent(placed.orderId, `test_cs_${session.padEnd(16, 'x')}`, 'pay'), { now: at + 1000 });
}
const post = (slug: string, products: string[]): PostSummary =>
  ({ slug, title: slug, summary: '', creator: 'maya', kind: 'look', published: new Date(NOW), hero: { src: '', alt: '' }, tags: [], refs: products.map((p, i) => ({ slug: p, component: 'ProductCard', line: i + 1, position: i, tagEnd: 0 })) }) as unknown as PostSummary;

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, { slug: 'hot-tee', variants: [makeVariant({ sku: 'HOT', stock: 50 })] });
  await makeProduct(db, { slug: 'old-hit', variants: [makeVariant({ sku: 'OLD', stock: 50 })] });
  await makeProduct(db, { slug: 'loved-coat', variants: [makeVariant({ sku: 'COAT', stock: 5 })] });
  await makeProduct(db, { slug: 'gone-bag', variants: [makeVariant({ sku: 'GONE', stock: 0 })] });
  await sell('HOT', 3, NOW - 2 * DAY, 'hot');
  await sell('OLD', 9, NOW - 10 * DAY, 'old'); // outside the 7-day window
});
afterAll(() => db.$client.close());

describe('trendingProducts', () => {
  it('puts what sold this week first, then what creators feature most, and leaves out what cannot be bought', async () => {
    const posts = [post('a', ['loved-coat', 'gone-bag']), post('b', ['loved-coat']), post('c', ['old-hit'])];
    const t = await trendingProducts(testApp(db), posts, { now: NOW });
    expect(t.map((p) => p.slug)).toEqual(['hot-tee', 'loved-coat', 'old-hit']);
  });
  it('shows at most the limit', async () => {
    expect(await trendingProducts(testApp(db), [post('a', ['loved-coat'])], { now: NOW, limit: 1 })).toHaveLength(1);
  });
});
