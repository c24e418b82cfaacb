/**
 * The creator dashboard against a real database: orders of several creators placed and
 * paid through the real checkout, payment and ledger functions; figures checked against an oracle
 * computed in JavaScript from the raw rows; and isolation proved three ways:
 *   1. creator A's results never contain creator B's orders, posts or codes;
 *   2. every SQL statement the dashboard and its exports run is bound to the creator's id (and
 *      never to another creator's);
 *   3. the page and the CSV routes take the creator from the session only: ?creator=, ?creatorId=
 *      and friends change nothing, and no dashboard route takes a creator from its path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { drizzle } from 'drizzle-orm/libsql';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRenderers } from 'astro:container';
import { getContainerRenderer } from '@astrojs/react/container-renderer';
import type { Db } from '../../../src/server/db.ts';
import { applyPaymentEvent, refundOrderByShop, type App } from '../../../src/server/flows/index.ts';
import { testApp } from '../../helpers/app.ts';
import { schema } from '../../../src/server/db.ts';
import { createTestDbWithUrl } from '../../helpers/db.ts';
import { BUYER_FORM, TEST_CHECKOUT } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { cardDaily, clickDaily, commissionEntries, coupons, creators, orderLines, orders, payouts, users } from '../../../db/schema/index.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { placeOrder } from '../../../src/server/checkout/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { type CreditSettings } from '../../../src/server/commissions/index.ts';
import { createPayoutBatch, creatorBalances, markPayoutPaid } from '../../../src/server/commissions/index.ts';
import { utcDay } from '../../../src/server/shared/index.ts';
import { presetRange, rangeOf } from '../../../src/server/commissions/index.ts';
import {
  commissionBalances,
  creditedLines,
  entriesCsv,
  excludedLines,
  loadDashboard,
  postsCsv,
  FIGURE_DEFINITIONS,
  linkConversion,
  productTitles,
  type Dashboard,
} from '../../../src/server/commissions/index.ts';

// The page and the CSV routes get their database from src/lib/runtime.ts (DATABASE_URL is fixed when
// vitest starts): hand them this file's test database instead.
const runtime = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('../../../src/lib/runtime.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/lib/runtime.ts')>()),
  getDb: async () => runtime.db,
}));

const DAY = 86_400_000;
// Real "now" (minus a little), so the page's own default range (the last 30 days) covers the data.
const NOW = Date.now() - 60_000;
const ago = (days: number) => NOW - days * DAY;
const SETTINGS: CreditSettings = { defaultRateBps: 1000, lockDays: 30, attributionWindowMs: 30 * DAY };
const SITE = 'https://shop.example';
const RANGE = presetRange(30, NOW);

// Distinctive ids, so a statement's parameters can be checked for them.
const A = 7001;
const B = 7002;
const C = 7003; // invited by A: A earns an override on C's sales

let db: Db;
let app: App;
let seq = 0;
const sku: Record<'p1' | 'p2' | 'p3', string> = { p1: '', p2: '', p3: '' };
const num: Record<string, string> = {};
const ids: Record<string, number> = {};

interface Item {
  sku: string;
  qty: number;
  /** Added from this creator's post card. */
  from?: { handle: string; post: string; card: number };
}

/** Fills a bag, places the order and pays it through the real functions (attribution at payment). */
async function buy(name: string, { items, email, coupon = null, ref = null, at }: { items: Item[]; email: string; coupon?: string | null; ref?: { creatorId: number; at: number } | null; at: number }) {
  let cartId: string | undefined;
  for (const it of items) {
    const r = await addToBag(
      db,
      { sku: it.sku, qty: it.qty, source: it.from ? { kind: 'post', post: it.from.post, card: it.from.card } : { kind: 'direct' } },
      { cartId, now: at, checkSource: () => it.from?.handle ?? true },
    );
    if (!r.ok) throw new Error(`addToBag: ${r.reason}`);
    cartId = r.cartId;
  }
  const placed = await placeOrder(db, {
    cartId: cartId!,
    form: { ...BUYER_FORM, email, couponCode: coupon },
    config: TEST_CHECKOUT,
    provider: 'test',
    now: at,
    ref: ref ? { clickId: `click_${name}_${'x'.repeat(16)}`, creatorId: ref.creatorId, at: ref.at } : null,
  });
  if (!placed.ok) throw new Error(`placeOrder: ${JSON.stringify(placed)}`);
  const paid = await applyPaymentEvent(app, testPaymentEvent(placed.orderId, `test_cs_${String(++seq).padStart(16, '0')}`, 'pay'), {
    now: at,
  });
  expect(paid.outcome).toBe('fulfilled');
  num[name] = placed.number;
  ids[name] = placed.orderId;
  return placed;
}

