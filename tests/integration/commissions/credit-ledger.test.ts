/**
 * Issue 4 proof against a real database, through the real checkout, payment and refund paths:
 * a mixed bag credits each line correctly; refunding one line reverses only its commission;
 * disputes reverse everything; the ledger stays append-only and idempotent.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { applyPaymentEvent, refundOrderByShop, type App } from '../../../src/server/flows/index.ts';
import { testApp } from '../../helpers/app.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { BUYER_FORM, TEST_CHECKOUT } from '../../helpers/checkout.ts';
import { placeOrder } from '../../../src/server/checkout/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { creditOrderLines, reverseOrderCommissions, type CreditSettings } from '../../../src/server/commissions/index.ts';
import { commissionEntries, coupons, creators, orderLines, users } from '../../../db/schema/index.ts';
import { addToBag } from '../../../src/server/cart/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 12);
const settings: CreditSettings = { defaultRateBps: 1000, lockDays: 30, attributionWindowMs: 30 * DAY };
let db: Db;
let app: App;
let maya: { id: number; handle: string };
let jules: { id: number; handle: string };
let sam: { id: number; handle: string };

const entries = (orderId: number) => db.select().from(commissionEntries).where(eq(commissionEntries.orderId, orderId)).orderBy(commissionEntries.id);
const lines = (orderId: number) => db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.id);

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  maya = await makeCreator(db, { handle: 'maya' });
  jules = await makeCreator(db, { handle: 'jules' });
  sam = await makeCreator(db, { handle: 'sam' });
  await db.insert(users).values({ email: 'maya@lookbook.test', passwordHash: 'x', role: 'creator', creatorId: maya.id, createdAt: T0 });
  await makeProduct(db, { slug: 'coat', variants: [makeVariant({ sku: 'COAT', priceCents: 30000, stock: 50 })] });
  await makeProduct(db, { slug: 'tee', variants: [makeVariant({ sku: 'TEE', priceCents: 2900, stock: 50 })] });
  await makeProduct(db, { slug: 'bag', variants: [makeVariant({ sku: 'BAG', priceCents: 15000, stock: 50 })] });
});
afterAll(() => db.$client.close());

async function bagWithSources(items: { sku: string; qty: number; post?: string; creator?: string }[]) {
  let cartId: string | undefined;
  for (const it of items) {
    const r = await addToBag(
      db,
      { sku: it.sku, qty: it.qty, source: it.post ? { kind: 'post', post: it.post, card: 0 } : { kind: 'direct' } },
      { cartId, now: T0, checkSource: () => it.creator ?? true },
    );
    if (!r.ok) throw new Error(r.reason);
    cartId = r.cartId;
  }
  return cartId!;
}

describe('a mixed bag', () => {
  it('credits two post lines to their two creators and a direct line to the referral link', async () => {
    const cart = await bagWithSources([
      { sku: 'COAT', qty: 1, post: 'maya-coat-review', creator: 'maya' },
      { sku: 'TEE', qty: 2, post: 'jules-basics', creator: 'jules' },
      { sku: 'BAG', qty: 1 },
    ]);
    const placed = await placeOrder(db, {
      cartId: cart,
      form: BUYER_FORM,
      config: TEST_CHECKOUT,
      provider: 'test',
      now: T0,
      ref: { clickId: 'click-sam-000000001', creatorId: sam.id, at: T0 - 2 * DAY },
    });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    const paid = await applyPaymentEvent(app, testPaymentEvent(placed.orderId, 'test_cs_mixed_aaaaaaaaaaaa', 'pay'), { now: T0 + 60_000});
    expect(paid.outcome).toBe('fulfilled');
    const ls = await lines(placed.orderId);
    expect(ls.map((l) => [l.sku, l.creditedCreatorId, l.attributionSource, l.attributionRef])).toEqual([
      ['COAT', maya.id, 'post', 'maya-coat-review'],
      ['TEE', jules.id, 'post', 'jules-basics'],
      ['BAG', sam.id, 'link', 'click-sam-000000001'],
    ]);
    for (const l of ls) expect(l.attributionReason).toBeTruthy();
    const es = await entries(placed.orderId);
    expect(es.map((e) => [e.creatorId, e.kind, e.amountCents, e.baseCents, e.rateBps])).toEqual([
      [maya.id, 'sale', 3000, 30000, 1000],
      [jules.id, 'sale', 580, 5800, 1000],
      [sam.id, 'sale', 1500, 15000, 1000],
    ]);
    expect(es.every((e) => e.availableAt === T0 + 60_000 + 30 * DAY)).toBe(true);
    // A redelivered payment event writes nothing more.
    await applyPaymentEvent(app, testPaymentEvent(placed.orderId, 'test_cs_mixed_aaaaaaaaaaaa', 'pay'), { now: T0 + 120_000});
    await db.transaction((tx) => creditOrderLines(tx, placed.orderId, settings, T0 + 120_000));
    expect(await entries(placed.orderId)).toHaveLength(3);

    // Refund the tee line only (1 of 2): only Jules's commission is reversed, by half.
    const tee = ls[1]!;
    const r = await refundOrderByShop(app, {
      orderId: placed.orderId,
      request: [{ lineId: tee.id, qty: 1 }],
      restock: true,
      actor: 'admin:test',
      now: T0 + DAY,
    });
    expect(r.ok).toBe(true);
    const after = await entries(placed.orderId);
    const reversals = after.filter((e) => e.kind === 'reversal');
    expect(reversals.map((e) => [e.creatorId, e.amountCents])).toEqual([[jules.id, -290]]);
    // A pending sale's reversal nets out in the same approval bucket.
    expect(reversals[0]!.availableAt).toBe(T0 + 60_000 + 30 * DAY);
    // Running the reversal again is idempotent.
    await db.transaction((tx) => reverseOrderCommissions(tx, placed.orderId, T0 + DAY));
    expect((await entries(placed.orderId)).filter((e) => e.kind === 'reversal')).toHaveLength(1);

    // A dispute reverses everything that is left.
    await applyPaymentEvent(app, { id: 'evt_dispute_1', provider: 'test', type: 'dispute_created', orderId: placed.orderId, amountCents: placed.totalCents }, { now: T0 + 2 * DAY});
    const sums = await db
      .select({ creatorId: commissionEntries.creatorId, total: sql<number>`sum(${commissionEntries.amountCents})` })
      .from(commissionEntries)
      .where(eq(commissionEntries.orderId, placed.orderId))
      .groupBy(commissionEntries.creatorId);
    for (const s of sums) expect(s.total).toBe(0);
  });
});

describe('codes, self-referral and overrides', () => {
  it('a creator code credits the code owner for direct lines; the buyer who is the creator gets nothing', async () => {
    await db.insert(coupons).values({ code: 'JULES15', kind: 'percent', percentOff: 15, creatorId: jules.id, createdAt: T0 });
    const cart = await bagWithSources([{ sku: 'BAG', qty: 1 }]);
    const placed = await placeOrder(db, { cartId: cart, form: { ...BUYER_FORM, couponCode: 'JULES15', email: 'fan@example.com' }, config: TEST_CHECKOUT, provider: 'test', now: T0 });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    await applyPaymentEvent(app, testPaymentEvent(placed.orderId, 'test_cs_code_aaaaaaaaaaaaa', 'pay'), { now: T0});
    const [l] = await lines(placed.orderId);
    expect(l).toMatchObject({ creditedCreatorId: jules.id, attributionSource: 'code', attributionRef: 'JULES15', discountCents: 2250 });
    // commission on the net after the discount: 10% of 12750
    expect((await entries(placed.orderId))[0]).toMatchObject({ amountCents: 1275, baseCents: 12750 });

    const self = await bagWithSources([{ sku: 'TEE', qty: 1, post: 'maya-coat-review', creator: 'maya' }]);
    const own = await placeOrder(db, { cartId: self, form: { ...BUYER_FORM, email: 'maya@lookbook.test' }, config: TEST_CHECKOUT, provider: 'test', now: T0 });
    if (!own.ok) throw new Error('expected order');
    await applyPaymentEvent(app, testPaymentEvent(own.orderId, 'test_cs_self_aaaaaaaaaaaaa', 'pay'), { now: T0});
    const [ol] = await lines(own.orderId);
    expect(ol).toMatchObject({ creditedCreatorId: null, attributionSource: 'excluded' });
    expect(ol?.attributionReason).toMatch(/Self-referral/);
    expect(await entries(own.orderId)).toEqual([]);
  });

  it('the inviter earns a 10% override for 6 months, one level only', async () => {
    const a = await makeCreator(db, { handle: 'inviter-a' });
    const b = await makeCreator(db, { handle: 'invitee-b' });
    const c = await makeCreator(db, { handle: 'invitee-c' });
    await db.update(creators).set({ invitedByCreatorId: a.id, createdAt: T0 - 10 * DAY }).where(eq(creators.id, b.id));
    await db.update(creators).set({ invitedByCreatorId: b.id, createdAt: T0 - 10 * DAY }).where(eq(creators.id, c.id));
    const sale = async (creator: string, at: number, session: string) => {
      const cart = await bagWithSources([{ sku: 'COAT', qty: 1, post: `${creator}-post`, creator }]);
      const placed = await placeOrder(db, { cartId: cart, form: { ...BUYER_FORM, email: `${session}@example.com` }, config: TEST_CHECKOUT, provider: 'test', now: at });
      if (!placed.ok) throw new Error('expected order');
      await applyPaymentEvent(app, testPaymentEvent(placed.orderId, `test_cs_${session}_aaaaaaaaaaaa`, 'pay'), { now: at});
      return entries(placed.orderId);
    };
    // C sells: C earns 3000, B (C's inviter) earns 300, A earns nothing (never a second level).
    expect((await sale('invitee-c', T0, 'ovr1')).map((e) => [e.creatorId, e.kind, e.amountCents])).toEqual([
      [c.id, 'sale', 3000],
      [b.id, 'override', 300],
    ]);
    // The inviter buying through the invitee earns no override on their own purchase.
    await db.insert(users).values({ email: 'b-inviter@lookbook.test', passwordHash: 'x', role: 'creator', creatorId: b.id, createdAt: T0 });
    const ownCart = await bagWithSources([{ sku: 'COAT', qty: 1, post: 'invitee-c-post', creator: 'invitee-c' }]);
    const own = await placeOrder(db, { cartId: ownCart, form: { ...BUYER_FORM, email: 'b-inviter@lookbook.test' }, config: TEST_CHECKOUT, provider: 'test', now: T0 });
    if (!own.ok) throw new Error('expected order');
    await applyPaymentEvent(app, testPaymentEvent(own.orderId, 'test_cs_ownovr_aaaaaaaaaaaa', 'pay'), { now: T0});
    expect((await entries(own.orderId)).map((e) => [e.creatorId, e.kind])).toEqual([[c.id, 'sale']]);
    // Seven months after B joined, B's sales give A no override.
    expect((await sale('invitee-b', T0 - 10 * DAY + 214 * DAY, 'ovr2')).map((e) => [e.creatorId, e.kind])).toEqual([[b.id, 'sale']]);
  });
});
