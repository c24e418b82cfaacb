import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { type App } from '../../../src/server/flows/index.ts';
import { paidSale as paidSaleVia, testApp } from '../../helpers/app.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import { authSessions, commissionEntries, creatorInvites, creators, outboxEmails, users } from '../../../db/schema/index.ts';
import { reverseOrderCommissions, type CreditSettings } from '../../../src/server/commissions/index.ts';
import { overrideEndsAt } from '../../../src/server/commissions/index.ts';
import { validateSessionToken } from '../../../src/server/auth/index.ts';
import { createUser } from '../../../src/server/auth/index.ts';
import {
  acceptInvite,
  createCreatorInvite,
  findInvite,
  hashInviteToken,
  INVITE_TTL_MS,
  listInvitees,
  listPendingInvites,
  type InviteMailContext,
} from '../../../src/server/commissions/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 15, 12);
const SETTINGS: CreditSettings = { defaultRateBps: 1000, lockDays: 30, attributionWindowMs: 30 * DAY };
const MAIL: InviteMailContext = { shopName: 'Lookbook', locale: 'en-US', siteUrl: 'https://shop.example' };
const PASSWORD = 'a long enough password';

let db: Db;
let app: App;
let seq = 0;

const paidSale = (handle: string, priceCents: number, at: number, opts?: { category?: string; coupon?: string }) => paidSaleVia(app, handle, priceCents, at, opts);

async function invite(fields: { email: string; handle: string; displayName?: string }, inviterCreatorId: number | null, now = T0, invitedBy = inviterCreatorId === null ? 'admin:ops@lookbook.test' : `creator:${inviterCreatorId}`) {
  return createCreatorInvite(db, { fields: { displayName: fields.handle.toUpperCase(), ...fields }, inviterCreatorId, invitedBy, mail: MAIL, now });
}

/** Invite and accept in one go: the new creator's id. */
async function join(handle: string, inviterCreatorId: number | null, at: number): Promise<number> {
  const inv = await invite({ email: `${handle}@example.com`, handle }, inviterCreatorId, at);
  if (!inv.ok) throw new Error(inv.message);
  const acc = await acceptInvite(db, { token: inv.token, password: PASSWORD, now: at });
  if (!acc.ok) throw new Error(acc.message);
  return acc.creatorId;
}

async function counts() {
  const [c, u, s] = await Promise.all([
    db.select({ n: count() }).from(creators).get(),
    db.select({ n: count() }).from(users).get(),
    db.select({ n: count() }).from(authSessions).get(),
  ]);
  return { creators: c!.n, users: u!.n, sessions: s!.n };
}

const overrides = (creatorId: number) =>
  db
    .select({ kind: commissionEntries.kind, amountCents: commissionEntries.amountCents })
    .from(commissionEntries)
    .where(and(eq(commissionEntries.creatorId, creatorId)))
    .then((rows) => rows.filter((r) => r.kind.startsWith('override')));

beforeEach(async () => {
  db?.$client.close();
  db = await createTestDb();
  app = testApp(db);
});
afterAll(() => db?.$client.close());

