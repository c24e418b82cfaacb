/**
 * Readers sign in by a one-time email link (docs/decisions/0050-reader-accounts.md).
 *
 * - The link carries `id.secret` (two 160-bit random halves, like a session token); the database
 *   keeps only SHA-256(secret) (`login_links.secret_hash`), so a leaked table signs nobody in.
 * - Short-lived (LOGIN_LINK_TTL_MS) and single use: using it is one conditional update
 *   (`used_at IS NULL AND expires_at > now`), so two tabs racing on the same link sign in once.
 * - Asking for a link always gets the same answer, whether or not the address has an account
 *   (no enumeration). An address that belongs to staff or a creator gets an email saying to use
 *   the password instead: a mailbox alone never opens the admin.
 * - Throttled per client address (shared `login_throttles`, key `sign-in-link:ip:…`) and per
 *   address (at most LINKS_PER_EMAIL_PER_HOUR links an hour, counted from `login_links`), so the
 *   form cannot flood someone's mailbox.
 * - The first use of a link proves the mailbox: a new reader account is made then (never on
 *   request), and `email_verified_at` is set — which is what lets the account see guest orders
 *   placed with that email (src/server/orders/account-orders.ts).
 */
import { and, count, eq, gt, gte, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { loginLinks, users } from '../../../db/schema/auth.ts';
import { normaliseEmail, safeNextPath } from '../shared/index.ts';
import { countRequest, normaliseIp, type ThrottlePolicy } from './rate-limit.ts';
import { createSession, generateSessionToken, invalidateSession, parseSessionToken, secretMatchesHash } from './session.ts';
import type { SessionUser } from './types.ts';
import { isValidEmail } from './users.ts';

const MINUTE = 60_000;
export const LOGIN_LINK_TTL_MS = 15 * MINUTE;
export const LINKS_PER_EMAIL_PER_HOUR = 5;
/** One client address: 10 requests per 15 minutes free, then a growing wait (1 s doubling to 15 min). */
export const LOGIN_LINK_IP_POLICY: ThrottlePolicy = { freeAttempts: 10, windowMs: 15 * MINUTE, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE };

export function loginLinkPath(token: string): string {
  return `/sign-in/${encodeURIComponent(token)}`;
}

export type LinkRequest =
  /** A link (or, for a password account, a "use your password" note) should be emailed. */
  | { kind: 'send'; email: string; token: string | null; expiresAt: number }
  /** Nothing to send (over the per-address limit); the asker sees the same answer. */
  | { kind: 'quiet' }
  | { kind: 'throttled'; retryAfterMs: number };


/**
 * Records a new link for `email` (validated by the caller) and says what to email. Run it in the
 * transaction that enqueues the email, so a link exists exactly when its email does.
 */
export async function createLoginLink(
  tx: DbOrTx,
  { email: raw, returnTo, ip, now = Date.now() }: { email: string; returnTo?: string | null; ip: string | null; now?: number },
): Promise<LinkRequest> {
  const email = normaliseEmail(raw);
  if (!isValidEmail(email)) throw new Error('createLoginLink needs a valid email (validate the form first)');
  if (ip) {
    const t = await countRequest(tx, `sign-in-link:ip:${normaliseIp(ip)}`, LOGIN_LINK_IP_POLICY, now);
    if (!t.allowed) return { kind: 'throttled', retryAfterMs: t.retryAfterMs };
  }
  const recent = await tx
    .select({ n: count() })
    .from(loginLinks)
    .where(and(eq(loginLinks.email, email), gte(loginLinks.createdAt, now - 60 * MINUTE)))
    .get();
  if ((recent?.n ?? 0) >= LINKS_PER_EMAIL_PER_HOUR) return { kind: 'quiet' };
  const account = await tx.select({ role: users.role }).from(users).where(eq(users.email, email)).get();
  const { token, id, secretHash } = generateSessionToken();
  const expiresAt = now + LOGIN_LINK_TTL_MS;
  // A password account still gets a row (it counts towards the per-address limit), but no usable link.
  const usable = !account || account.role === 'reader';
  await tx.insert(loginLinks).values({
    id,
    secretHash: Buffer.from(secretHash),
    email,
    returnTo: returnTo ? safeNextPath(returnTo, '') || null : null,
    createdAt: now,
    expiresAt,
    usedAt: usable ? null : now,
  });
  return { kind: 'send', email, token: usable ? token : null, expiresAt };
}

export type LinkState = { state: 'ok'; email: string; expiresAt: number } | { state: 'unknown' | 'expired' | 'used' };

async function loadLink(db: DbOrTx, token: unknown) {
  if (typeof token !== 'string') return null;
  const parsed = parseSessionToken(token);
  if (!parsed.ok) return null;
  const row = await db.select().from(loginLinks).where(eq(loginLinks.id, parsed.id)).get();
  if (!row || !secretMatchesHash(parsed.secret, new Uint8Array(row.secretHash))) return null;
  return row;
}

/** What the link page shows (no writes). */
export async function findLoginLink(db: DbOrTx, token: unknown, now = Date.now()): Promise<LinkState> {
  const row = await loadLink(db, token);
  if (!row) return { state: 'unknown' };
  if (row.usedAt !== null) return { state: 'used' };
  if (row.expiresAt <= now) return { state: 'expired' };
  return { state: 'ok', email: row.email, expiresAt: row.expiresAt };
}

export type UseLinkResult =
  | { ok: true; user: SessionUser; token: string; expiresAt: number; returnTo: string | null; created: boolean }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'not_allowed' };

/**
 * Signs in with a link: in one transaction, marks it used (only if still unused and unexpired),
 * finds or creates the reader account, marks the email verified, ends the session the browser came
 * with (no fixation) and starts a new one.
 */
export async function useLoginLink(
  db: DbOrTx,
  { token, previousSessionId, now = Date.now() }: { token: unknown; previousSessionId?: string | null | undefined; now?: number },
): Promise<UseLinkResult> {
  const row = await loadLink(db, token);
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.usedAt !== null) return { ok: false, reason: 'used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
  const taken = await db
    .update(loginLinks)
    .set({ usedAt: now })
    .where(and(eq(loginLinks.id, row.id), isNull(loginLinks.usedAt), gt(loginLinks.expiresAt, now)))
    .returning({ id: loginLinks.id });
  if (taken.length !== 1) return { ok: false, reason: 'used' };
  let user = await db.select().from(users).where(eq(users.email, row.email)).get();
  let created = false;
  if (user && user.role !== 'reader') return { ok: false, reason: 'not_allowed' };
  if (!user) {
    user = await db.insert(users).values({ email: row.email, passwordHash: '', role: 'reader', creatorId: null, createdAt: now, emailVerifiedAt: now }).returning().get();
    created = true;
  } else if (user.emailVerifiedAt === null) {
    await db.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, user.id));
  }
  if (previousSessionId) await invalidateSession(db, previousSessionId);
  const { token: sessionToken, session } = await createSession(db, user.id, now, 'reader');
  return { ok: true, user: { id: user.id, email: user.email, role: 'reader', creatorId: null }, token: sessionToken, expiresAt: session.expiresAt, returnTo: row.returnTo, created };
}
