/**
 * The app's own secrets and the one HMAC helper.
 *
 * Secrets (signing order links, the attribution cookie, visitor hashes) are generated on first use
 * and kept in the database, so every instance shares them and a fresh install needs no
 * configuration. `sign` is HMAC-SHA256 over `purpose:data` (the purpose keeps one secret's
 * signatures for different things apart), base64url, truncated; `signatureMatches` compares in
 * constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { appSecrets } from '../../../db/schema/index.ts';

export type SecretName = 'order_links' | 'attribution_cookie' | 'visitor_hash' | (string & {});

const cache = new Map<string, string>();

export async function getAppSecret(db: DbOrTx, name: SecretName): Promise<string> {
  const hit = cache.get(name);
  if (hit) return hit;
  await db.insert(appSecrets).values({ name, value: randomBytes(32).toString('base64url'), createdAt: Date.now() }).onConflictDoNothing();
  const row = await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name)).get();
  if (!row) throw new Error(`app secret ${name} could not be created`);
  cache.set(name, row.value);
  return row.value;
}

/**
 * @example sign(secret, 'order', 'LB-7KX4', 32) // 32 base64url characters
 */
export function sign(secret: string, purpose: string, data: string, length = 43): string {
  return createHmac('sha256', secret).update(`${purpose}:${data}`).digest('base64url').slice(0, length);
}

/** Constant-time comparison of a signature from outside with the expected one. */
export function signatureMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
