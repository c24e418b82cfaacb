import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { type App } from '../../../src/server/flows/index.ts';
import { paidSale as paidSaleVia, testApp } from '../../helpers/app.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeCreator, upsertCategory } from '../../../db/factories/factories.ts';
import { categoryCommissionRates, clickDaily, commissionEntries, coupons, creators } from '../../../db/schema/index.ts';
import { type CreditSettings } from '../../../src/server/commissions/index.ts';
import {
  getCreatorForAdmin,
  listCategoryRates,
  listCreatorsForAdmin,
  parseCouponIdField,
  saveCreatorCoupon,
  setCategoryRate,
  updateCreatorSettings,
} from '../../../src/server/commissions/index.ts';
import { createPayoutBatch, markPayoutPaid, getPayoutBatch } from '../../../src/server/commissions/index.ts';
import { getOrderDetail } from '../../../src/server/orders/index.ts';
import { createUser } from '../../../src/server/auth/index.ts';
import { orders } from '../../../db/schema/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 12);
const SETTINGS: CreditSettings = { defaultRateBps: 1000, lockDays: 30, attributionWindowMs: 30 * DAY };

let db: Db;
let app: App;
let seq = 0;

const paidSale = (handle: string, priceCents: number, at: number, opts?: { category?: string; coupon?: string }) => paidSaleVia(app, handle, priceCents, at, opts);

const creatorRow = (id: number) => db.select().from(creators).where(eq(creators.id, id)).get();

beforeEach(async () => {
  db?.$client.close();
  db = await createTestDb();
  app = testApp(db);
});
afterAll(() => db?.$client.close());