async function refund(name: string, request: 'all' | { lineIndex: number; qty: number }[], at: number) {
  const lines = await db.select({ id: orderLines.id }).from(orderLines).where(eq(orderLines.orderId, ids[name]!)).orderBy(orderLines.id);
  const r = await refundOrderByShop(app, {
    orderId: ids[name]!,
    request: request === 'all' ? 'all' : request.map((x) => ({ lineId: lines[x.lineIndex]!.id, qty: x.qty })),
    restock: false,
    actor: 'admin:test',
    now: at,
  });
  expect(r.ok).toBe(true);
}

beforeAll(async () => {
  ({ db } = await createTestDbWithUrl());
  app = testApp(db);
  runtime.db = db;
  const joined = ago(60);
  await db.insert(creators).values([
    { id: A, handle: 'ana-test', displayName: 'Ana Test', createdAt: joined, referralCode: 'ANA' },
    { id: B, handle: 'ben-test', displayName: 'Ben Test', createdAt: joined, referralCode: 'BEN' },
    { id: C, handle: 'cai-test', displayName: 'Cai Test', createdAt: ago(50), referralCode: 'CAI', invitedByCreatorId: A },
  ]);
  await db.insert(users).values([
    { email: 'ana@creators.test', passwordHash: 'x', role: 'creator', creatorId: A, createdAt: joined },
    { email: 'ben@creators.test', passwordHash: 'x', role: 'creator', creatorId: B, createdAt: joined },
    { email: 'cai@creators.test', passwordHash: 'x', role: 'creator', creatorId: C, createdAt: joined },
  ]);
  await db.insert(coupons).values([
    { code: 'ANA15', kind: 'percent', percentOff: 15, creatorId: A, createdAt: joined },
    { code: 'BEN15', kind: 'percent', percentOff: 15, creatorId: B, createdAt: joined },
  ]);
  sku.p1 = (await makeProduct(db, { slug: 'dash-coat', name: 'Dash Coat', variants: [makeVariant({ sku: 'DASH-COAT', priceCents: 5000, stock: 100 })] })).variants[0]!.sku;
  sku.p2 = (await makeProduct(db, { slug: 'dash-knit', name: 'Dash Knit, “Soft”', variants: [makeVariant({ sku: 'DASH-KNIT', priceCents: 3000, stock: 100 })] })).variants[0]!.sku;
  sku.p3 = (await makeProduct(db, { slug: 'dash-boot', name: '=Dash Boot', variants: [makeVariant({ sku: 'DASH-BOOT', priceCents: 8000, stock: 100 })] })).variants[0]!.sku;

  const ana = (post = 'ana-post', card = 0) => ({ handle: 'ana-test', post, card });
  const ben = (post = 'ben-post', card = 0) => ({ handle: 'ben-test', post, card });
  // A: post line + code line in one order
  await buy('o1', { items: [{ sku: sku.p1, qty: 2, from: ana('ana-post', 0) }, { sku: sku.p2, qty: 1 }], email: 'r1@example.com', coupon: 'ANA15', at: ago(2) });
  // B's post wins over A's code: credited to B, but the order used A's code
  await buy('o2', { items: [{ sku: sku.p1, qty: 1, from: ben('ben-post', 1) }], email: 'r2@example.com', coupon: 'ANA15', at: ago(3) });
  // A's link
  await buy('o3', { items: [{ sku: sku.p3, qty: 1 }], email: 'r3@example.com', ref: { creatorId: A, at: ago(5) }, at: ago(4) });
  // A buys from A's own post: excluded (self-referral)
  await buy('o4', { items: [{ sku: sku.p2, qty: 1, from: ana('ana-post', 1) }], email: 'ana@creators.test', at: ago(5) });
  // B buys with A's code: credited to A (not self)
  await buy('o5', { items: [{ sku: sku.p1, qty: 1 }], email: 'ben@creators.test', coupon: 'ANA15', at: ago(6) });
  // B buys from B's own post: excluded for B
  await buy('o6', { items: [{ sku: sku.p2, qty: 1, from: ben('ben-post', 0) }], email: 'ben@creators.test', at: ago(7) });
  // B's sale, refunded in full
  await buy('o7', { items: [{ sku: sku.p3, qty: 1, from: ben('ben-other', 0) }], email: 'r4@example.com', at: ago(8) });
  await refund('o7', 'all', ago(1));
  // A's sale 40 days ago: outside the range, approved by now, then paid out
  await buy('o8', { items: [{ sku: sku.p1, qty: 1, from: ana('ana-old', 0) }], email: 'r5@example.com', at: ago(40) });
  // A's sale, one of two units refunded
  await buy('o9', { items: [{ sku: sku.p2, qty: 2, from: ana('ana-post', 0) }], email: 'r6@example.com', at: ago(9) });
  await refund('o9', [{ lineIndex: 0, qty: 1 }], ago(1));
  // A buys with A's own code: excluded; A's link click + own purchase: excluded
  await buy('o10', { items: [{ sku: sku.p3, qty: 1 }], email: 'ana@creators.test', coupon: 'ANA15', at: ago(3) });
  await buy('o12', { items: [{ sku: sku.p2, qty: 1 }], email: 'ana@creators.test', ref: { creatorId: A, at: ago(4) }, at: ago(4) });
  // C (invited by A) sells: A earns an override
  await buy('o11', { items: [{ sku: sku.p1, qty: 1, from: { handle: 'cai-test', post: 'cai-post', card: 0 } }], email: 'r7@example.com', at: ago(10) });

  // A payout of A's approved balance (o8), marked paid.
  const batch = await createPayoutBatch(db, { thresholdCents: 0, createdBy: 'admin:test', now: NOW });
  expect(batch.ok).toBe(true);
  const payout = await db.select({ id: payouts.id, creatorId: payouts.creatorId }).from(payouts).get();
  expect(payout?.creatorId).toBe(A);
  expect((await markPayoutPaid(db, { payoutId: payout!.id, reference: 'BANK-1', now: NOW })).ok).toBe(true);

  // Rollups (the click recorder and card beacons write these in production).
  const today = utcDay(NOW);
  await db.insert(clickDaily).values([
    { creatorId: A, day: today - 1, post: 'ana-post', clicks: 10 },
    { creatorId: A, day: today - 2, post: '', clicks: 5 },
    { creatorId: A, day: today - 45, post: 'ana-post', clicks: 100 },
    { creatorId: B, day: today - 1, post: 'ben-post', clicks: 50 },
  ]);
  await db
    .insert(cardDaily)
    .values([
      { creatorId: A, post: 'ana-post', card: 0, day: today - 1, views: 40, clicks: 6 },
      { creatorId: A, post: 'ana-post', card: 0, day: today - 50, views: 999 },
      { creatorId: B, post: 'ben-post', card: 1, day: today - 1, views: 70, clicks: 9 },
    ])
    .onConflictDoNothing();
}, 60_000);

