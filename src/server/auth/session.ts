/**
 * Sessions, after the Lucia session guide (https://lucia-auth.com/sessions/basic) — the `lucia`
 * package is deprecated, so the model is implemented here (ADR 0004).
 *
 * The model:
 * - A session token is `<id>.<secret>`: two independent random values of 160 bits each from
 *   crypto.getRandomValues, encoded as lower-case base32 (32 characters each, cookie-safe).
 * - The database stores the id and SHA-256(secret) only. A leaked `auth_sessions` table (a backup,
 *   a log of rows) therefore cannot be replayed as cookies.
 * - Validation looks the row up by id, hashes the presented secret and compares the two hashes with
 *   a constant-time compare, so response timing says nothing about how much of a secret matched.
 * - Sessions last 30 days and slide: a session used when fewer than 15 days remain is extended to
 *   a fresh 30 days (at most one write per session per 15 days, not one per request).
 * - On top of that idle limit, every session has an absolute lifetime counted from sign-in
 *   (`created_at`), whatever its use: 30 days for admins, 90 days for creators
 *   (SESSION_MAX_AGE_MS, ADR 0020). A session never slides past it, the cookie's Max-Age never
 *   outlasts it, and at its end the user signs in again. It is derived from `created_at` and the
 *   user's current role, so a creator promoted to admin gets the shorter limit at once.
 * - Expired sessions are deleted lazily when presented (docs/architecture.md, rule 8: correctness never
 *   depends on a sweeper); `deleteExpiredSessions` is only housekeeping.
 * - CSRF is handled outside this module: cookies are SameSite=Lax and Astro's `security.checkOrigin`
 *   rejects cross-site form posts.
 *
 * Times are integer milliseconds since the epoch, like every other time column in the database.
 * Functions take `now` so tests can move the clock.
 */
import { and, eq, inArray, lte, or } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { authSessions, users } from '../../../db/schema/auth.ts';
import type { DbOrTx } from '../db.ts';
import type { Role, SessionInfo, SessionUser } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A session lives this long after its last extension. */
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session is extended when less than this remains. */
export const SESSION_REFRESH_THRESHOLD_MS = 15 * DAY_MS;

/**
 * Absolute lifetime per role, from sign-in (ADR 0020): an admin session is a key to every order,
 * payout and code, so it ends after 30 days however active; creators see their own figures only.
 */
export const SESSION_MAX_AGE_MS: Readonly<Record<Role, number>> = { admin: 30 * DAY_MS, creator: 90 * DAY_MS, reader: 90 * DAY_MS };

/** Random bytes per token half: 160 bits (at least 120 are needed to stay beyond guessing; ADR 0004). */
const TOKEN_PART_BYTES = 20;
/** 20 bytes in base32 without padding = exactly 32 characters from [a-z2-7]. */
const TOKEN_PART_PATTERN = /^[a-z2-7]{32}$/;

// ---------------------------------------------------------------------------------------------
// Pure primitives (unit-tested in tests/unit/auth/session-token.test.ts)
// ---------------------------------------------------------------------------------------------

