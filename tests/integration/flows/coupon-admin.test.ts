/** The admin coupons page's workflow: create, switch on and off; a bad form writes nothing. */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { couponState, listShopCoupons } from '../../../src/server/checkout/index.ts';
import { runCouponAdminAction } from '../../../src/server/flows/index.ts';
import { httpStatus } from '../../../src/server/shared/index.ts';
import { coupons } from '../../../db/schema/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.$client.close());
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const total = async () => (await db.select({ n: count() }).from(coupons).get())!.n;

describe('runCouponAdminAction', () => {
  it('creates a coupon, then switches it off and on', async () => {
    const app = testApp(db);
    const created = await runCouponAdminAction(app, { form: form({ action: 'create', code: 'spring20', kind: 'percent', percentOff: '20', active: 'on' }) });
    expect(created).toEqual({ kind: 'done', done: 'created' });
    const [c] = await listShopCoupons(db);
    expect(c).toMatchObject({ code: 'SPRING20', percentOff: 20, active: true });
    expect(await runCouponAdminAction(app, { form: form({ action: 'toggle', id: String(c!.id), active: '0' }) })).toEqual({ kind: 'done', done: 'deactivated' });
    expect(await runCouponAdminAction(app, { form: form({ action: 'toggle', id: String(c!.id), active: '1' }) })).toEqual({ kind: 'done', done: 'activated' });
  });

  it('keeps what was typed and names the wrong field; writes nothing', async () => {
    const before = await total();
    const r = await runCouponAdminAction(testApp(db), { form: form({ action: 'create', code: 'x', kind: 'percent', percentOff: '120' }) });
    expect(r.kind).toBe('refused');
    if (r.kind !== 'refused') return;
    expect(httpStatus(r.refusal)).toBe(400);
    expect(r.values).toMatchObject({ code: 'x', percentOff: '120' });
    expect(Object.keys(r.errors).sort()).toEqual(['code', 'percentOff']);
    expect(await total()).toBe(before);
  });

  it('refuses a coupon that is gone and an unknown action', async () => {
    const gone = await runCouponAdminAction(testApp(db), { form: form({ action: 'toggle', id: '99999', active: '1' }) });
    expect(gone.kind === 'refused' && httpStatus(gone.refusal)).toBe(404);
    const unknown = await runCouponAdminAction(testApp(db), { form: form({ action: 'drop' }) });
    expect(unknown.kind === 'refused' && [httpStatus(unknown.refusal), unknown.refusal.message]).toEqual([400, 'Unknown action. Reload the page and try again.']);
  });
});

describe('couponState', () => {
  const base = { active: true, startsAt: null, endsAt: null, maxRedemptions: null, redemptions: 0 };
  it('says inactive, ended, scheduled, used up or active', () => {
    const now = 1_000;
    expect(couponState({ ...base, active: false }, now)).toBe('inactive');
    expect(couponState({ ...base, endsAt: 1_000 }, now)).toBe('ended');
    expect(couponState({ ...base, startsAt: 1_001 }, now)).toBe('scheduled');
    expect(couponState({ ...base, maxRedemptions: 3, redemptions: 3 }, now)).toBe('used_up');
    expect(couponState(base, now)).toBe('active');
  });
});
