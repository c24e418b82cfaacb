import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Count argon2 verifications (the real function still runs) to prove unknown emails cost one too.
vi.mock('../../../src/server/auth/password.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/server/auth/index.ts')>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
import { count, eq } from 'drizzle-orm';
import { users } from '../../../db/schema/auth.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import type { Db } from '../../../src/server/db.ts';
import { verifyPassword } from '../../../src/server/auth/index.ts';
import { getThrottle, pairKey } from '../../../src/server/auth/index.ts';
import { authenticate, createUser, getCreatorForUser } from '../../../src/server/auth/index.ts';
import { createTestDb } from '../../helpers/db.ts';

const MIN = 60_000;
const t0 = Date.UTC(2026, 5, 1, 12);
const PASSWORD = 'correct horse battery';

let db: Db;
let creatorHandle: string;

beforeAll(async () => {
  db = await createTestDb();
  creatorHandle = (await makeCreator(db, { handle: 'mara-styles', displayName: 'Mara' })).handle;
  const admin = await createUser(db, { email: 'Boss@Lookbook.test', password: PASSWORD, role: 'admin', now: t0 });
  expect(admin.ok).toBe(true);
});
afterAll(() => db.$client.close());

const userCount = async () => (await db.select({ n: count() }).from(users).get())!.n;

describe('createUser', () => {
  it('creates an admin with a normalised email and an argon2id hash', async () => {
    const row = await db.select().from(users).where(eq(users.email, 'boss@lookbook.test')).get();
    expect(row).toMatchObject({ role: 'admin', creatorId: null, createdAt: t0 });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row!.passwordHash, PASSWORD)).toBe(true);
  });

  it('creates a creator login linked to an existing creator', async () => {
    const result = await createUser(db, { email: 'mara@lookbook.test', password: PASSWORD, role: 'creator', creatorHandle });
    expect(result).toMatchObject({ ok: true, user: { email: 'mara@lookbook.test', role: 'creator' } });
    if (!result.ok) return;
    expect(await getCreatorForUser(db, result.user)).toMatchObject({ handle: 'mara-styles', displayName: 'Mara' });
  });

  it.each([
    ['invalid_email', { email: 'not-an-email', password: PASSWORD, role: 'admin' }],
    ['invalid_email', { email: '', password: PASSWORD, role: 'admin' }],
    ['weak_password', { email: 'short@lookbook.test', password: 'short', role: 'admin' }],
    ['weak_password', { email: 'long@lookbook.test', password: 'x'.repeat(129), role: 'admin' }],
    ['invalid_role', { email: 'role@lookbook.test', password: PASSWORD, role: 'superuser' }],
    ['creator_required', { email: 'nohandle@lookbook.test', password: PASSWORD, role: 'creator' }],
    ['unknown_creator', { email: 'ghost@lookbook.test', password: PASSWORD, role: 'creator', creatorHandle: 'nobody' }],
    ['creator_not_allowed', { email: 'mixed@lookbook.test', password: PASSWORD, role: 'admin', creatorHandle: 'mara-styles' }],
    ['email_taken', { email: 'boss@lookbook.test', password: PASSWORD, role: 'admin' }],
    ['email_taken', { email: ' BOSS@lookbook.TEST ', password: PASSWORD, role: 'admin' }],
  ])('refuses %s and writes nothing', async (reason, input) => {
    const before = await userCount();
    const result = await createUser(db, input);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(5);
    expect(await userCount()).toBe(before);
  });

  it('turns a unique-constraint race into email_taken', async () => {
    const results = await Promise.all([
      createUser(db, { email: 'race@lookbook.test', password: PASSWORD, role: 'admin' }),
      createUser(db, { email: 'race@lookbook.test', password: PASSWORD, role: 'admin' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'email_taken' });
  });
});

