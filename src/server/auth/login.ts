/**
 * Signing in and out as single calls for the pages (a page calls one src/server function).
 * A successful sign-in always starts a new session and ends the one the browser came with, so a
 * session id planted before login is never promoted (session fixation, OWASP Session Management).
 */
import type { DbOrTx } from '../db.ts';
import { createSession, invalidateSession } from './session.ts';
import type { SessionUser } from './types.ts';
import { authenticate, type AuthenticateFailure } from './users.ts';

export interface LogInInput {
  email: string;
  password: string;
  ip: string | null;
  /** The session the request arrived with, if any: replaced by the new one. */
  previousSessionId?: string | null | undefined;
  now?: number;
}

export type LogInResult = { ok: true; user: SessionUser; token: string; expiresAt: number } | AuthenticateFailure;

export async function logIn(db: DbOrTx, input: LogInInput): Promise<LogInResult> {
  const now = input.now ?? Date.now();
  const result = await authenticate(db, { email: input.email, password: input.password, ip: input.ip, now });
  if (!result.ok) return result;
  if (input.previousSessionId) await invalidateSession(db, input.previousSessionId);
  const { token, session } = await createSession(db, result.user.id, now, result.user.role);
  return { ok: true, user: result.user, token, expiresAt: session.expiresAt };
}

/** Ends the session (if any). Idempotent, so a double-submitted sign-out form is harmless. */
export async function logOut(db: DbOrTx, sessionId: string | null | undefined): Promise<void> {
  if (sessionId) await invalidateSession(db, sessionId);
}
