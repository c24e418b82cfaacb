/** The admin creator page's workflow: settings and personal codes; a refusal keeps what was typed. */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { runCreatorAdminAction } from '../../../src/server/flows/index.ts';
import { coupons, creators } from '../../../db/schema/index.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

let db: Db;
let lena: { id: number; handle: string };
beforeAll(async () => {
  db = await createTestDb();
  lena = await makeCreator(db, { handle: 'lena' });
});
afterAll(() => db.$client.close());
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const codes = async () => (await db.select({ n: count() }).from(coupons).get())!.n;

describe('runCreatorAdminAction', () => {
  it('saves a rate and a referral code, then a new personal code', async () => {
    const app = testApp(db);
    const s = await runCreatorAdminAction(app, { creator: lena, form: form({ action: 'settings', rate: '12.5', referralCode: 'lena' }) });
    expect(s).toEqual({ kind: 'done', redirectTo: '/admin/creators/lena?saved=settings' });
    expect(await db.select({ rate: creators.commissionRateBps }).from(creators).where(eq(creators.id, lena.id)).get()).toEqual({ rate: 1250 });
    const c = await runCreatorAdminAction(app, { creator: lena, form: form({ action: 'coupon', code: 'lena20', percentOff: '20', perEmailLimit: '1', active: 'on' }) });
    expect(c).toEqual({ kind: 'done', redirectTo: '/admin/creators/lena?saved=code&code=LENA20#codes' });
  });

  it('refuses a bad rate next to its field, keeps what was typed, writes nothing', async () => {
    const r = await runCreatorAdminAction(testApp(db), { creator: lena, form: form({ action: 'settings', rate: 'lots', referralCode: 'lena' }) });
    expect(r).toMatchObject({ kind: 'refused', status: 400, settings: { values: { rate: 'lots', referralCode: 'lena' } } });
    if (r.kind !== 'refused') return;
    expect(Object.keys(r.settings!.failure.errors)).toEqual(['rate']);
    expect(await db.select({ rate: creators.commissionRateBps }).from(creators).where(eq(creators.id, lena.id)).get()).toEqual({ rate: 1250 });
  });

  it('refuses a malformed coupon id (an out-of-date form) instead of creating a code', async () => {
    const before = await codes();
    const r = await runCreatorAdminAction(testApp(db), { creator: lena, form: form({ action: 'coupon', couponId: '1 OR 1=1', code: 'LENA30', percentOff: '30' }) });
    expect(r).toMatchObject({ kind: 'refused', status: 400, formError: expect.stringContaining('Reload the page') });
    expect(await codes()).toBe(before);
  });
});
