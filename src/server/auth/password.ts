/**
 * Passwords: argon2id with OWASP's recommended minimum (19 MiB memory, 2 iterations, 1 lane).
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id
 */
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id === 2 in @node-rs/argon2; the const enum cannot be imported under isolatedModules.
const ARGON2ID = 2;
export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Pure strength check used by the CLI and (later) invite/password forms. */
export function checkPasswordStrength(password: string): { ok: true } | { ok: false; reason: string } {
  if (password.length < PASSWORD_MIN) return { ok: false, reason: `Use at least ${PASSWORD_MIN} characters.` };
  if (password.length > PASSWORD_MAX) return { ok: false, reason: `Use at most ${PASSWORD_MAX} characters.` };
  return { ok: true };
}
