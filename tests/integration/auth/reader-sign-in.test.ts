/**
 * Reader accounts on a real migrated database: a one-time link by email (outbox), used once,
 * expiring, hashed at rest; the account made on first use, verified; guest orders with the same
 * email shown only once verified; staff addresses never get a usable link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { buy } from '../../helpers/buy.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { loginLinks, outboxEmails, users } from '../../../db/schema/index.ts';
import { createUser, LINKS_PER_EMAIL_PER_HOUR, LOGIN_LINK_TTL_MS, validateSessionToken } from '../../../src/server/auth/index.ts';
import { accountOverview, requestSignInLink, setDisplayName, signInWithLink, type App } from '../../../src/server/flows/index.ts';

const T0 = Date.UTC(2026, 10, 2, 12);
let db: Db;
let app: App;

/** The token of the last sign-in link emailed to `to`. */
async function lastLink(to: string): Promise<string> {
  const mails = await db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, to));
  const text = mails.filter((m) => m.kind === 'sign_in_link').at(-1)?.textBody ?? '';
  const url = /Sign in: (\S+)/.exec(text)?.[1];
  if (!url) throw new Error(`no sign-in link mailed to ${to}`);
  return decodeURIComponent(new URL(url).pathname.replace('/sign-in/', ''));
}

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  await makeProduct(db, { slug: 'tee', variants: [makeVariant({ sku: 'RS-TEE-M', size: 'M', priceCents: 2610, stock: 50 })] });
});
afterAll(() => db.$client.close());

describe('reader sign-in by email link', () => {
  it('refuses a bad address in words and writes nothing', async () => {
    const r = await requestSignInLink(app, { form: { email: 'not-an-email' }, ip: '203.0.113.9', now: T0 });
    expect(r).toMatchObject({ ok: false, reason: 'invalid', fieldErrors: { email: 'Enter a valid email address, like name@example.com.' } });
    expect(await db.select().from(loginLinks)).toHaveLength(0);
  });

  it('emails a link that works once, stores only a hash, and makes a verified reader account', async () => {
    expect(await requestSignInLink(app, { form: { email: ' Mei@Example.com ', next: '/account' }, ip: '203.0.113.1', now: T0 })).toEqual({ ok: true, email: 'mei@example.com' });
    const token = await lastLink('mei@example.com');
    const [row] = await db.select().from(loginLinks).where(eq(loginLinks.email, 'mei@example.com'));
    expect(row!.secretHash.toString('hex')).not.toContain(token.split('.')[1]!);
    expect(token.startsWith(`${row!.id}.`)).toBe(true);
    expect(await db.select().from(users).where(eq(users.email, 'mei@example.com'))).toHaveLength(0); // no account on request

    const first = await signInWithLink(app, { token, now: T0 + 60_000 });
    expect(first).toMatchObject({ ok: true, redirectTo: '/account' });
    if (!first.ok) return;
    const session = await validateSessionToken(db, first.token, T0 + 61_000);
    expect(session).toMatchObject({ ok: true, user: { email: 'mei@example.com', role: 'reader' } });
    const [user] = await db.select().from(users).where(eq(users.email, 'mei@example.com'));
    expect(user).toMatchObject({ role: 'reader', passwordHash: '', emailVerifiedAt: T0 + 60_000 });

    expect(await signInWithLink(app, { token, now: T0 + 62_000 })).toMatchObject({ ok: false, reason: 'used' });
  });

  it('refuses an expired, forged or malformed link', async () => {
    await requestSignInLink(app, { form: { email: 'late@example.com' }, ip: '203.0.113.2', now: T0 });
    const token = await lastLink('late@example.com');
    expect(await signInWithLink(app, { token, now: T0 + LOGIN_LINK_TTL_MS })).toMatchObject({ ok: false, reason: 'expired' });
    const [id] = token.split('.');
    expect(await signInWithLink(app, { token: `${id}.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`, now: T0 + 1000 })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await signInWithLink(app, { token: '../../etc/passwd', now: T0 + 1000 })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await db.select().from(users).where(eq(users.email, 'late@example.com'))).toHaveLength(0);
  });

  it('two tabs using the same link at once sign in exactly once', async () => {
    await requestSignInLink(app, { form: { email: 'twin@example.com' }, ip: '203.0.113.3', now: T0 });
    const token = await lastLink('twin@example.com');
    const results = await Promise.all([signInWithLink(app, { token, now: T0 + 1000 }), signInWithLink(app, { token, now: T0 + 1000 })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.email, 'twin@example.com'))).toHaveLength(1);
  });

  it('never mails a usable link for a staff address, and says the same to the asker', async () => {
    await createUser(db, { email: 'boss@shop.test', password: 'a long enough password', role: 'admin' });
    expect(await requestSignInLink(app, { form: { email: 'boss@shop.test' }, ip: '203.0.113.4', now: T0 })).toEqual({ ok: true, email: 'boss@shop.test' });
    const [mail] = await db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, 'boss@shop.test'));
    expect(mail!.textBody).toContain('signs in with its password');
    expect(mail!.textBody).not.toMatch(/\/sign-in\//);
  });

  it('limits links per address per hour without telling the asker', async () => {
    for (let i = 0; i < LINKS_PER_EMAIL_PER_HOUR + 2; i++) {
      expect(await requestSignInLink(app, { form: { email: 'flood@example.com' }, ip: `198.51.100.${i + 1}`, now: T0 + i })).toMatchObject({ ok: true });
    }
    const mails = await db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, 'flood@example.com'));
    expect(mails).toHaveLength(LINKS_PER_EMAIL_PER_HOUR);
  });

  it('throttles one client address asking again and again', async () => {
    let last;
    for (let i = 0; i < 12; i++) last = await requestSignInLink(app, { form: { email: `n${i}@example.com` }, ip: '192.0.2.77', now: T0 });
    expect(last).toMatchObject({ ok: false, reason: 'throttled' });
  });
});

