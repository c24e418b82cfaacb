import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThrottles } from '../../../db/schema/auth.ts';
import type { Db } from '../../../src/server/db.ts';
import {
  accountKey,
  beginLoginAttempt,
  deleteStaleThrottles,
  getThrottle,
  ipKey,
  recordLoginSuccess,
} from '../../../src/server/auth/rate-limit.ts';
import { createTestDb, MIGRATIONS } from '../../helpers/db.ts';
import { openDb, migrateDb } from '../../../src/server/db.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MIN = 60_000;
const t0 = Date.UTC(2026, 5, 1, 12);

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.$client.close());

describe('beginLoginAttempt', () => {
  it('counts attempts per account; the 5th locks the account for 15 minutes', async () => {
    const subject = { email: 'Lock@Example.com', ip: null };
    for (let i = 0; i < 4; i++) expect(await beginLoginAttempt(db, subject, t0 + i)).toEqual({ allowed: true, lockedUntil: 0 });
    expect(await beginLoginAttempt(db, subject, t0 + 4)).toEqual({ allowed: true, lockedUntil: t0 + 4 + 15 * MIN });
    expect(await beginLoginAttempt(db, subject, t0 + 5)).toEqual({ allowed: false, retryAfterMs: 15 * MIN - 1 });
    // Other casing, same account.
    expect((await beginLoginAttempt(db, { email: 'lock@example.com ', ip: null }, t0 + 6)).allowed).toBe(false);
    // A refused attempt is not counted and does not extend the lock.
    expect(await getThrottle(db, accountKey('lock@example.com'))).toEqual({ failures: 5, windowStartedAt: t0, lockedUntil: t0 + 4 + 15 * MIN });
    // After the lock, a new window.
    expect(await beginLoginAttempt(db, subject, t0 + 4 + 15 * MIN)).toEqual({ allowed: true, lockedUntil: 0 });
  });

  it('locks an IP after 20 attempts across different accounts, and reports the longest wait', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 19; i++) expect((await beginLoginAttempt(db, { email: `spray${i}@example.com`, ip }, t0)).allowed).toBe(true);
    expect(await beginLoginAttempt(db, { email: 'spray19@example.com', ip }, t0)).toEqual({ allowed: true, lockedUntil: t0 + 15 * MIN });
    expect(await beginLoginAttempt(db, { email: 'fresh@example.com', ip }, t0 + MIN)).toEqual({ allowed: false, retryAfterMs: 14 * MIN });
    // The same account from elsewhere is fine.
    expect((await beginLoginAttempt(db, { email: 'fresh@example.com', ip: '198.51.100.8' }, t0 + MIN)).allowed).toBe(true);
    // A refused attempt wrote nothing for the account.
    expect(await getThrottle(db, accountKey('spray-none@example.com'))).toBeUndefined();
  });

  it('counts atomically: 30 parallel guesses on one account let exactly 5 through', async () => {
    const subject = { email: 'parallel@example.com', ip: '203.0.113.99' };
    const results = await Promise.all(Array.from({ length: 30 }, () => beginLoginAttempt(db, subject, t0)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await getThrottle(db, accountKey(subject.email))).toMatchObject({ failures: 5 });
    expect(await getThrottle(db, ipKey(subject.ip))).toMatchObject({ failures: 5 });
  });

  it('counts atomically across two clients (two app instances) racing on one database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookbook-throttle-'));
    const url = `file:${join(dir, 'race.db')}`;
    const a = await openDb({ url });
    await migrateDb(a, MIGRATIONS);
    const b = await openDb({ url });
    try {
      const subject = { email: 'race@example.com', ip: null };
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => beginLoginAttempt(i % 2 ? a : b, subject, t0)));
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
    } finally {
      a.$client.close();
      b.$client.close();
    }
  });

  it('is shared between app instances (two clients on one database)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookbook-throttle-'));
    const url = `file:${join(dir, 'shared.db')}`;
    const a = await openDb({ url });
    await migrateDb(a, MIGRATIONS);
    const b = await openDb({ url });
    try {
      const subject = { email: 'shared@example.com', ip: '203.0.113.1' };
      for (let i = 0; i < 5; i++) await beginLoginAttempt(i % 2 ? a : b, subject, t0);
      expect((await beginLoginAttempt(a, subject, t0 + 1)).allowed).toBe(false);
      expect((await beginLoginAttempt(b, subject, t0 + 1)).allowed).toBe(false);
    } finally {
      a.$client.close();
      b.$client.close();
    }
  });
});

describe('recordLoginSuccess', () => {
  it('clears the account and refunds the IP one attempt', async () => {
    const subject = { email: 'ok@example.com', ip: '192.0.2.50' };
    await beginLoginAttempt(db, { email: 'other@example.com', ip: subject.ip }, t0);
    for (let i = 0; i < 3; i++) await beginLoginAttempt(db, subject, t0 + i);
    expect(await getThrottle(db, ipKey(subject.ip))).toMatchObject({ failures: 4 });

    await recordLoginSuccess(db, subject, t0 + 10);
    expect(await getThrottle(db, accountKey(subject.email))).toBeUndefined();
    expect(await getThrottle(db, ipKey(subject.ip))).toMatchObject({ failures: 3, lockedUntil: 0 });
  });

  it('lifts an account lock set by the (correct) 5th attempt', async () => {
    const subject = { email: 'fifth@example.com', ip: null };
    for (let i = 0; i < 5; i++) await beginLoginAttempt(db, subject, t0);
    await recordLoginSuccess(db, subject, t0);
    expect((await beginLoginAttempt(db, subject, t0 + 1)).allowed).toBe(true);
  });
});

describe('deleteStaleThrottles', () => {
  it('removes rows whose window and lock have passed, keeping live ones', async () => {
    const later = t0 + 60 * MIN;
    await beginLoginAttempt(db, { email: 'live@example.com', ip: null }, later);
    await deleteStaleThrottles(db, later);
    const keys = (await db.select({ key: loginThrottles.key }).from(loginThrottles)).map((r) => r.key);
    expect(keys).toEqual([accountKey('live@example.com')]);
  });
});
