/**
 * Private preview links: `<postId>.<expiresAt>.<signature>`, HMAC-signed with the app's own
 * secret (src/server/shared/secrets.ts). Only the post's creator or an admin can mint one (the
 * studio checks ownership first); whoever holds the link sees the current draft until it expires
 * — enough to show a brand before publishing, and nothing a guess can reach.
 */
import { getAppSecret, sign, signatureMatches, HOUR_MS } from '../shared/index.ts';
import type { DbOrTx } from '../db.ts';

const PURPOSE = 'post-preview';
export const PREVIEW_TTL_MS = 24 * HOUR_MS;

export async function previewToken(db: DbOrTx, postId: number, now: number, ttlMs = PREVIEW_TTL_MS): Promise<string> {
  const secret = await getAppSecret(db, 'post_preview');
  const exp = now + ttlMs;
  return `${postId}.${exp}.${sign(secret, PURPOSE, `${postId}.${exp}`, 32)}`;
}

/** The post a valid, unexpired token names; null for anything else (forged, altered, expired). */
export async function readPreviewToken(db: DbOrTx, token: string, now: number): Promise<number | null> {
  const m = /^(\d{1,12})\.(\d{13})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const [, id, exp, sig] = m;
  if (Number(exp) <= now) return null;
  const secret = await getAppSecret(db, 'post_preview');
  return signatureMatches(sign(secret, PURPOSE, `${id}.${exp}`, 32), sig) ? Number(id) : null;
}
