/**
 * The attribution cookie: first-party, HttpOnly, SameSite=Lax, and signed with HMAC so
 * it cannot be forged or edited to credit someone else. Value: `<clickId>.<creatorId>.<at>.<mac>`.
 * The last click wins: each counted click replaces the cookie.
 */
import { sign, signatureMatches } from '../shared/index.ts';

export const REF_COOKIE = 'lb_ref';

export interface RefClaim {
  clickId: string;
  creatorId: number;
  at: number;
}

const CLICK_ID = /^[A-Za-z0-9_-]{16,40}$/;

function mac(secret: string, body: string): string {
  return sign(secret, 'ref', body, 27);
}

export function signRef(secret: string, claim: RefClaim): string {
  const body = `${claim.clickId}.${claim.creatorId}.${claim.at}`;
  return `${body}.${mac(secret, body)}`;
}

/** The claim if the cookie is well-formed, correctly signed and within the window; else null. */
export function verifyRef(secret: string, value: string | null | undefined, now: number, windowMs: number): RefClaim | null {
  if (!value || value.length > 120) return null;
  const parts = value.split('.');
  if (parts.length !== 4) return null;
  const [clickId, creator, at, given] = parts as [string, string, string, string];
  if (!CLICK_ID.test(clickId) || !/^\d{1,10}$/.test(creator) || !/^\d{1,15}$/.test(at)) return null;
  if (!signatureMatches(mac(secret, `${clickId}.${creator}.${at}`), given)) return null;
  const claim = { clickId, creatorId: Number(creator), at: Number(at) };
  if (claim.at > now + 60_000 || now - claim.at > windowMs) return null;
  return claim;
}