describe('authenticate', () => {
  it('accepts the right password, in any email casing', async () => {
    const result = await authenticate(db, { email: ' BOSS@lookbook.test', password: PASSWORD, ip: '192.0.2.1', now: t0 });
    expect(result).toMatchObject({ ok: true, user: { email: 'boss@lookbook.test', role: 'admin' } });
    expect(result.ok && 'passwordHash' in result.user).toBe(false);
  });

  it('answers the same for a wrong password and an unknown email', async () => {
    const wrong = await authenticate(db, { email: 'boss@lookbook.test', password: 'wrong password!', ip: '192.0.2.2', now: t0 });
    const unknown = await authenticate(db, { email: 'nobody@lookbook.test', password: 'wrong password!', ip: '192.0.2.2', now: t0 });
    expect(wrong).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(unknown).toEqual(wrong);
  });

  it('runs an argon2 verification for unknown emails too (no user enumeration by timing)', async () => {
    const verify = vi.mocked(verifyPassword);
    verify.mockClear();
    await authenticate(db, { email: 'nobody-at-all@lookbook.test', password: 'wrong password!', ip: null, now: t0 + 20 * MIN });
    expect(verify).toHaveBeenCalledTimes(1);
    // …against a real argon2id hash, not a shortcut
    expect(verify.mock.calls[0]?.[0]).toMatch(/^\$argon2id\$/);
    verify.mockClear();
    await authenticate(db, { email: 'mara@lookbook.test', password: 'wrong password!', ip: null, now: t0 + 20 * MIN });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('slows the account from one address after 5 failures — unknown emails too — says how long to wait, and does not lock the owner out elsewhere', async () => {
    for (const email of ['mara@lookbook.test', 'phantom@lookbook.test']) {
      const at = t0 + 60 * MIN;
      const ip = '198.51.100.9';
      for (let i = 0; i < 4; i++) {
        expect(await authenticate(db, { email, password: 'nope nope nope', ip, now: at + i })).toEqual({ ok: false, reason: 'invalid_credentials' });
      }
      // The 5th failure sets a delay, and says so.
      expect(await authenticate(db, { email, password: 'nope nope nope', ip, now: at + 4 })).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
      // From that address even the right password waits out the delay (and is not checked) …
      expect(await authenticate(db, { email, password: PASSWORD, ip, now: at + 500 })).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    }
    // … but from anywhere else the owner signs in at once: wrong guesses cannot lock an account.
    expect((await authenticate(db, { email: 'mara@lookbook.test', password: PASSWORD, ip: '203.0.113.50', now: t0 + 60 * MIN + 500 })).ok).toBe(true);
    // And once the second has passed, from the guessing address too; that clears its count.
    const later = t0 + 60 * MIN + 4 + 1000;
    expect((await authenticate(db, { email: 'mara@lookbook.test', password: PASSWORD, ip: '198.51.100.9', now: later })).ok).toBe(true);
    expect(await getThrottle(db, pairKey('mara@lookbook.test', '198.51.100.9'))).toBeUndefined();
  });

  it('slows an address after 50 attempts across accounts, for a second, never for 15 minutes', async () => {
    const at = t0 + 120 * MIN;
    const ip = '203.0.113.200';
    let last;
    for (let i = 0; i < 50; i++) last = await authenticate(db, { email: `spray${i}@lookbook.test`, password: 'guess guess', ip, now: at });
    expect(last).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    expect(await authenticate(db, { email: 'boss@lookbook.test', password: PASSWORD, ip, now: at + 400 })).toEqual({ ok: false, reason: 'throttled', retryAfterSeconds: 1 });
    expect((await authenticate(db, { email: 'boss@lookbook.test', password: PASSWORD, ip, now: at + 1000 })).ok).toBe(true);
    expect((await authenticate(db, { email: 'boss@lookbook.test', password: PASSWORD, ip: '203.0.113.201', now: at + 1000 })).ok).toBe(true);
  });

  it('refuses over-long and empty passwords as invalid credentials', async () => {
    const at = t0 + 200 * MIN;
    expect(await authenticate(db, { email: 'boss@lookbook.test', password: 'x'.repeat(10_000), ip: null, now: at })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(await authenticate(db, { email: 'boss@lookbook.test', password: '', ip: null, now: at })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
  });
});