describe('creator rate and referral code', () => {
  it('stores the rate in basis points and the code upper-case', async () => {
    const c = await makeCreator(db, { handle: 'maya' });
    expect(await updateCreatorSettings(db, { creatorId: c.id, rate: '12.5%', referralCode: ' maya ' })).toEqual({ ok: true, changed: true });
    expect(await creatorRow(c.id)).toMatchObject({ commissionRateBps: 1250, referralCode: 'MAYA' });
    expect(await updateCreatorSettings(db, { creatorId: c.id, rate: '12.50', referralCode: 'MAYA' })).toEqual({ ok: true, changed: false });
    // Empty: back to the shop default, no code.
    expect(await updateCreatorSettings(db, { creatorId: c.id, rate: '', referralCode: '' })).toEqual({ ok: true, changed: true });
    expect(await creatorRow(c.id)).toMatchObject({ commissionRateBps: null, referralCode: null });
  });

  it('bad input gets a clear error per field and writes nothing', async () => {
    const c = await makeCreator(db, { handle: 'maya' });
    await updateCreatorSettings(db, { creatorId: c.id, rate: '8', referralCode: 'MAYA' });
    const bad = await updateCreatorSettings(db, { creatorId: c.id, rate: '12,5', referralCode: 'M-1' });
    expect(bad).toMatchObject({ ok: false, reason: 'invalid', errors: { rate: expect.stringMatching(/percent/), referralCode: expect.stringMatching(/A–Z/) } });
    // One bad field is enough to write nothing, not even the good one.
    expect(await updateCreatorSettings(db, { creatorId: c.id, rate: '20', referralCode: 'no way' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await updateCreatorSettings(db, { creatorId: c.id, rate: '60', referralCode: 'MAYA' })).toMatchObject({ ok: false, errors: { rate: expect.stringMatching(/at most 50%/) } });
    expect(await creatorRow(c.id)).toMatchObject({ commissionRateBps: 800, referralCode: 'MAYA' });
    expect(await updateCreatorSettings(db, { creatorId: 999, rate: '10', referralCode: '' })).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('a referral code belongs to one creator', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const sam = await makeCreator(db, { handle: 'sam' });
    await updateCreatorSettings(db, { creatorId: maya.id, rate: '', referralCode: 'STYLE' });
    expect(await updateCreatorSettings(db, { creatorId: sam.id, rate: '15', referralCode: 'style' })).toMatchObject({
      ok: false,
      reason: 'taken',
      errors: { referralCode: expect.stringContaining('@maya') },
    });
    expect(await creatorRow(sam.id)).toMatchObject({ commissionRateBps: null, referralCode: null });
  });

  it('the creator’s rate applies to their next sales; the ledger keeps the old rate on old sales', async () => {
    const c = await makeCreator(db, { handle: 'maya' });
    await paidSale('maya', 10000, T0);
    await updateCreatorSettings(db, { creatorId: c.id, rate: '12.5', referralCode: '' });
    await paidSale('maya', 10000, T0 + DAY);
    const sales = await db.select({ rate: commissionEntries.rateBps, amount: commissionEntries.amountCents }).from(commissionEntries).orderBy(commissionEntries.id);
    expect(sales).toEqual([
      { rate: 1000, amount: 1000 },
      { rate: 1250, amount: 1250 },
    ]);
  });
});

describe('personal discount codes', () => {
  const fields = { code: 'maya15', percentOff: '15', startsOn: '', endsOn: '2026-12-31', maxRedemptions: '100', perEmailLimit: '1', active: 'on' };

  it('creates a creator code that credits the creator at checkout', async () => {
    const c = await makeCreator(db, { handle: 'maya' });
    // An unused code first, so the used one's id differs from its redemption's id.
    expect(await saveCreatorCoupon(db, { creatorId: c.id, fields: { ...fields, code: 'MAYA-OLD', active: '' }, now: T0 })).toMatchObject({ ok: true });
    const r = await saveCreatorCoupon(db, { creatorId: c.id, fields, now: T0 });
    expect(r).toMatchObject({ ok: true, changed: true });
    expect(await db.select().from(coupons).where(eq(coupons.code, 'MAYA15')).get()).toMatchObject({
      code: 'MAYA15',
      kind: 'percent',
      percentOff: 15,
      startsAt: null,
      endsAt: Date.UTC(2027, 0, 1),
      maxRedemptions: 100,
      perEmailLimit: 1,
      active: true,
      creatorId: c.id,
    });
    await paidSale('maya', 10000, T0, { coupon: 'maya15' });
    const detail = (await getCreatorForAdmin(db, 'maya', T0))!;
    expect(detail.coupons).toMatchObject([
      { code: 'MAYA-OLD', redemptions: 0, active: false },
      { code: 'MAYA15', redemptions: 1, active: true },
    ]);
    expect(detail.orders).toBe(1);
    expect(detail.salesCents).toBe(8500);
  });

  it('bad input or a taken code writes nothing; a used code cannot be renamed', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const sam = await makeCreator(db, { handle: 'sam' });
    expect(await saveCreatorCoupon(db, { creatorId: maya.id, fields: { ...fields, percentOff: '150' } })).toMatchObject({ ok: false, reason: 'invalid', errors: { percentOff: expect.any(String) } });
    expect(await saveCreatorCoupon(db, { creatorId: maya.id, fields: { ...fields, startsOn: '2027-01-01' } })).toMatchObject({ ok: false, errors: { endsOn: expect.stringMatching(/before the start/) } });
    expect(await saveCreatorCoupon(db, { creatorId: maya.id, fields: { ...fields, code: '=1+2' } })).toMatchObject({ ok: false, errors: { code: expect.any(String) } });
    expect(await db.select().from(coupons)).toHaveLength(0);

    const made = await saveCreatorCoupon(db, { creatorId: maya.id, fields, now: T0 });
    expect(await saveCreatorCoupon(db, { creatorId: sam.id, fields, now: T0 })).toMatchObject({ ok: false, reason: 'taken' });
    expect(await db.select().from(coupons)).toHaveLength(1);
    // Someone else's coupon cannot be edited through this creator.
    if (!made.ok) throw new Error('not made');
    expect(await saveCreatorCoupon(db, { creatorId: sam.id, couponId: made.couponId, fields: { ...fields, code: 'SAM15' } })).toMatchObject({ ok: false, reason: 'not_found' });

    await paidSale('maya', 10000, T0, { coupon: 'MAYA15' });
    expect(await saveCreatorCoupon(db, { creatorId: maya.id, couponId: made.couponId, fields: { ...fields, code: 'MAYA20' } })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await saveCreatorCoupon(db, { creatorId: maya.id, couponId: made.couponId, fields: { ...fields, percentOff: '20', active: '' } })).toMatchObject({ ok: true });
    expect(await db.select().from(coupons).get()).toMatchObject({ code: 'MAYA15', percentOff: 20, active: false });
  });
});

describe('the code form’s hidden couponId', () => {
  it('empty means a new code, digits an existing one', () => {
    expect(parseCouponIdField('')).toEqual({ ok: true, couponId: null });
    expect(parseCouponIdField(undefined)).toEqual({ ok: true, couponId: null });
    expect(parseCouponIdField('12')).toEqual({ ok: true, couponId: 12 });
  });

  it.each(['12abc', '-1', '0', '1e3', '1.5', '9999999999', 'null', '<script>', '０１'])('refuses %j with a message (never read as "new")', (raw) => {
    const r = parseCouponIdField(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/Reload the page/);
  });
});

describe('category commission rates', () => {
  it('sets, validates and removes an override; a category rate beats the creator’s', async () => {
    const c = await makeCreator(db, { handle: 'maya' });
    await updateCreatorSettings(db, { creatorId: c.id, rate: '12', referralCode: '' });
    const shoes = await upsertCategory(db, 'shoes');
    expect(await setCategoryRate(db, { categoryId: shoes, rate: 'five' })).toMatchObject({ ok: false, reason: 'invalid', errors: { rate: expect.any(String) } });
    expect(await setCategoryRate(db, { categoryId: 999, rate: '5' })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await db.select().from(categoryCommissionRates)).toHaveLength(0);

    expect(await setCategoryRate(db, { categoryId: shoes, rate: '5' })).toEqual({ ok: true, changed: true });
    expect(await setCategoryRate(db, { categoryId: shoes, rate: '7.5%' })).toEqual({ ok: true, changed: true });
    expect((await listCategoryRates(db)).find((r) => r.id === shoes)).toMatchObject({ slug: 'shoes', rateBps: 750 });

    await paidSale('maya', 10000, T0, { category: 'shoes' });
    await paidSale('maya', 10000, T0, { category: 'tops' });
    expect((await db.select({ rate: commissionEntries.rateBps }).from(commissionEntries).orderBy(commissionEntries.id)).map((r) => r.rate)).toEqual([750, 1200]);

    expect(await setCategoryRate(db, { categoryId: shoes, rate: '' })).toEqual({ ok: true, changed: true });
    expect(await setCategoryRate(db, { categoryId: shoes, rate: '' })).toEqual({ ok: true, changed: false });
    expect(await db.select().from(categoryCommissionRates)).toHaveLength(0);
  });
});

describe('creator list figures', () => {
  it('shows clicks, orders, attributed sales and commission by status', async () => {
    const maya = await makeCreator(db, { handle: 'maya', displayName: 'Maya' });
    const sam = await makeCreator(db, { handle: 'sam', displayName: 'Sam' });
    await createUser(db, { email: 'sam@example.com', password: 'a long enough password', role: 'creator', creatorHandle: 'sam' });
    await db.update(creators).set({ invitedByCreatorId: maya.id }).where(eq(creators.id, sam.id));
    await db.insert(clickDaily).values([
      { creatorId: maya.id, day: 1, post: '', clicks: 7 },
      { creatorId: maya.id, day: 2, post: 'a-post', clicks: 5 },
    ]);
    await paidSale('maya', 30000, T0); // 3000
    await paidSale('maya', 10000, T0 + 20 * DAY); // 1000, pending at T0+31
    const now = T0 + 31 * DAY;
    const batch = await createPayoutBatch(db, { thresholdCents: 2500, createdBy: 'admin:x', now });
    if (!batch.ok) throw new Error('no batch');
    const list = await listCreatorsForAdmin(db, now);
    expect(list.map((c) => c.handle)).toEqual(['maya', 'sam']);
    expect(list[0]).toMatchObject({
      clicks: 12,
      orders: 2,
      salesCents: 40000,
      balances: { pendingCents: 1000, approvedCents: 0, inPayoutCents: 3000, paidCents: 0 },
    });
    expect(list.map((c) => c.email)).toEqual([null, 'sam@example.com']);
    expect(list[1]).toMatchObject({ clicks: 0, orders: 0, salesCents: 0, invitedBy: { id: maya.id, handle: 'maya' }, balances: { pendingCents: 0, approvedCents: 0, inPayoutCents: 0, paidCents: 0 } });

    const payoutId = (await getPayoutBatch(db, batch.batchId))!.payouts[0]!.id;
    await markPayoutPaid(db, { payoutId, reference: 'TRF', now });
    expect((await listCreatorsForAdmin(db, now))[0]!.balances).toEqual({ pendingCents: 1000, approvedCents: 0, inPayoutCents: 0, paidCents: 3000 });
  });
});

describe('admin order detail', () => {
  it('shows each line’s credited creator, source and reason', async () => {
    await makeCreator(db, { handle: 'maya' });
    const id = await paidSale('maya', 10000, T0);
    const number = (await db.select({ n: orders.number }).from(orders).where(eq(orders.id, id)).get())!.n;
    const detail = (await getOrderDetail(db, number, T0))!;
    expect(detail.lines).toHaveLength(1);
    expect(detail.lines[0]).toMatchObject({ creditedCreatorHandle: 'maya', attributionSource: 'post', attributionReason: expect.stringContaining('maya') });
  });
});