afterAll(() => db?.$client.close());

/** The oracle: credited lines for a creator in the range, from the raw rows, in JavaScript. */
async function oracle(creatorId: number, range = RANGE) {
  const rows = await db
    .select({ line: orderLines, order: orders })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId));
  const mine = rows.filter((r) => r.line.creditedCreatorId === creatorId && r.line.paidAt !== null && r.line.paidAt >= range.fromMs && r.line.paidAt < range.toMs);
  const sales = mine.reduce((s, r) => {
    const net = r.line.subtotalCents - r.line.discountCents;
    const refunded = r.order.refundedCents > 0 && r.order.refundedCents >= r.order.totalCents ? net : Math.min(r.line.refundedCents, net);
    return s + net - refunded;
  }, 0);
  const lineIds = new Set(mine.map((r) => r.line.id));
  const entries = await db.select().from(commissionEntries).where(eq(commissionEntries.creatorId, creatorId));
  const commission = entries.filter((e) => e.orderLineId !== null && lineIds.has(e.orderLineId) && (e.kind === 'sale' || e.kind === 'reversal')).reduce((s, e) => s + e.amountCents, 0);
  // An order counts while at least one credited unit of it is not refunded (FIGURE_DEFINITIONS.orders).
  const counted = mine.filter((r) => r.line.qty - r.line.refundedQty > 0);
  return { orders: new Set(counted.map((r) => r.order.id)).size, lines: mine.length, sales, commission, numbers: new Set(mine.map((r) => r.order.number)) };
}