describe('the account page data', () => {
  it('shows guest orders with the same email only once the email is verified', async () => {
    const guest = await buy(app, [{ sku: 'RS-TEE-M', qty: 1 }], { email: 'ana@example.com', at: T0 });
    // An unverified account with that email (e.g. made by an admin tool) sees none of them.
    const [unverified] = await db.insert(users).values({ email: 'ana@example.com', passwordHash: '', role: 'reader', createdAt: T0 }).returning();
    const user = { id: unverified!.id, email: 'ana@example.com', role: 'reader' as const, creatorId: null };
    expect((await accountOverview(app, user, T0 + 1000)).orders).toHaveLength(0);

    await requestSignInLink(app, { form: { email: 'ana@example.com' }, ip: '203.0.113.5', now: T0 + 2000 });
    const r = await signInWithLink(app, { token: await lastLink('ana@example.com'), now: T0 + 3000 });
    expect(r.ok).toBe(true);
    const view = await accountOverview(app, user, T0 + 4000);
    expect(view.verified).toBe(true);
    expect(view.orders).toHaveLength(1);
    expect(view.orders[0]!.items).toMatch(/^1 × \S/);
    expect(view.orders[0]!.statusText).toBe('Paid · Not shipped');
    expect(view.orders[0]!.href).toMatch(/^\/orders\/LB-[A-Z0-9-]+\?t=/);
    expect(guest.orderId).toBeGreaterThan(0);
  });
});

describe('the name others see', () => {
  it('saves a first name, clears it when empty, and refuses anything but letters and simple marks without writing', async () => {
    const [u] = await db.insert(users).values({ email: 'named@example.com', passwordHash: '', role: 'reader', createdAt: T0, emailVerifiedAt: T0 }).returning();
    const user = { id: u!.id, email: 'named@example.com', role: 'reader' as const, creatorId: null };
    expect(await setDisplayName(app, user, '  Mei   Lin ')).toEqual({ ok: true, displayName: 'Mei Lin' });
    for (const bad of ['<b>x</b>', '1337', 'a'.repeat(41), 'Mei\u0000']) {
      expect(await setDisplayName(app, user, bad)).toMatchObject({ ok: false, reason: 'invalid', fieldErrors: { displayName: expect.any(String) } });
    }
    expect((await accountOverview(app, user, T0)).displayName).toBe('Mei Lin');
    expect(await setDisplayName(app, user, "O'Neil-Żółć")).toMatchObject({ ok: true });
    expect(await setDisplayName(app, user, '')).toEqual({ ok: true, displayName: null });
    expect((await accountOverview(app, user, T0)).displayName).toBeNull();
  });
});
