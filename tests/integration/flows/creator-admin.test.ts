/** The admin creator page's workflow: settings and personal codes; a refusal keeps what was typed. */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { runCreatorAdminAction, runCreatorsAdminAction } from '../../../src/server/flows/index.ts';
import { coupons, creatorInvites, creators, outboxEmails } from '../../../db/schema/index.ts';
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

describe('runCreatorsAdminAction', () => {
  it('invites a creator: the invitation and its email are written, and the page says so', async () => {
    const r = await runCreatorsAdminAction(testApp(db), { actor: 'admin:ops@shop.test', form: form({ action: 'invite', email: 'Noor@Example.com', handle: 'noor', displayName: 'Noor A' }) });
    expect(r).toEqual({ kind: 'done', redirectTo: '/admin/creators?invited=noor%40example.com#invites' });
    expect((await db.select().from(creatorInvites).all()).map((i) => i.email)).toEqual(['noor@example.com']);
    expect((await db.select().from(outboxEmails).all()).map((m) => m.toAddress)).toEqual(['noor@example.com']);
  });
  it('refuses an inviter that is not in the list, and a category that does not exist, writing nothing', async () => {
    const app = testApp(db);
    const bad = await runCreatorsAdminAction(app, { actor: 'admin:ops@shop.test', form: form({ action: 'invite', email: 'x@example.com', handle: 'xx', displayName: 'X', inviter: 'maya' }) });
    expect(bad).toMatchObject({ kind: 'refused', status: 400, invite: { errors: { form: 'Choose who invited this creator from the list.' } } });
    const cat = await runCreatorsAdminAction(app, { actor: 'admin:ops@shop.test', form: form({ action: 'category-rate', categoryId: '999', rate: '12' }) });
    expect(cat).toMatchObject({ kind: 'refused', status: 404, rate: { categoryId: 999, value: '12' } });
    expect(await db.select().from(creatorInvites).all()).toHaveLength(1);
  });
});
