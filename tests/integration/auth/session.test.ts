import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { authSessions, users } from '../../../db/schema/auth.ts';
import type { Db } from '../../../src/server/db.ts';
import {
  SESSION_TTL_MS,
  createSession,
  deleteExpiredSessions,
  generateTokenPart,
  hashSessionSecret,
  invalidateSession,
  invalidateUserSessions,
  validateSessionToken,
} from '../../../src/server/auth/index.ts';
import { createTestDb } from '../../helpers/db.ts';

const DAY = 24 * 60 * 60 * 1000;
const t0 = Date.UTC(2026, 5, 1);

let db: Db;
let userId: number;
let otherUserId: number;
let creatorUserId: number;

beforeAll(async () => {
  db = await createTestDb();
  const insert = (email: string) =>
    db.insert(users).values({ email, passwordHash: 'x', role: 'admin', createdAt: t0 }).returning({ id: users.id }).get();
  userId = (await insert('one@lookbook.test')).id;
  otherUserId = (await insert('two@lookbook.test')).id;
  creatorUserId = (await db.insert(users).values({ email: 'maker@lookbook.test', passwordHash: 'x', role: 'creator', createdAt: t0 }).returning({ id: users.id }).get()).id;
});
afterAll(() => db.$client.close());

describe('createSession', () => {
  it('stores the id and SHA-256(secret) only, expiring in 30 days', async () => {
    const { token, session } = await createSession(db, userId, t0);
    const [id, secret] = token.split('.') as [string, string];
    expect(session).toEqual({ id, userId, expiresAt: t0 + SESSION_TTL_MS });

    const row = await db.select().from(authSessions).where(eq(authSessions.id, id)).get();
    expect(row).toBeDefined();
    expect(row!.createdAt).toBe(t0);
    expect(row!.expiresAt).toBe(t0 + 30 * DAY);
    expect(Buffer.from(row!.secretHash).equals(Buffer.from(hashSessionSecret(secret)))).toBe(true);
    // The secret appears nowhere in the row.
    expect(JSON.stringify({ ...row, secretHash: Buffer.from(row!.secretHash).toString('latin1') })).not.toContain(secret);
  });
});

