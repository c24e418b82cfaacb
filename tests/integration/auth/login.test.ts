import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreator, makeProduct } from '../../../db/factories/factories.ts';
import type { Db } from '../../../src/server/db.ts';
import { getAdminOverview } from '../../../src/server/admin/index.ts';
import { logIn, logOut } from '../../../src/server/auth/index.ts';
import { createSession, validateSessionToken } from '../../../src/server/auth/index.ts';
import { createUser } from '../../../src/server/auth/index.ts';
import { createTestDb } from '../../helpers/db.ts';

const t0 = Date.UTC(2026, 5, 1, 12);
const PASSWORD = 'a long enough password';

let db: Db;
let adminId: number;
beforeAll(async () => {
  db = await createTestDb();
  const admin = await createUser(db, { email: 'admin@shop.test', password: PASSWORD, role: 'admin' });
  if (!admin.ok) throw new Error(admin.message);
  adminId = admin.user.id;
});
afterAll(() => db.$client.close());

describe('logIn', () => {
  it('returns a working session token on the right password', async () => {
    const result = await logIn(db, { email: 'admin@shop.test', password: PASSWORD, ip: '192.0.2.1', now: t0 });
    expect(result).toMatchObject({ ok: true, user: { id: adminId, role: 'admin' }, expiresAt: t0 + 30 * 86_400_000 });
    if (!result.ok) return;
    expect(await validateSessionToken(db, result.token, t0 + 1)).toMatchObject({ ok: true, user: { id: adminId } });
  });

  it('replaces the session the browser came with (no session fixation)', async () => {
    const old = await createSession(db, adminId, t0);
    const result = await logIn(db, { email: 'admin@shop.test', password: PASSWORD, ip: null, previousSessionId: old.session.id, now: t0 });
    expect(result.ok).toBe(true);
    expect(await validateSessionToken(db, old.token, t0 + 1)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('passes failures through without creating a session', async () => {
    expect(await logIn(db, { email: 'admin@shop.test', password: 'not the password', ip: null, now: t0 })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
  });
});

describe('logOut', () => {
  it('ends the session and is idempotent', async () => {
    const { token, session } = await createSession(db, adminId, t0);
    await logOut(db, session.id);
    await logOut(db, session.id);
    await logOut(db, null);
    expect((await validateSessionToken(db, token, t0 + 1)).ok).toBe(false);
  });
});

describe('getAdminOverview', () => {
  it('counts products, creators and users', async () => {
    const before = await getAdminOverview(db);
    await makeProduct(db);
    const creator = await makeCreator(db);
    await createUser(db, { email: 'c@shop.test', password: PASSWORD, role: 'creator', creatorHandle: creator.handle });
    expect(await getAdminOverview(db)).toEqual({
      products: before.products + 1,
      creators: before.creators + 1,
      users: before.users + 1,
    });
  });
});
