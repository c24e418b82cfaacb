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
 * - Expired sessions are deleted lazily when presented (ARCHITECTURE rule 8: correctness never
 *   depends on a sweeper); `deleteExpiredSessions` is only housekeeping.
 * - CSRF is handled outside this module: cookies are SameSite=Lax and Astro's `security.checkOrigin`
 *   rejects cross-site form posts.
 *
 * Times are integer milliseconds since the epoch, like every other time column in the database.
 * Functions take `now` so tests can move the clock.
 */
import { eq, lte } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { authSessions, users } from '../../../db/schema/auth.ts';
import type { DbOrTx } from '../db.ts';
import type { SessionInfo, SessionUser } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A session lives this long after its last extension. */
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session is extended when less than this remains. */
export const SESSION_REFRESH_THRESHOLD_MS = 15 * DAY_MS;

/** Random bytes per token half: 160 bits (the brief asks for ≥ 120). */
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

/** Starts a session for `userId`. */
export async function createSession(db: DbOrTx, userId: number, now: number = Date.now()): Promise<CreatedSession> {
  const { token, id, secretHash } = generateSessionToken();
  const expiresAt = freshExpiry(now);
  await db.insert(authSessions).values({ id, secretHash: Buffer.from(secretHash), userId, createdAt: now, expiresAt });
  return { token, session: { id, userId, expiresAt } };
}

export type SessionValidation =
  | {
      ok: true;
      session: SessionInfo;
      user: SessionUser;
      /** True when the expiry slid forward: the cookie must be re-sent with the new Max-Age. */
      refreshed: boolean;
    }
  | { ok: false; reason: 'malformed' | 'not_found' | 'bad_secret' | 'expired' };

/**
 * Checks a cookie token: by id, then a constant-time compare of SHA-256(secret), then expiry.
 * An expired session is deleted on the spot; a valid one near its end is extended.
 */
export async function validateSessionToken(db: DbOrTx, token: string, now: number = Date.now()): Promise<SessionValidation> {
  const parsed = parseSessionToken(token);
  if (!parsed.ok) return { ok: false, reason: 'malformed' };

  const row = await db
    .select({
      id: authSessions.id,
      secretHash: authSessions.secretHash,
      expiresAt: authSessions.expiresAt,
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

  if (row.expiresAt <= now) {
    await db.delete(authSessions).where(eq(authSessions.id, row.id));
    return { ok: false, reason: 'expired' };
  }

  let expiresAt = row.expiresAt;
  let refreshed = false;
  if (shouldExtend(row.expiresAt, now)) {
    expiresAt = freshExpiry(now);
    await db.update(authSessions).set({ expiresAt }).where(eq(authSessions.id, row.id));
    refreshed = true;
  }

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

/** Housekeeping for a sweeper: expired rows are already refused and deleted on use. Returns how many. */
export async function deleteExpiredSessions(db: DbOrTx, now: number = Date.now()): Promise<number> {
  const deleted = await db
    .delete(authSessions)
    .where(lte(authSessions.expiresAt, now))
    .returning({ id: authSessions.id });
  return deleted.length;
}
