/**
 * Page-side helpers of attribution: the settings (from app.ts) and the
 * attribution cookie's secret (generated on first use and kept in the database, like the
 * order-link secret, so every instance shares it).
 */
import type { AstroCookies } from 'astro';
import type { Db } from '../server/db.ts';
import { REF_COOKIE, verifyRef, type RefClaim } from '../server/attribution/index.ts';
import { getAppSecret } from '../server/shared/index.ts';

export { creditSettings } from './app.ts';
import { creditSettings } from './app.ts';

export function refSecret(db: Db): Promise<string> {
  return getAppSecret(db, 'attribution_cookie');
}

/** The verified last-click claim from the signed cookie, or null (missing, forged, or too old). */
export async function readRefClaim(db: Db, cookies: AstroCookies, now = Date.now()): Promise<RefClaim | null> {
  return verifyRef(await refSecret(db), cookies.get(REF_COOKIE)?.value, now, creditSettings.attributionWindowMs);
}
