/**
 * Signed order links: the confirmation email links to /orders/<number>?t=<token>, where
 * token = HMAC-SHA256(secret, "order:<number>") — no account needed, and a number alone (which a
 * buyer may read aloud) does not open the page. The secret is generated on first use and kept in
 * the database, so every instance shares it and a fresh install needs no configuration.
 */
import { getAppSecret, sign, signatureMatches } from '../shared/index.ts';

/** Re-exported for callers that still import it from here; it lives in shared/secrets.ts. */
export { getAppSecret };

export function orderToken(secret: string, orderNumber: string): string {
  return sign(secret, 'order', orderNumber, 32);
}

/** Constant-time check of a token from a URL. */
export function verifyOrderToken(secret: string, orderNumber: string, token: string | null | undefined): boolean {
  return signatureMatches(orderToken(secret, orderNumber), token);
}

export function orderPath(orderNumber: string, token: string): string {
  return `/orders/${encodeURIComponent(orderNumber)}?t=${encodeURIComponent(token)}`;
}
