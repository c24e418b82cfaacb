import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { fillBag, placeTestOrder } from '../../helpers/checkout.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { couponRedemptions, coupons } from '../../../db/schema/index.ts';
import { createShopCoupon, listShopCoupons, setShopCouponActive } from '../../../src/server/checkout/index.ts';
import { couponUsage } from '../../../src/server/checkout/index.ts';
import { evaluateCoupon } from '../../../src/server/checkout/index.ts';

const T0 = Date.UTC(2026, 5, 1, 12);
const FIELDS = { code: '', kind: 'percent', percentOff: '', amountOff: '', minSubtotal: '', startsOn: '', endsOn: '', maxRedemptions: '', perEmailLimit: '', active: 'on' };

let db: Db;
let creatorId: number;

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, { slug: 'coupon-tee', variants: [makeVariant({ sku: 'CTEE', priceCents: 4000, stock: 100 })] });
  creatorId = (await makeCreator(db, { handle: 'maya' })).id;
  await db.insert(coupons).values({ code: 'MAYA15', kind: 'percent', percentOff: 15, creatorId, createdAt: T0 });
});
afterAll(() => db.$client.close());

describe('shop coupons (admin)', () => {
  it('creates a percent coupon and lists it', async () => {
    const r = await createShopCoupon(db, { ...FIELDS, code: 'spring10', percentOff: '10', endsOn: '2026-06-30', perEmailLimit: '1' }, T0);
    expect(r).toMatchObject({ ok: true, code: 'SPRING10' });
    const row = await db.select().from(coupons).where(eq(coupons.code, 'SPRING10')).get();
    expect(row).toMatchObject({ kind: 'percent', percentOff: 10, amountOffCents: null, endsAt: Date.UTC(2026, 6, 1), perEmailLimit: 1, active: true, creatorId: null, createdAt: T0 });
  });

  it('refuses a code that clashes with a creator code (any case), writing nothing', async () => {
    const before = (await db.select().from(coupons)).length;
    const r = await createShopCoupon(db, { ...FIELDS, code: 'maya15', percentOff: '20' }, T0);
    expect(r).toMatchObject({ ok: false, reason: 'taken', errors: { code: expect.stringContaining('creator') } });
    expect((await db.select().from(coupons)).length).toBe(before);
  });

  it('refuses a code that clashes with another shop coupon', async () => {
    const r = await createShopCoupon(db, { ...FIELDS, code: 'SPRING10', percentOff: '5' }, T0);
    expect(r).toMatchObject({ ok: false, reason: 'taken', errors: { code: expect.stringContaining('already in use') } });
  });

  it('bad input writes nothing and names each field', async () => {
    const before = (await db.select().from(coupons)).length;
    const r = await createShopCoupon(db, { ...FIELDS, code: 'GOODCODE', kind: 'amount', amountOff: '1,000', startsOn: '2026-07-10', endsOn: '2026-07-01' }, T0);
    expect(r).toMatchObject({ ok: false, reason: 'invalid' });
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['amountOff', 'endsOn']);
    expect((await db.select().from(coupons)).length).toBe(before);
    expect(await db.select().from(coupons).where(eq(coupons.code, 'GOODCODE')).get()).toBeUndefined();
  });

  it('toggles a shop coupon but never a creator code', async () => {
    const spring = (await db.select().from(coupons).where(eq(coupons.code, 'SPRING10')).get())!;
    expect(await setShopCouponActive(db, spring.id, false)).toEqual({ ok: true, code: 'SPRING10', active: false });
    expect((await db.select().from(coupons).where(eq(coupons.id, spring.id)).get())!.active).toBe(false);
    expect(await setShopCouponActive(db, spring.id, true)).toMatchObject({ ok: true, active: true });
    expect((await db.select().from(coupons).where(eq(coupons.id, spring.id)).get())!.active).toBe(true);

    const maya = (await db.select().from(coupons).where(eq(coupons.code, 'MAYA15')).get())!;
    expect(await setShopCouponActive(db, maya.id, false)).toMatchObject({ ok: false, reason: 'not_found' });
    expect((await db.select().from(coupons).where(eq(coupons.id, maya.id)).get())!.active).toBe(true);
    expect(await setShopCouponActive(db, 999_999, false)).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('a created amount coupon is honoured at checkout (evaluateCoupon), and the list counts live redemptions', async () => {
    const r = await createShopCoupon(db, { ...FIELDS, code: 'tenoff', kind: 'amount', amountOff: '10.00', minSubtotal: '30', maxRedemptions: '5' }, T0 + 1);
    expect(r.ok).toBe(true);
    const row = (await db.select().from(coupons).where(eq(coupons.code, 'TENOFF')).get())!;
    expect(row).toMatchObject({ kind: 'amount', amountOffCents: 1000, minSubtotalCents: 3000, maxRedemptions: 5 });

    expect(evaluateCoupon(row, { subtotalCents: 4000, now: T0 + 2, ...(await couponUsage(db, row.id, 'a@example.com')) })).toEqual({ ok: true, discountCents: 1000 });
    expect(evaluateCoupon(row, { subtotalCents: 2999, now: T0 + 2, redemptions: 0, redemptionsByEmail: 0 })).toMatchObject({ ok: false, reason: 'min_subtotal' });

    // Two orders use it at checkout; one is then released (canceled or expired) and no longer counts.
    const ids: number[] = [];
    for (const email of ['a@example.com', 'b@example.com']) {
      const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'CTEE', qty: 1 }], T0 + 2), { now: T0 + 2, form: { couponCode: 'tenoff', email } });
      if (!placed.ok) throw new Error(placed.reason);
      ids.push(placed.orderId);
    }
    // A creator code's redemption is not listed here.
    const viaCreator = await placeTestOrder(db, await fillBag(db, [{ sku: 'CTEE', qty: 1 }], T0 + 2), { now: T0 + 2, form: { couponCode: 'MAYA15', email: 'c@example.com' } });
    expect(viaCreator.ok).toBe(true);
    await db.update(couponRedemptions).set({ releasedAt: T0 + 3 }).where(eq(couponRedemptions.orderId, ids[1]!));

    const list = await listShopCoupons(db);
    expect(list.map((c) => c.code)).toEqual(['TENOFF', 'SPRING10']);
    expect(list.find((c) => c.code === 'TENOFF')).toMatchObject({ redemptions: 1, maxRedemptions: 5, amountOffCents: 1000 });
    expect(list.find((c) => c.code === 'SPRING10')).toMatchObject({ redemptions: 0 });
  });
});