describe('invite → accept', () => {
  it('stores only the token hash, emails the link through the outbox, and creates the creator with its inviter on accept', async () => {
    const maya = await makeCreator(db, { handle: 'maya', displayName: 'Maya Okafor' });
    const inv = await invite({ email: ' Ana@Example.com ', handle: '@Ana', displayName: 'Ana <Lee>' }, maya.id);
    expect(inv).toMatchObject({ ok: false, reason: 'invalid' });
    const ok = await invite({ email: ' Ana@Example.com ', handle: '@Ana', displayName: 'Ana Lee' }, maya.id);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.expiresAt).toBe(T0 + INVITE_TTL_MS);

    const row = (await db.select().from(creatorInvites).get())!;
    expect(row).toMatchObject({ email: 'ana@example.com', handle: 'ana', displayName: 'Ana Lee', inviterCreatorId: maya.id, acceptedAt: null });
    expect(row.tokenHash).toBe(hashInviteToken(ok.token));
    expect(JSON.stringify(row)).not.toContain(ok.token);

    const mail = (await db.select().from(outboxEmails).get())!;
    expect(mail).toMatchObject({ toAddress: 'ana@example.com', kind: 'creator_invite', subject: 'Maya Okafor invited you to Lookbook' });
    expect(mail.textBody).toContain(`https://shop.example/invite/${ok.token}`);
    expect(mail.htmlBody).toContain(`https://shop.example/invite/${ok.token}`);

    expect(await findInvite(db, ok.token, T0 + DAY)).toMatchObject({ ok: true, invite: { handle: 'ana', inviterName: 'Maya Okafor' } });
    expect(await listPendingInvites(db, { inviterCreatorId: maya.id, now: T0 + DAY })).toMatchObject([{ handle: 'ana', state: 'open' }]);

    const at = T0 + 2 * DAY;
    const acc = await acceptInvite(db, { token: ok.token, password: PASSWORD, now: at });
    expect(acc.ok).toBe(true);
    if (!acc.ok) return;
    const ana = (await db.select().from(creators).where(eq(creators.handle, 'ana')).get())!;
    expect(ana).toMatchObject({ id: acc.creatorId, displayName: 'Ana Lee', invitedByCreatorId: maya.id, createdAt: at });
    const user = (await db.select().from(users).where(eq(users.email, 'ana@example.com')).get())!;
    expect(user).toMatchObject({ role: 'creator', creatorId: ana.id });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await db.select().from(creatorInvites).get())!).toMatchObject({ acceptedAt: at, creatorId: ana.id });
    const session = await validateSessionToken(db, acc.sessionToken, at + 1);
    expect(session).toMatchObject({ ok: true, user: { email: 'ana@example.com', role: 'creator', creatorId: ana.id } });
    expect(await listPendingInvites(db, { inviterCreatorId: maya.id, now: at })).toEqual([]);
  });

  it('the shop can invite without an inviter (no override for anyone)', async () => {
    const id = await join('solo', null, T0);
    expect((await db.select().from(creators).where(eq(creators.id, id)).get())!.invitedByCreatorId).toBeNull();
    const mail = (await db.select().from(outboxEmails).get())!;
    expect(mail.subject).toBe("You're invited to join Lookbook as a creator");
  });

  it('refuses expired, used and unknown tokens, and a weak password, writing nothing', async () => {
    const inv = await invite({ email: 'ana@example.com', handle: 'ana' }, null);
    if (!inv.ok) throw new Error(inv.message);
    const before = await counts();

    expect(await acceptInvite(db, { token: inv.token, password: 'short', now: T0 + DAY })).toMatchObject({ ok: false, reason: 'weak_password' });
    expect(await acceptInvite(db, { token: inv.token, password: PASSWORD, now: T0 + INVITE_TTL_MS })).toMatchObject({ ok: false, reason: 'expired' });
    expect(await findInvite(db, inv.token, T0 + INVITE_TTL_MS)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await acceptInvite(db, { token: 'a'.repeat(32), password: PASSWORD, now: T0 })).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await acceptInvite(db, { token: '../../etc', password: PASSWORD, now: T0 })).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await counts()).toEqual(before);
    expect((await db.select().from(creatorInvites).get())!.acceptedAt).toBeNull();

    // Used: the first accept wins, the second (even at the same moment) changes nothing.
    const [a, b] = await Promise.all([
      acceptInvite(db, { token: inv.token, password: PASSWORD, now: T0 + DAY }),
      acceptInvite(db, { token: inv.token, password: 'another long password', now: T0 + DAY }),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((a.ok ? b : a) as { reason: string }).toMatchObject({ reason: 'used' });
    expect(await counts()).toEqual({ creators: before.creators + 1, users: before.users + 1, sessions: before.sessions + 1 });
    expect(await acceptInvite(db, { token: inv.token, password: PASSWORD, now: T0 + 2 * DAY })).toMatchObject({ ok: false, reason: 'used' });
    expect(await findInvite(db, inv.token, T0 + 2 * DAY)).toMatchObject({ ok: false, reason: 'used' });
  });

  it("can't invite an existing user's email or a taken handle; an open invite reserves its handle", async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const sam = await makeCreator(db, { handle: 'sam' });
    await createUser(db, { email: 'maya@example.com', password: PASSWORD, role: 'creator', creatorHandle: 'maya' });
    expect(await invite({ email: 'MAYA@example.com', handle: 'new-one' }, sam.id)).toMatchObject({ ok: false, reason: 'email_taken', errors: { email: expect.any(String) } });
    expect(await invite({ email: 'new@example.com', handle: 'maya' }, sam.id)).toMatchObject({ ok: false, reason: 'handle_taken', errors: { handle: expect.any(String) } });
    expect(await invite({ email: 'maya@example.com', handle: 'sam' }, null)).toMatchObject({ ok: false, reason: 'email_taken', errors: { email: expect.any(String), handle: expect.any(String) } });
    expect(await invite({ email: 'ana@example.com', handle: 'ana' }, sam.id)).toMatchObject({ ok: true });
    expect(await invite({ email: 'bo@example.com', handle: 'ana' }, maya.id)).toMatchObject({ ok: false, reason: 'handle_taken' });
    // Someone else's open invite to the same address is not taken over…
    expect(await invite({ email: 'ana@example.com', handle: 'ana' }, maya.id)).toMatchObject({ ok: false, reason: 'already_invited' });
    expect(await db.select().from(outboxEmails)).toHaveLength(1);
    // …but the same inviter may send it again: the old link stops working.
    const first = (await db.select().from(creatorInvites).get())!;
    const again = await invite({ email: 'ana@example.com', handle: 'ana' }, sam.id, T0 + 1000);
    expect(again).toMatchObject({ ok: true, replaced: 1 });
    expect((await db.select().from(creatorInvites).where(eq(creatorInvites.id, first.id)).get())!.expiresAt).toBe(T0 + 1000);
  });

  it('limits how many invitations a creator sends a day', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const send = (i: number) => createCreatorInvite(db, { fields: { email: `p${i}@example.com`, handle: `p-${i}`, displayName: 'P' }, inviterCreatorId: maya.id, invitedBy: 'creator:maya', mail: MAIL, limitPerDay: 2, now: T0 + i });
    expect((await send(1)).ok).toBe(true);
    expect((await send(2)).ok).toBe(true);
    expect(await send(3)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect((await createCreatorInvite(db, { fields: { email: 'p4@example.com', handle: 'p-4', displayName: 'P' }, inviterCreatorId: maya.id, invitedBy: 'creator:maya', mail: MAIL, limitPerDay: 2, now: T0 + DAY + 10 })).ok).toBe(true);
  });
});