describe('loadDashboard figures', () => {
  let a: Dashboard;
  beforeAll(async () => {
    a = (await loadDashboard(db, { creatorId: A, range: RANGE, now: NOW, siteUrl: SITE, linkPath: '/posts/ana-post' }))!;
  });

  it('headline figures match the raw rows', async () => {
    const o = await oracle(A);
    expect(o.orders).toBe(4); // o1, o3, o5, o9
    expect(a.figures.orders).toBe(o.orders);
    expect(a.figures.salesCents).toBe(o.sales);
    expect(a.figures.commissionCents).toBe(o.commission);
    expect(a.figures.clicks).toBe(15); // the click 45 days ago is outside the range
    expect(a.figures.cardViews).toBe(40);
    expect(a.figures.cardClicks).toBe(6);
    expect(a.figures.adds).toBe(3); // o1 card 0, o4 card 1, o9 card 0 (o8 is 40 days ago)
    // Link conversion: of the 15 clicks, one (o3's) led to an order credited through the link.
    // Orders from post cards and codes need no click and are not divided by clicks.
    expect(a.figures.convertedClicks).toBe(1);
    expect(a.figures.conversion).toBeCloseTo(1 / 15);
    expect(a.lines.total).toBe(o.lines);
    expect(new Set(a.lines.lines.map((l) => l.orderNumber))).toEqual(o.numbers);
  });

  it('never counts more orders than items: an order refunded in full leaves both (top products too)', async () => {
    const b = (await loadDashboard(db, { creatorId: B, range: RANGE, now: NOW, siteUrl: SITE }))!;
    // o7, one of B's credited sales, was refunded in full: listed as a line, not counted as an order.
    const o = await oracle(B);
    expect(b.lines.lines.map((l) => l.orderNumber)).toContain(num.o7);
    expect(b.figures.orders).toBe(o.orders);
    expect(b.figures.orders).toBe(o.numbers.size - 1);
    expect(b.daily.reduce((s, d) => s + d.orders, 0)).toBe(b.figures.orders);
    for (const d of [a, b]) {
      expect(d.figures.orders).toBeLessThanOrEqual(d.figures.units);
      for (const p of d.topProducts) expect(p.orders).toBeLessThanOrEqual(p.units);
      for (const r of [...d.posts, ...d.cards]) expect(r.orders).toBeLessThanOrEqual(r.units);
    }
  });

  it('link conversion is defined once, shown with its definition, and never above 100%', async () => {
    expect(FIGURE_DEFINITIONS.conversion).toMatch(/never above 100%/);
    for (const id of [A, B, C]) {
      const d = (await loadDashboard(db, { creatorId: id, range: RANGE, now: NOW, siteUrl: SITE }))!;
      if (d.figures.conversion !== null) expect(d.figures.conversion).toBeLessThanOrEqual(1);
      expect(d.figures.convertedClicks).toBeLessThanOrEqual(d.figures.clicks || Infinity);
    }
    expect(linkConversion(3, 1)).toBe(1);
    expect(linkConversion(0, 0)).toBeNull();
  });

  it('names a card\'s product from the catalog when the card has not sold, or says it is no longer available', async () => {
    const t = await productTitles(db, ['dash-coat', 'no-such-product']);
    expect(t.get('dash-coat')).toBe('Dash Coat');
    expect(t.get('no-such-product')).toBeNull();
  });

  it('sales are net of discounts and minus refunds', async () => {
    const o9 = a.lines.lines.find((l) => l.orderNumber === num.o9)!;
    expect(o9.netCents).toBe(6000);
    expect(o9.refundedCents).toBe(3000);
    expect(o9.salesCents).toBe(3000);
    expect(o9.refundedQty).toBe(1);
    const o1 = a.lines.lines.filter((l) => l.orderNumber === num.o1);
    expect(o1.reduce((s, l) => s + l.netCents, 0)).toBe(Math.round(13000 * 0.85));
    expect(a.figures.refundedCents).toBe(3000);
  });

  it('lists every credited line with its source and reason', () => {
    const bySource = Object.groupBy(a.lines.lines, (l) => l.source);
    expect(bySource.post?.map((l) => l.orderNumber).sort()).toEqual([num.o1, num.o9].sort());
    expect(bySource.code?.map((l) => l.orderNumber).sort()).toEqual([num.o1, num.o5].sort());
    expect(bySource.link?.map((l) => l.orderNumber)).toEqual([num.o3]);
    for (const l of a.lines.lines) expect(l.reason.length).toBeGreaterThan(10);
    expect(bySource.link![0]!.reason).toContain('ana-test');
  });

  it('lists the excluded self-referrals that would have been theirs, with why', () => {
    expect(a.excluded.map((l) => l.orderNumber).sort()).toEqual([num.o4, num.o10, num.o12].sort());
    for (const l of a.excluded) {
      expect(l.source).toBe('excluded');
      expect(l.reason).toContain('Self-referral');
      expect(l.reason).toContain('ana-test');
      expect(l.commissionCents).toBe(0);
    }
    expect(a.excluded.find((l) => l.orderNumber === num.o4)!.reason).toContain('“post”');
    expect(a.excluded.find((l) => l.orderNumber === num.o10)!.reason).toContain('“code”');
    expect(a.excluded.find((l) => l.orderNumber === num.o12)!.reason).toContain('“link”');
  });

  it('has per-post and per-card rows, and top products', () => {
    const post = a.posts.find((p) => p.source === 'post' && p.post === 'ana-post')!;
    expect(post).toMatchObject({ linkClicks: 10, cardViews: 40, cardClicks: 6, adds: 3, orders: 2 });
    expect(a.posts.find((p) => p.source === 'code')).toMatchObject({ orders: 2 });
    expect(a.posts.find((p) => p.source === 'link')).toMatchObject({ linkClicks: 5, orders: 1 });
    expect(a.posts.reduce((s, p) => s + p.salesCents, 0)).toBe(a.figures.salesCents);
    expect(a.posts.reduce((s, p) => s + p.commissionCents, 0)).toBe(a.figures.commissionCents);
    const card0 = a.cards.find((c) => c.post === 'ana-post' && c.card === 0)!;
    expect(card0).toMatchObject({ views: 40, clicks: 6, adds: 2, orders: 2 });
    expect(card0.products.sort()).toEqual(['Dash Coat', 'Dash Knit, “Soft”']);
    expect(a.cards.find((c) => c.post === 'ana-post' && c.card === 1)).toMatchObject({ adds: 1, orders: 0 });
    expect(a.topProducts.map((p) => p.productSlug)).toEqual(expect.arrayContaining(['dash-coat', 'dash-knit', 'dash-boot']));
    expect(a.topProducts[0]!.salesCents).toBeGreaterThanOrEqual(a.topProducts.at(-1)!.salesCents);
  });

  it('has a point for every day of the range, summing to the totals', () => {
    expect(a.daily).toHaveLength(30);
    expect(a.daily.reduce((s, d) => s + d.clicks, 0)).toBe(a.figures.clicks);
    expect(a.daily.reduce((s, d) => s + d.orders, 0)).toBe(a.figures.orders);
    expect(a.daily.reduce((s, d) => s + d.salesCents, 0)).toBe(a.figures.salesCents);
  });

  it('shows the code, its usage (even when another creator was credited), and the referral link with a QR code', () => {
    expect(a.creator.referralCode).toBe('ANA');
    expect(a.creator.codes.map((c) => c.code)).toEqual(['ANA15']);
    expect(a.codeUsage.orders).toBe(4); // o1, o2, o5, and A's own o10 (it used the code, though it earned nothing)
    expect(a.codeUsage.recent.map((u) => u.orderNumber).sort()).toEqual([num.o1, num.o2, num.o5, num.o10].sort());
    expect(a.codeUsage.discountCents).toBe(a.codeUsage.recent.reduce((s, u) => s + u.discountCents, 0));
    expect(a.codeUsage.recent.find((u) => u.orderNumber === num.o2)).toMatchObject({ creditedLines: 0, lines: 1 });
    expect(a.link?.url).toBe('https://shop.example/r/ANA?to=%2Fposts%2Fana-post');
    expect(a.link?.qrSvg).toMatch(/^<svg[^>]*viewBox=/);
    expect(a.link?.qrSvg).not.toMatch(/<script|on\w+=/i);
  });

  it('ledger: entries with status and approval date, balances, payouts', async () => {
    expect(a.ledger.entries.every((e) => e.createdAt >= RANGE.fromMs && e.createdAt < RANGE.toMs)).toBe(true);
    const kinds = new Set(a.ledger.entries.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['sale', 'reversal', 'override']));
    for (const e of a.ledger.entries) {
      expect(e.status).toBe('pending');
      expect(e.availableAt).toBeGreaterThan(NOW);
    }
    const all = await db.select().from(commissionEntries).where(eq(commissionEntries.creatorId, A));
    const b = a.balances;
    expect(b.pendingCents + b.approvedCents + b.inPayoutCents + b.paidCents).toBe(all.reduce((s, e) => s + e.amountCents, 0));
    expect(b.paidCents).toBe(500); // o8: 10% of 50.00
    expect(b.approvedCents).toBe(0);
    expect(a.payouts).toEqual([expect.objectContaining({ amountCents: 500, status: 'paid', reference: 'BANK-1', entries: 1 })]);
    expect(a.earnedInRange.overrideCents).toBeGreaterThan(0);
  });

  it('an entry written before the range is not listed, but counts in the balances', async () => {
    const old = await loadDashboard(db, { creatorId: A, range: rangeOf(utcDay(ago(44)), utcDay(ago(35))), now: NOW, siteUrl: SITE });
    expect(old!.ledger.entries.map((e) => e.orderNumber)).toEqual([num.o8]);
    expect(old!.ledger.entries[0]!.status).toBe('paid');
    expect(old!.figures.clicks).toBe(0);
    expect(old!.lines.lines.map((l) => l.orderNumber)).toEqual([num.o8]);
    expect(old!.balances).toEqual((await loadDashboard(db, { creatorId: A, range: RANGE, now: NOW, siteUrl: SITE }))!.balances);
  });

  it('an unknown creator id is null, and a creator without a code has no link', async () => {
    expect(await loadDashboard(db, { creatorId: 999_999, range: RANGE, now: NOW, siteUrl: SITE })).toBeNull();
    await db.insert(creators).values({ id: 7010, handle: 'no-code', displayName: 'No Code', createdAt: NOW });
    const d = await loadDashboard(db, { creatorId: 7010, range: RANGE, now: NOW, siteUrl: SITE });
    expect(d?.link).toBeNull();
    expect(d?.figures).toMatchObject({ clicks: 0, orders: 0, salesCents: 0, conversion: null });
  });
});