/** One random token half. */
export function generateTokenPart(): string {
  const bytes = new Uint8Array(TOKEN_PART_BYTES);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/**
 * A fresh token: `token` goes into the cookie, `id` and `secretHash` into the database.
 * @example const { token, id, secretHash } = generateSessionToken();
 */
export function generateSessionToken(): { token: string; id: string; secretHash: Uint8Array } {
  const id = generateTokenPart();
  const secret = generateTokenPart();
  return { token: `${id}.${secret}`, id, secretHash: hashSessionSecret(secret) };
}

export type ParsedToken = { ok: true; id: string; secret: string } | { ok: false; reason: 'malformed' };

/**
 * Splits a cookie value into id and secret, rejecting anything that a token we issued could not be
 * (so garbage never reaches the database).
 * @example parseSessionToken('abc') // { ok: false, reason: 'malformed' }
 */
export function parseSessionToken(token: string | null | undefined): ParsedToken {
  if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [id, secret] = parts as [string, string];
  if (!TOKEN_PART_PATTERN.test(id) || !TOKEN_PART_PATTERN.test(secret)) return { ok: false, reason: 'malformed' };
  return { ok: true, id, secret };
}

/** SHA-256 of the secret's UTF-8 bytes; a fast hash is right here because the secret is 160 random bits. */
export function hashSessionSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/**
 * Constant-time check of a presented secret against the stored hash. Both sides are 32-byte hashes,
 * so `constantTimeEqual` never short-circuits on length for well-formed rows.
 */
export function secretMatchesHash(secret: string, storedHash: Uint8Array): boolean {
  return constantTimeEqual(hashSessionSecret(secret), storedHash);
}

/** The expiry a session gets when created or extended at `now`. */
export function freshExpiry(now: number): number {
  return now + SESSION_TTL_MS;
}

/** When a session started at `createdAt` by a user of `role` ends, however it is used. */
export function absoluteExpiry(createdAt: number, role: Role): number {
  return createdAt + SESSION_MAX_AGE_MS[role];
}

/**
 * The expiry a valid session should have after being used at `now`: its current one, slid to a
 * fresh 30 days when less than 15 remain — and never past the absolute limit.
 * @example nextExpiry({ expiresAt: t + 10 * DAY, createdAt: t - 80 * DAY, role: 'creator' }, t) // t + 10 * DAY (the 90-day limit)
 */
export function nextExpiry(row: { expiresAt: number; createdAt: number; role: Role }, now: number): number {
  const limit = absoluteExpiry(row.createdAt, row.role);
  const current = Math.min(row.expiresAt, limit);
  return shouldExtend(current, now) ? Math.min(freshExpiry(now), limit) : current;
}

/** Sliding expiry: extend when less than 15 days remain (and the session has not already expired). */
export function shouldExtend(expiresAt: number, now: number): boolean {
  return expiresAt > now && expiresAt - now < SESSION_REFRESH_THRESHOLD_MS;
}

// ---------------------------------------------------------------------------------------------
// Database (integration-tested in tests/integration/auth/session.test.ts)
// ---------------------------------------------------------------------------------------------

export interface CreatedSession {
  /** The cookie value; never stored server-side. */
  token: string;
  session: SessionInfo;
}

/** Starts a session for `userId` (capped at the role's absolute lifetime when the role is given). */
export async function createSession(db: DbOrTx, userId: number, now: number = Date.now(), role?: Role): Promise<CreatedSession> {
  const { token, id, secretHash } = generateSessionToken();
  const expiresAt = role ? Math.min(freshExpiry(now), absoluteExpiry(now, role)) : freshExpiry(now);
  await db.insert(authSessions).values({ id, secretHash: Buffer.from(secretHash), userId, createdAt: now, expiresAt });
  return { token, session: { id, userId, expiresAt } };
}

export type SessionValidation =
  | {
      ok: true;
      session: SessionInfo;
      user: SessionUser;
      /** True when the expiry changed (slid, or capped at the absolute end): re-send the cookie with the new Max-Age. */
      refreshed: boolean;
    }
  | { ok: false; reason: 'malformed' | 'not_found' | 'bad_secret' | 'expired' };

/**
 * Checks a cookie token: by id, then a constant-time compare of SHA-256(secret), then the idle
 * expiry and the absolute lifetime. An expired session is deleted on the spot; a valid one near
 * its idle end is extended, up to its absolute end.
 */
export async function validateSessionToken(db: DbOrTx, token: string, now: number = Date.now()): Promise<SessionValidation> {
  const parsed = parseSessionToken(token);
  if (!parsed.ok) return { ok: false, reason: 'malformed' };

  const row = await db
    .select({
      id: authSessions.id,
      secretHash: authSessions.secretHash,
      expiresAt: authSessions.expiresAt,
      createdAt: authSessions.createdAt,
      userId: users.id,
      email: users.email,
      role: users.role,
      creatorId: users.creatorId,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(eq(authSessions.id, parsed.id))
    .get();
  if (!row) return { ok: false, reason: 'not_found' };

  if (!secretMatchesHash(parsed.secret, new Uint8Array(row.secretHash))) return { ok: false, reason: 'bad_secret' };

  if (row.expiresAt <= now || absoluteExpiry(row.createdAt, row.role) <= now) {
    await db.delete(authSessions).where(eq(authSessions.id, row.id));
    return { ok: false, reason: 'expired' };
  }

  // Slides forward near the idle end, or is pulled in to the absolute end (a row from before the
  // limit existed, or a role that changed): either way the cookie is re-sent with the new Max-Age.
  const expiresAt = nextExpiry(row, now);
  const refreshed = expiresAt !== row.expiresAt;
  if (refreshed) await db.update(authSessions).set({ expiresAt }).where(eq(authSessions.id, row.id));

  return {
    ok: true,
    session: { id: row.id, userId: row.userId, expiresAt },
    user: { id: row.userId, email: row.email, role: row.role, creatorId: row.creatorId },
    refreshed,
  };
}

/** Ends one session (sign-out). Idempotent. */
export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(authSessions).where(eq(authSessions.id, sessionId));
}

/** Ends every session of a user (password change, "sign out everywhere", account removal). Returns how many. */
export async function invalidateUserSessions(db: DbOrTx, userId: number): Promise<number> {
  const deleted = await db.delete(authSessions).where(eq(authSessions.userId, userId)).returning({ id: authSessions.id });
  return deleted.length;
}

/**
 * Housekeeping for a sweeper: rows past their idle expiry or their role's absolute lifetime are
 * already refused and deleted on use. Returns how many.
 */
export async function deleteExpiredSessions(db: DbOrTx, now: number = Date.now()): Promise<number> {
  const admins = db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
  const deleted = await db
    .delete(authSessions)
    .where(
      or(
        lte(authSessions.expiresAt, now),
        lte(authSessions.createdAt, now - Math.max(...Object.values(SESSION_MAX_AGE_MS))),
        and(lte(authSessions.createdAt, now - SESSION_MAX_AGE_MS.admin), inArray(authSessions.userId, admins)),
      ),
    )
    .returning({ id: authSessions.id });
  return deleted.length;
}