describe('validateSessionToken', () => {
  it('accepts its token and returns the user (without the password hash)', async () => {
    const { token, session } = await createSession(db, userId, t0);
    const result = await validateSessionToken(db, token, t0 + DAY);
    expect(result).toEqual({
      ok: true,
      session,
      user: { id: userId, email: 'one@lookbook.test', role: 'admin', creatorId: null },
      refreshed: false,
    });
  });

  it('refuses a wrong secret for a right id, and keeps the session for its owner', async () => {
    const { token, session } = await createSession(db, userId, t0);
    const forged = `${session.id}.${generateTokenPart()}`;
    expect(await validateSessionToken(db, forged, t0 + 1)).toEqual({ ok: false, reason: 'bad_secret' });
    expect((await validateSessionToken(db, token, t0 + 1)).ok).toBe(true);
  });

  it('refuses the stored hash presented as the secret', async () => {
    const { session } = await createSession(db, userId, t0);
    const row = await db.select().from(authSessions).where(eq(authSessions.id, session.id)).get();
    const hex = Buffer.from(row!.secretHash).toString('hex');
    expect((await validateSessionToken(db, `${session.id}.${hex}`, t0 + 1)).ok).toBe(false);
  });

  it('refuses an unknown id and a malformed token', async () => {
    expect(await validateSessionToken(db, `${generateTokenPart()}.${generateTokenPart()}`, t0)).toEqual({ ok: false, reason: 'not_found' });
    expect(await validateSessionToken(db, 'garbage', t0)).toEqual({ ok: false, reason: 'malformed' });
    expect(await validateSessionToken(db, '', t0)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('expires after 30 days unused, and deletes the expired row', async () => {
    const { token, session } = await createSession(db, userId, t0);
    expect((await validateSessionToken(db, token, t0 + 30 * DAY - 1)).ok).toBe(true);

    const again = await createSession(db, userId, t0);
    expect(await validateSessionToken(db, again.token, t0 + 30 * DAY)).toEqual({ ok: false, reason: 'expired' });
    expect(await db.select().from(authSessions).where(eq(authSessions.id, again.session.id)).get()).toBeUndefined();
    // The first one slid when used at day 30 - 1ms, so it is still there.
    expect(await db.select().from(authSessions).where(eq(authSessions.id, session.id)).get()).toBeDefined();
  });

  it('slides: used with less than 15 days left, it is extended to 30 days from now (once)', async () => {
    // A creator's session (90-day absolute limit), so the slide is not cut by the admins' 30 days.
    const { token, session } = await createSession(db, creatorUserId, t0);

    const early = await validateSessionToken(db, token, t0 + 14 * DAY);
    expect(early).toMatchObject({ ok: true, refreshed: false, session: { expiresAt: t0 + 30 * DAY } });

    const at = t0 + 16 * DAY;
    const slid = await validateSessionToken(db, token, at);
    expect(slid).toMatchObject({ ok: true, refreshed: true, session: { expiresAt: at + 30 * DAY } });
    const row = await db.select().from(authSessions).where(eq(authSessions.id, session.id)).get();
    expect(row!.expiresAt).toBe(at + 30 * DAY);

    // Right after sliding there is nothing to extend.
    expect(await validateSessionToken(db, token, at + DAY)).toMatchObject({ ok: true, refreshed: false });
    // An active user stays signed in well past the first 30 days…
    expect((await validateSessionToken(db, token, t0 + 40 * DAY)).ok).toBe(true);
    // …and an idle one is signed out 30 days after their last extension.
    expect(await validateSessionToken(db, token, t0 + 40 * DAY + 30 * DAY)).toEqual({ ok: false, reason: 'expired' });
  });

  it('a session 400 days old is refused and deleted, however recently it was extended', async () => {
    const { token, session } = await createSession(db, creatorUserId, t0);
    // As a row from before the absolute limit: extended far ahead, last used yesterday.
    await db.update(authSessions).set({ expiresAt: t0 + 420 * DAY }).where(eq(authSessions.id, session.id));
    expect(await validateSessionToken(db, token, t0 + 400 * DAY)).toEqual({ ok: false, reason: 'expired' });
    expect(await db.select().from(authSessions).where(eq(authSessions.id, session.id)).get()).toBeUndefined();
  });

  it('a creator used every day is signed out 90 days after sign-in; the expiry never passes it', async () => {
    const { token } = await createSession(db, creatorUserId, t0, 'creator');
    let last = 0;
    for (let day = 1; day < 90; day++) {
      const r = await validateSessionToken(db, token, t0 + day * DAY);
      expect(r.ok, `day ${day}`).toBe(true);
      if (r.ok) last = r.session.expiresAt;
      if (r.ok) expect(r.session.expiresAt).toBeLessThanOrEqual(t0 + 90 * DAY);
    }
    expect(last).toBe(t0 + 90 * DAY);
    expect(await validateSessionToken(db, token, t0 + 90 * DAY)).toEqual({ ok: false, reason: 'expired' });
  });

  it('an admin used every day is signed out 30 days after sign-in', async () => {
    const { token, session } = await createSession(db, userId, t0, 'admin');
    expect(session.expiresAt).toBe(t0 + 30 * DAY);
    for (let day = 16; day < 30; day++) {
      expect(await validateSessionToken(db, token, t0 + day * DAY), `day ${day}`).toMatchObject({ ok: true, refreshed: false, session: { expiresAt: t0 + 30 * DAY } });
    }
    expect(await validateSessionToken(db, token, t0 + 30 * DAY)).toEqual({ ok: false, reason: 'expired' });
  });

  it('an expiry beyond the limit (a creator made admin) is pulled in, and the cookie re-sent', async () => {
    const u = await db.insert(users).values({ email: 'promoted@lookbook.test', passwordHash: 'x', role: 'creator', createdAt: t0 }).returning().get();
    const { token, session } = await createSession(db, u.id, t0);
    await validateSessionToken(db, token, t0 + 20 * DAY); // slides to day 50
    await db.update(users).set({ role: 'admin' }).where(eq(users.id, u.id));
    expect(await validateSessionToken(db, token, t0 + 21 * DAY)).toMatchObject({ ok: true, refreshed: true, session: { expiresAt: t0 + 30 * DAY } });
    expect((await db.select().from(authSessions).where(eq(authSessions.id, session.id)).get())!.expiresAt).toBe(t0 + 30 * DAY);
    expect(await validateSessionToken(db, token, t0 + 30 * DAY)).toEqual({ ok: false, reason: 'expired' });
  });

  it('goes with its user: deleting the user deletes the sessions (cascade)', async () => {
    const u = await db.insert(users).values({ email: 'gone@lookbook.test', passwordHash: 'x', role: 'admin', createdAt: t0 }).returning().get();
    const { token } = await createSession(db, u.id, t0);
    await db.delete(users).where(eq(users.id, u.id));
    expect(await validateSessionToken(db, token, t0 + 1)).toEqual({ ok: false, reason: 'not_found' });
  });
});

describe('invalidation', () => {
  it('invalidateSession ends one session, leaving the user’s others', async () => {
    const a = await createSession(db, userId, t0);
    const b = await createSession(db, userId, t0);
    await invalidateSession(db, a.session.id);
    expect(await validateSessionToken(db, a.token, t0 + 1)).toEqual({ ok: false, reason: 'not_found' });
    expect((await validateSessionToken(db, b.token, t0 + 1)).ok).toBe(true);
    await expect(invalidateSession(db, a.session.id)).resolves.toBeUndefined();
  });

  it('invalidateUserSessions ends every session of one user only', async () => {
    const mine = [await createSession(db, userId, t0), await createSession(db, userId, t0)];
    const theirs = await createSession(db, otherUserId, t0);
    expect(await invalidateUserSessions(db, userId)).toBeGreaterThanOrEqual(2);
    for (const s of mine) expect((await validateSessionToken(db, s.token, t0 + 1)).ok).toBe(false);
    expect((await validateSessionToken(db, theirs.token, t0 + 1)).ok).toBe(true);
  });

  it('deleteExpiredSessions removes only expired rows', async () => {
    const fresh = await createSession(db, otherUserId, t0 + 100 * DAY);
    const removed = await deleteExpiredSessions(db, t0 + 100 * DAY);
    expect(removed).toBeGreaterThan(0);
    const left = await db.select({ id: authSessions.id, expiresAt: authSessions.expiresAt }).from(authSessions);
    expect(left.every((r) => r.expiresAt > t0 + 100 * DAY)).toBe(true);
    expect(left.map((r) => r.id)).toContain(fresh.session.id);
  });

  it('deleteExpiredSessions also removes rows past their role’s absolute lifetime', async () => {
    const now = t0 + 200 * DAY;
    const admin = await createSession(db, otherUserId, now - 31 * DAY);
    const creator = await createSession(db, creatorUserId, now - 31 * DAY);
    const oldCreator = await createSession(db, creatorUserId, now - 91 * DAY);
    // All three made to look recently extended: only the lifetime can remove them.
    for (const s of [admin, creator, oldCreator]) await db.update(authSessions).set({ expiresAt: now + 10 * DAY }).where(eq(authSessions.id, s.session.id));
    await deleteExpiredSessions(db, now);
    const left = (await db.select({ id: authSessions.id }).from(authSessions)).map((r) => r.id);
    expect(left).toContain(creator.session.id);
    expect(left).not.toContain(admin.session.id);
    expect(left).not.toContain(oldCreator.session.id);
  });
});