describe('isolation between creators', () => {
  const onlyB = () => [num.o6!, num.o7!];

  it("creator A's dashboard and exports never contain creator B's orders, posts or codes", async () => {
    const a = await loadDashboard(db, { creatorId: A, range: RANGE, now: NOW, siteUrl: SITE });
    const { codeUsage, ...rest } = a!;
    const text = JSON.stringify(rest);
    for (const n of [...onlyB(), num.o2!]) expect(text).not.toContain(n);
    for (const s of ['ben-post', 'ben-other', 'BEN15', 'ben@creators.test', 'ben-test']) expect(text).not.toContain(s);
    // o2 (credited to B) shows in A's code usage only because it used A's code; nothing of B's about it.
    expect(JSON.stringify(codeUsage)).not.toMatch(/ben/i);
    for (const n of onlyB()) expect(JSON.stringify(codeUsage)).not.toContain(n);
    const entries = await entriesCsv(db, A, RANGE, NOW);
    const posts = await postsCsv(db, A, RANGE);
    for (const n of [...onlyB(), num.o2!]) expect(entries.body + posts.body).not.toContain(n);
    expect(posts.body).not.toContain('ben-');
  });

  it("creator B sees B's lines and B's exclusions only", async () => {
    const b = (await loadDashboard(db, { creatorId: B, range: RANGE, now: NOW, siteUrl: SITE }))!;
    const o = await oracle(B);
    expect(new Set(b.lines.lines.map((l) => l.orderNumber))).toEqual(o.numbers);
    expect([...o.numbers].sort()).toEqual([num.o2, num.o7].sort());
    expect(b.excluded.map((l) => l.orderNumber)).toEqual([num.o6]);
    expect(b.excluded[0]!.reason).toContain('ben-test');
    expect(b.figures.clicks).toBe(50);
    expect(b.codeUsage.orders).toBe(0);
    // o7 was refunded in full: no sales left, and its commission reversed to zero.
    const o7 = b.lines.lines.find((l) => l.orderNumber === num.o7)!;
    expect(o7.salesCents).toBe(0);
    expect(o7.commissionCents).toBe(0);
    const text = JSON.stringify(b);
    for (const n of [num.o1!, num.o3!, num.o4!, num.o5!, num.o9!, num.o10!]) expect(text).not.toContain(n);
    expect(text).not.toContain('ana-post');
    const excludedOfC = await excludedLines(db, C, RANGE);
    expect(excludedOfC).toEqual([]);
  });

  it('every statement the dashboard and its exports run is bound to the creator id, never another', async () => {
    const log: { sql: string; params: unknown[] }[] = [];
    const logged = drizzle(db.$client, { schema, logger: { logQuery: (sql, params) => log.push({ sql, params }) } }) as unknown as Db;
    await loadDashboard(logged, { creatorId: A, range: RANGE, now: NOW, siteUrl: SITE, linkPath: '/x' });
    await entriesCsv(logged, A, RANGE, NOW);
    await postsCsv(logged, A, RANGE);
    await creditedLines(logged, A, RANGE);
    await commissionBalances(logged, A, NOW);
    expect(log.length).toBeGreaterThanOrEqual(18);
    for (const q of log) {
      expect(q.params, q.sql).toContain(A);
      for (const other of [B, C]) expect(q.params, q.sql).not.toContain(other);
      expect(q.sql, 'filters on a creator column').toMatch(/creator_id"? = \?|creator_id"? in \(\?\)|"creators"."id" = \?/);
    }
  });
});

