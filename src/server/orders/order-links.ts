/**
 * Signed order links (issue 3): the confirmation email links to /orders/<number>?t=<token>, where
 * token = HMAC-SHA256(secret, "order:<number>") — no account needed, and a number alone (which a
 * buyer may read aloud) does not open the page. The secret is generated on first use and kept in
 * the database, so every instance shares it and a fresh install needs no configuration.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { appSecrets } from '../../../db/schema/index.ts';

const cache = new Map<string, string>();

export async function getAppSecret(db: Db, name: string): Promise<string> {
  const hit = cache.get(name);
  if (hit) return hit;
  await db.insert(appSecrets).values({ name, value: randomBytes(32).toString('base64url'), createdAt: Date.now() }).onConflictDoNothing();
  const row = await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name)).get();
  if (!row) throw new Error(`app secret ${name} could not be created`);
  cache.set(name, row.value);
  return row.value;
}

export function orderToken(secret: string, orderNumber: string): string {
  return createHmac('sha256', secret).update(`order:${orderNumber}`).digest('base64url').slice(0, 32);
}

/** Constant-time check of a token from a URL. */
export function verifyOrderToken(secret: string, orderNumber: string, token: string | null | undefined): boolean {
  if (!token || token.length !== 32) return false;
  const expected = Buffer.from(orderToken(secret, orderNumber));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function orderPath(orderNumber: string, token: string): string {
  return `/orders/${encodeURIComponent(orderNumber)}?t=${encodeURIComponent(token)}`;
}
