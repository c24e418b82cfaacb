/** The sign-in workflow: what the login page shows and does for each kind of answer. */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createUser } from '../../../src/server/auth/index.ts';
import { signIn } from '../../../src/server/flows/index.ts';
import { httpStatus } from '../../../src/server/shared/index.ts';
import { authSessions } from '../../../db/schema/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

const PASSWORD = 'a long enough password';
let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  const u = await createUser(db, { email: 'maya@shop.test', password: PASSWORD, role: 'admin' });
  if (!u.ok) throw new Error(u.message);
});
afterAll(() => db.$client.close());
const sessions = async () => (await db.select({ n: count() }).from(authSessions).get())!.n;

describe('signIn', () => {
  it('signs in and goes to the page asked for, never off the site', async () => {
    const app = testApp(db);
    const ok = await signIn(app, { form: { email: ' Maya@Shop.test ', password: PASSWORD, next: '/admin/orders' }, ip: '192.0.2.10' });
    expect(ok).toMatchObject({ ok: true, redirectTo: '/admin/orders' });
    const offsite = await signIn(app, { form: { email: 'maya@shop.test', password: PASSWORD, next: '//evil.example/' }, ip: '192.0.2.10' });
    expect(offsite).toMatchObject({ ok: true, redirectTo: '/admin' });
  });

  it('names the field that is wrong, in people\'s words, and starts no session', async () => {
    const before = await sessions();
    const r = await signIn(testApp(db), { form: { email: 'not an email', password: '' }, ip: '192.0.2.11' });
    expect(r).toMatchObject({ ok: false, reason: 'invalid', fieldErrors: { email: 'Enter a valid email address, like name@example.com.', password: 'Enter your password.' } });
    if (r.ok) return;
    expect(httpStatus(r)).toBe(400);
    expect(await sessions()).toBe(before);
  });

  it('answers a wrong password with one message (which part is wrong is not said), then asks to wait', async () => {
    const app = testApp(db);
    const wrong = await signIn(app, { form: { email: 'maya@shop.test', password: 'not it at all' }, ip: '192.0.2.12' });
    expect(wrong).toMatchObject({ ok: false, reason: 'invalid_credentials', message: 'That email and password do not match an account. Check them and try again.' });
    if (wrong.ok) return;
    expect(httpStatus(wrong)).toBe(401);
    let last = wrong;
    for (let i = 0; i < 10 && last.reason !== 'throttled'; i++) {
      const r = await signIn(app, { form: { email: 'maya@shop.test', password: `guess ${i}` }, ip: '192.0.2.12' });
      if (r.ok) throw new Error('a wrong password signed in');
      last = r;
    }
    expect(last.reason).toBe('throttled');
    expect(httpStatus(last)).toBe(429);
    expect(last.retryAfterSeconds).toBeGreaterThan(0);
    expect(last.message).toMatch(/^Too many sign-in attempts\. For your security, wait \d+ (second|seconds|minute|minutes) before trying again/);
  });
});