describe('page and CSV routes take the creator from the session only', () => {
  const userA = { id: 1, email: 'ana@creators.test', role: 'creator' as const, creatorId: A };
  const tricks = ['creator=7002', 'creatorId=7002', 'creator_id=7002', 'handle=ben-test', 'user=2', 'as=ben-test', 'creatorId[]=7002', 'creator=7002&creator=7001'];

  it('CSV exports: same body with or without ?creator=…, proper headers, 400 on bad dates, 403 without a creator', async () => {
    const entries = await import('../../../src/pages/dashboard/export/entries.csv.ts');
    const posts = await import('../../../src/pages/dashboard/export/posts.csv.ts');
    const call = (route: typeof entries, qs: string, user: typeof userA | null = userA) =>
      route.GET({ locals: { user, session: null }, url: new URL(`http://x.test/dashboard/export/e.csv?${qs}`) } as never) as Promise<Response>;
    const base = await call(entries, 'days=30');
    expect(base.status).toBe(200);
    expect(base.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(base.headers.get('content-disposition')).toMatch(/^attachment; filename="lookbook-commission-entries-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = await base.text();
    expect(body).toContain(num.o1);
    for (const n of [num.o6!, num.o7!]) expect(body).not.toContain(n);
    expect(body).toContain("'=Dash Boot"); // a product named like a formula is quoted, not run
    expect(body).not.toMatch(/(^|,)=Dash/m);
    for (const t of tricks) {
      expect(await (await call(entries, `days=30&${t}`)).text()).toBe(body);
      expect(await (await call(posts, `days=30&${t}`)).text()).toBe(await (await call(posts, 'days=30')).text());
    }
    const postsRes = await call(posts, 'days=30');
    expect([...new Uint8Array(await postsRes.clone().arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for spreadsheets
    const postsBody = await postsRes.text();
    expect(postsBody.split('\r\n')[0]).toBe('source,post,title,link_clicks,card_views,card_clicks,add_to_bags,orders,units,sales,refunded,commission,add_rate');
    expect(postsBody).toContain('post,ana-post,');
    const bad = await call(entries, 'from=2026-02-30&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('From date is not a real calendar date');
    const admin = await call(posts, 'days=30', { id: 9, email: 'admin@x.test', role: 'admin' as never, creatorId: null as never });
    expect(admin.status).toBe(403);
  });

  it('the page renders the same for ?creator=… tricks, 400 with only the form for bad dates, a note for admins', async () => {
    // React renders the chart island on the server; the site's own `client:bag` directive (the bag
    // drawer in the header) is registered the way the integration does it.
    const container = await AstroContainer.create({
      renderers: await loadRenderers([getContainerRenderer()]),
      manifest: { clientDirectives: new Map([['visible', '(()=>{})'], ['bag', '(()=>{})']]) },
    } as Parameters<typeof AstroContainer.create>[0]);
    const { default: Page } = await import('../../../src/pages/dashboard/index.astro');
    const render = async (qs: string, user: App.Locals['user'] = userA) => {
      const res = await container.renderToResponse(Page, { request: new Request(`http://127.0.0.1/dashboard?${qs}`), locals: { user, session: null } });
      return { status: res.status, html: await res.text() };
    };
    const strip = (h: string) => h.replace(/astro-island uid="[^"]*"/g, '').replace(/<input type="hidden"[^>]*>/g, '');
    const base = await render('days=30');
    expect(base.status).toBe(200);
    expect(base.html).toContain('Hello, Ana Test');
    expect(base.html).toContain(num.o1);
    expect(base.html).toContain('/r/ANA');
    expect(base.html).toContain('<svg');
    for (const n of [num.o6!, num.o7!]) expect(base.html).not.toContain(n);
    expect(base.html).not.toContain('Ben Test');
    for (const t of tricks) {
      const r = await render(`days=30&${t}`);
      expect(r.status).toBe(200);
      expect(strip(r.html)).toBe(strip(base.html));
    }
    const bad = await render('from=2026-13-01&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('From date is not a real calendar date');
    expect(bad.html).not.toContain(num.o1);
    expect(bad.html).not.toContain('Attributed sales');
    const offsite = await render('days=30&path=https%3A%2F%2Fevil.example%2F');
    expect(offsite.status).toBe(400);
    expect(offsite.html).toContain('Links can only point to pages on');
    expect(offsite.html).not.toContain('/r/ANA?to=');
    const admin = await render('days=30', { id: 9, email: 'admin@x.test', role: 'admin', creatorId: null });
    expect(admin.status).toBe(200);
    expect(admin.html).toContain('not a creator’s');
    expect(admin.html).not.toContain(num.o1);
  });

  it('no dashboard route takes a creator from its path, and the routes read the creator from locals only', () => {
    const root = join(import.meta.dirname, '../../../src/pages/dashboard');
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relative(root, join(d.parentPath, d.name)));
    for (const f of files) expect(f, f).not.toMatch(/\[[^\]]*(creator|handle|user|id)[^\]]*\]/i);
    for (const f of ['index.astro', 'export/entries.csv.ts', 'export/posts.csv.ts']) {
      const src = readFileSync(join(root, f), 'utf8');
      expect(src).toMatch(/locals\.user[!?]?(\.creatorId|;)/);
      expect(src).not.toMatch(/searchParams\.get\(['"](creator|creatorId|handle|user)/);
      expect(src).not.toMatch(/params\.(creator|handle|id)\b/);
    }
  });
});

describe('balances read from the payouts plus the open entries', () => {
  const every = async (now: number) => {
    const reference = await creatorBalances(db, now, [A, B, C]);
    for (const c of [A, B, C]) {
      expect(await commissionBalances(db, c, now), `creator ${c} at ${new Date(now).toISOString()}`).toEqual(reference.get(c) ?? { pendingCents: 0, approvedCents: 0, inPayoutCents: 0, paidCents: 0 });
    }
  };

  it('equal creatorBalances through approvals, payouts (paid and pending), thresholds and a reversal after a payout', async () => {
    for (const t of [NOW, NOW + 20 * DAY, NOW + 40 * DAY, NOW + 400 * DAY]) await every(t);
    // A batch 35 days on: only creators at or above 10.00 are paid; the others wait.
    const later = NOW + 35 * DAY;
    const batch = await createPayoutBatch(db, { thresholdCents: 1000, createdBy: 'admin:test', now: later });
    expect(batch).toMatchObject({ ok: true, payouts: 1 }); // A only: B and C wait below the threshold
    await every(later);
    await every(later + DAY);
    // A refund after the payout: the reversal is approved at once and carried to the next payout.
    await refund('o3', 'all', later + 2 * DAY);
    await every(later + 3 * DAY);
    const pending = await db.select({ id: payouts.id }).from(payouts).where(eq(payouts.status, 'pending'));
    for (const p of pending) expect((await markPayoutPaid(db, { payoutId: p.id, reference: `BANK-${p.id}`, now: later + 4 * DAY })).ok).toBe(true);
    await every(later + 5 * DAY);
    const again = await createPayoutBatch(db, { thresholdCents: 0, createdBy: 'admin:test', now: later + 70 * DAY });
    expect(again.ok).toBe(true);
    for (const t of [later + 70 * DAY, later + 71 * DAY, later + 500 * DAY]) await every(t);
  });
});
