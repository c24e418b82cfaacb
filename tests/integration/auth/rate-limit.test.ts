import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThrottles } from '../../../db/schema/auth.ts';
import type { Db } from '../../../src/server/db.ts';
import {
  accountKey,
  beginLoginAttempt,
  deleteStaleThrottles,
  getThrottle,
  ipKey,
  pairKey,
  recordLoginSuccess,
} from '../../../src/server/auth/index.ts';
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
  it('counts per account+address; the 5th attempt makes the next wait a second (a delay, not a 15-minute lock)', async () => {
    const subject = { email: 'Lock@Example.com', ip: '192.0.2.10' };
    for (let i = 0; i < 4; i++) expect(await beginLoginAttempt(db, subject, t0 + i)).toEqual({ allowed: true, lockedUntil: 0 });
    expect(await beginLoginAttempt(db, subject, t0 + 4)).toEqual({ allowed: true, lockedUntil: t0 + 4 + 1000 });
    expect(await beginLoginAttempt(db, subject, t0 + 5)).toEqual({ allowed: false, retryAfterMs: 999 });
    // Other casing, same account.
    expect((await beginLoginAttempt(db, { email: 'lock@example.com ', ip: subject.ip }, t0 + 6)).allowed).toBe(false);
    // A refused attempt is not counted and does not extend the delay.
    expect(await getThrottle(db, pairKey('lock@example.com', subject.ip))).toEqual({ failures: 5, windowStartedAt: t0, lockedUntil: t0 + 4 + 1000 });
    // After the delay: allowed again, and the next wait is twice as long.
    expect(await beginLoginAttempt(db, subject, t0 + 4 + 1000)).toEqual({ allowed: true, lockedUntil: t0 + 4 + 1000 + 2000 });
  });

  it('wrong guesses from one address do not lock the account out for its owner elsewhere', async () => {
    const email = 'admin-dos@example.com';
    const attacker = '198.51.100.66';
    let now = t0;
    let allowed = 0;
    for (let i = 0; i < 60; i++) {
      const r = await beginLoginAttempt(db, { email, ip: attacker }, now);
      if (r.allowed) allowed++;
      now += 1000;
    }
    // The attacker got the 5 free guesses and then a few more, each after a longer wait …
    expect(allowed).toBeGreaterThanOrEqual(5);
    expect(allowed).toBeLessThan(12);
    expect((await beginLoginAttempt(db, { email, ip: attacker }, now)).allowed).toBe(false);
    // … while the owner, from their own address, signs in at once.
    expect(await beginLoginAttempt(db, { email, ip: '203.0.113.200' }, now)).toEqual({ allowed: true, lockedUntil: 0 });
  });

  it('slows an address after 50 attempts across different accounts (never before), and reports the longest wait', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 49; i++) expect(await beginLoginAttempt(db, { email: `spray${i}@example.com`, ip }, t0)).toEqual({ allowed: true, lockedUntil: 0 });
    expect(await beginLoginAttempt(db, { email: 'spray49@example.com', ip }, t0)).toEqual({ allowed: true, lockedUntil: t0 + 1000 });
    expect(await beginLoginAttempt(db, { email: 'fresh@example.com', ip }, t0 + 400)).toEqual({ allowed: false, retryAfterMs: 600 });
    // The same account from elsewhere is fine.
    expect((await beginLoginAttempt(db, { email: 'fresh@example.com', ip: '198.51.100.8' }, t0 + 400)).allowed).toBe(true);
    // A refused attempt wrote nothing for the account.
    expect(await getThrottle(db, accountKey('spray-none@example.com'))).toBeUndefined();
    // People behind one address are slowed, not locked: a second later they may try again.
    expect((await beginLoginAttempt(db, { email: 'colleague@example.com', ip }, t0 + 1000)).allowed).toBe(true);
  });

  it('a global ceiling per account: 100 guesses from 100 addresses, then every address waits', async () => {
    const email = 'botnet-target@example.com';
    for (let i = 0; i < 99; i++) expect(await beginLoginAttempt(db, { email, ip: `10.1.${i >> 8}.${i & 255}` }, t0 + i)).toEqual({ allowed: true, lockedUntil: 0 });
    expect(await beginLoginAttempt(db, { email, ip: '10.2.0.1' }, t0 + 100)).toEqual({ allowed: true, lockedUntil: t0 + 100 + 1000 });
    expect(await beginLoginAttempt(db, { email, ip: '10.2.0.2' }, t0 + 101)).toEqual({ allowed: false, retryAfterMs: 999 });
    expect(await getThrottle(db, accountKey(email))).toMatchObject({ failures: 100 });
    // Other accounts are not affected.
    expect((await beginLoginAttempt(db, { email: 'bystander@example.com', ip: '10.2.0.2' }, t0 + 101)).allowed).toBe(true);
  });

  it('counts atomically: 30 parallel guesses on one account from one address let exactly 5 through', async () => {
    const subject = { email: 'parallel@example.com', ip: '203.0.113.99' };
    const results = await Promise.all(Array.from({ length: 30 }, () => beginLoginAttempt(db, subject, t0)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await getThrottle(db, pairKey(subject.email, subject.ip))).toMatchObject({ failures: 5 });
    expect(await getThrottle(db, ipKey(subject.ip))).toMatchObject({ failures: 5 });
    expect(await getThrottle(db, accountKey(subject.email))).toMatchObject({ failures: 5 });
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
  it('clears the account+address key and refunds the address and the account one attempt each', async () => {
    const subject = { email: 'ok@example.com', ip: '192.0.2.50' };
    await beginLoginAttempt(db, { email: 'other@example.com', ip: subject.ip }, t0);
    await beginLoginAttempt(db, { email: subject.email, ip: '192.0.2.51' }, t0);
    for (let i = 0; i < 3; i++) await beginLoginAttempt(db, subject, t0 + i);
    expect(await getThrottle(db, ipKey(subject.ip))).toMatchObject({ failures: 4 });
    expect(await getThrottle(db, accountKey(subject.email))).toMatchObject({ failures: 4 });

    await recordLoginSuccess(db, subject, t0 + 10);
    expect(await getThrottle(db, pairKey(subject.email, subject.ip))).toBeUndefined();
    expect(await getThrottle(db, ipKey(subject.ip))).toMatchObject({ failures: 3, lockedUntil: 0 });
    // The owner signing in does not wipe what was guessed from elsewhere.
    expect(await getThrottle(db, accountKey(subject.email))).toMatchObject({ failures: 3, lockedUntil: 0 });
    expect(await getThrottle(db, pairKey(subject.email, '192.0.2.51'))).toMatchObject({ failures: 1 });
  });

  it('lifts the delay set by the (correct) 5th attempt', async () => {
    const subject = { email: 'fifth@example.com', ip: null };
    for (let i = 0; i < 5; i++) await beginLoginAttempt(db, subject, t0);
    await recordLoginSuccess(db, subject, t0);
    expect((await beginLoginAttempt(db, subject, t0 + 1)).allowed).toBe(true);
  });
});

describe('deleteStaleThrottles', () => {
  it('removes rows whose window and lock have passed, keeping live ones', async () => {
    const later = t0 + 25 * 60 * MIN;
    await beginLoginAttempt(db, { email: 'live@example.com', ip: null }, later);
    await deleteStaleThrottles(db, later);
    const keys = (await db.select({ key: loginThrottles.key }).from(loginThrottles)).map((r) => r.key).sort();
    expect(keys).toEqual([accountKey('live@example.com'), pairKey('live@example.com', null)].sort());
  });
});