describe('one-level referral override', () => {
  it('pays the inviter 10% of the invitee’s commission on sales within 6 months, none after', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const ana = await join('ana', maya.id, T0);
    await paidSale('ana', 10000, T0 + 30 * DAY); // ana 1000, maya 100
    const ends = overrideEndsAt(T0);
    await paidSale('ana', 20000, ends - 1); // still inside: ana 2000, maya 200
    await paidSale('ana', 50000, ends); // the period has ended: ana 5000, maya nothing
    await paidSale('ana', 50000, T0 + 220 * DAY);
    expect((await overrides(maya.id)).map((o) => o.amountCents)).toEqual([100, 200]);

    const invitees = await listInvitees(db, maya.id, T0 + 40 * DAY);
    expect(invitees).toEqual([
      { creatorId: ana, handle: 'ana', displayName: 'ANA', joinedAt: T0, overrideEndsAt: ends, overrideActive: true, overrideCents: 300 },
    ]);
    expect((await listInvitees(db, maya.id, ends))[0]!.overrideActive).toBe(false);
  });

  it('never a second level: A invites B invites C; a sale by C gives B an override and A nothing', async () => {
    const a = await makeCreator(db, { handle: 'aa' });
    const b = await join('bb', a.id, T0);
    const c = await join('cc', b, T0 + DAY);
    await paidSale('cc', 10000, T0 + 10 * DAY); // cc 1000 → bb 100, aa nothing
    expect(await overrides(b)).toEqual([{ kind: 'override', amountCents: 100 }]);
    expect(await overrides(a.id)).toEqual([]);
    await paidSale('bb', 10000, T0 + 10 * DAY); // bb's own sale → aa 100
    expect(await overrides(a.id)).toEqual([{ kind: 'override', amountCents: 100 }]);
    expect((await listInvitees(db, a.id, T0)).map((i) => [i.handle, i.overrideCents])).toEqual([['bb', 100]]);
    expect((await listInvitees(db, b, T0)).map((i) => [i.handle, i.overrideCents])).toEqual([['cc', 100]]);
    expect(await overrides(c)).toEqual([]);
  });

  it('override earnings per invitee net out reversals', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const ana = await join('ana', maya.id, T0);
    const bo = await join('bo', maya.id, T0);
    const refunded = await paidSale('ana', 10000, T0 + DAY); // maya +100
    await paidSale('ana', 30000, T0 + DAY); // maya +300
    await paidSale('bo', 20000, T0 + DAY); // maya +200
    await db.transaction((tx) => reverseOrderCommissions(tx, refunded, T0 + 2 * DAY, 'all')); // maya −100
    const rows = await listInvitees(db, maya.id, T0 + 3 * DAY);
    expect(Object.fromEntries(rows.map((r) => [r.creatorId, r.overrideCents]))).toEqual({ [ana]: 300, [bo]: 200 });
  });
});
