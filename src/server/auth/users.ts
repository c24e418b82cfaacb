/**
 * Accounts: creating users (CLI, later invites) and checking a login.
 *
 * `authenticate` answers the same `invalid_credentials` for an unknown email and a wrong password,
 * and verifies against a dummy argon2 hash when the email is unknown, so neither the message nor
 * the response time tells an attacker which emails have accounts (OWASP Authentication Cheat
 * Sheet, "Authentication Responses"). Throttling is in rate-limit.ts and counts unknown emails too.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { creators, users } from '../../../db/schema/auth.ts';
import type { DbOrTx } from '../db.ts';
import { PASSWORD_MAX, checkPasswordStrength, hashPassword, verifyPassword } from './password.ts';
import { beginLoginAttempt, recordLoginSuccess, toRetryAfterSeconds } from './rate-limit.ts';
import type { Role, SessionUser } from './types.ts';

export const ROLES = ['admin', 'creator'] as const satisfies readonly Role[];
/** RFC 5321 limits a forward path to 254 characters. */
export const EMAIL_MAX = 254;

/** Emails are stored and compared trimmed and lower-cased (one account per mailbox, whatever the casing). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const emailSchema = z.email().max(EMAIL_MAX);

/** Pure email format check, shared by the CLI and the login form. */
export function isValidEmail(email: string): boolean {
  return emailSchema.safeParse(normaliseEmail(email)).success;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface CreateUserInput {
  email: string;
  password: string;
  /** Unvalidated on purpose: the CLI passes whatever was typed. */
  role: string;
  /** Required for the creator role: the `creators.handle` this login belongs to. */
  creatorHandle?: string | null | undefined;
  now?: number;
}

export type CreateUserFailureReason =
  | 'invalid_email'
  | 'weak_password'
  | 'invalid_role'
  | 'creator_required'
  | 'creator_not_allowed'
  | 'unknown_creator'
  | 'email_taken';

export type CreateUserResult = { ok: true; user: SessionUser } | { ok: false; reason: CreateUserFailureReason; message: string };

/**
 * Validates everything first and writes one row only when all of it holds (docs/architecture.md, rule 6).
 * @example await createUser(db, { email: 'ana@shop.test', password: 'long enough pw', role: 'creator', creatorHandle: 'ana' })
 */
export async function createUser(db: DbOrTx, input: CreateUserInput): Promise<CreateUserResult> {
  const email = normaliseEmail(input.email);
  if (!isValidEmail(email)) return { ok: false, reason: 'invalid_email', message: `"${input.email}" is not a valid email address.` };

  const strength = checkPasswordStrength(input.password);
  if (!strength.ok) return { ok: false, reason: 'weak_password', message: strength.reason };

  if (!isRole(input.role)) {
    return { ok: false, reason: 'invalid_role', message: `Unknown role "${input.role}". Use one of: ${ROLES.join(', ')}.` };
  }
  const role = input.role;
  const handle = input.creatorHandle?.trim() || null;

  let creatorId: number | null = null;
  if (role === 'creator') {
    if (!handle) return { ok: false, reason: 'creator_required', message: 'A creator login needs the creator handle it belongs to.' };
    const creator = await db.select({ id: creators.id }).from(creators).where(eq(creators.handle, handle)).get();
    if (!creator) return { ok: false, reason: 'unknown_creator', message: `No creator with the handle "${handle}".` };
    creatorId = creator.id;
  } else if (handle) {
    return { ok: false, reason: 'creator_not_allowed', message: 'Only creator logins belong to a creator; leave the handle out for an admin.' };
  }

  const taken = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (taken) return emailTaken(email);

  const passwordHash = await hashPassword(input.password);
  try {
    const row = await db
      .insert(users)
      .values({ email, passwordHash, role, creatorId, createdAt: input.now ?? Date.now() })
      .returning({ id: users.id })
      .get();
    return { ok: true, user: { id: row.id, email, role, creatorId } };
  } catch (error) {
    // Another writer took the email between the check and the insert.
    if (isUniqueViolation(error)) return emailTaken(email);
    throw error;
  }
}

function emailTaken(email: string): CreateUserResult {
  return { ok: false, reason: 'email_taken', message: `A user with the email ${email} already exists.` };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed/i.test(e.message)) return true;
  }
  return false;
}

export interface AuthenticateInput {
  email: string;
  password: string;
  /** Client address for the per-IP throttle; null when unknown. */
  ip: string | null;
  now?: number;
}

export type AuthenticateFailure =
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export type AuthenticateResult = { ok: true; user: SessionUser } | AuthenticateFailure;

let dummyHash: Promise<string> | undefined;
/**
 * A hash made with the current ARGON2_OPTIONS of a password nobody knows, verified against when the
 * email is unknown so that both paths cost one argon2 verification. Made once per process.
 */
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}

/**
 * Checks an email and password, throttled per account+address, per address and per account
 * (rate-limit.ts, ADR 0021).
 * Unknown email and wrong password give the same answer in about the same time.
 */
export async function authenticate(db: DbOrTx, input: AuthenticateInput): Promise<AuthenticateResult> {
  const now = input.now ?? Date.now();
  const email = normaliseEmail(input.email);
  const subject = { email, ip: input.ip };

  const attempt = await beginLoginAttempt(db, subject, now);
  if (!attempt.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: toRetryAfterSeconds(attempt.retryAfterMs) };

  // Start the dummy hash before the lookup so that its one-off cost does not mark unknown emails.
  const dummy = getDummyHash();
  const user = await db
    .select({ id: users.id, email: users.email, role: users.role, creatorId: users.creatorId, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email))
    .get();

  // Over-long input never reaches argon2 (a cheap denial-of-service otherwise); it cannot be a valid password.
  const plausible = input.password.length > 0 && input.password.length <= PASSWORD_MAX;
  // A reader has no password (''): verified against the dummy too, so it costs the same and never matches.
  const valid = plausible && (await verifyPassword(user?.passwordHash || (await dummy), input.password)) && user !== undefined && user.passwordHash !== '';

  if (!valid || !user) {
    if (attempt.lockedUntil > now) {
      return { ok: false, reason: 'throttled', retryAfterSeconds: toRetryAfterSeconds(attempt.lockedUntil - now) };
    }
    return { ok: false, reason: 'invalid_credentials' };
  }

  await recordLoginSuccess(db, subject, now);
  return { ok: true, user: { id: user.id, email: user.email, role: user.role, creatorId: user.creatorId } };
}

/** The creator a creator login belongs to (for the dashboard), or null for admins and orphans. */
export async function getCreatorForUser(
  db: DbOrTx,
  user: Pick<SessionUser, 'creatorId'>,
): Promise<{ id: number; handle: string; displayName: string } | null> {
  if (user.creatorId === null) return null;
  const row = await db
    .select({ id: creators.id, handle: creators.handle, displayName: creators.displayName })
    .from(creators)
    .where(eq(creators.id, user.creatorId))
    .get();
  return row ?? null;
}
