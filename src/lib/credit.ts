/**
 * Page-side composition of the Credit capability (issue 4): settings from astro:env and the
 * attribution cookie's secret (generated on first use and kept in the database, like the
 * order-link secret, so every instance shares it).
 */
import type { AstroCookies } from 'astro';
import { ATTRIBUTION_WINDOW_DAYS, COMMISSION_DEFAULT_RATE_BPS, COMMISSION_LOCK_DAYS, PAYOUT_THRESHOLD_CENTS } from 'astro:env/server';
import type { Db } from '../server/db.ts';
import type { CreditSettings } from '../server/commissions/ledger.ts';
import { REF_COOKIE, verifyRef, type RefClaim } from '../server/attribution/ref-cookie.ts';
import { getAppSecret } from '../server/orders/order-links.ts';

export const creditSettings: CreditSettings & { payoutThresholdCents: number } = {
  defaultRateBps: COMMISSION_DEFAULT_RATE_BPS,
  lockDays: COMMISSION_LOCK_DAYS,
  attributionWindowMs: ATTRIBUTION_WINDOW_DAYS * 86_400_000,
  payoutThresholdCents: PAYOUT_THRESHOLD_CENTS,
};

export function refSecret(db: Db): Promise<string> {
  return getAppSecret(db, 'attribution_cookie');
}

/** The verified last-click claim from the signed cookie, or null (missing, forged, or too old). */
export async function readRefClaim(db: Db, cookies: AstroCookies, now = Date.now()): Promise<RefClaim | null> {
  return verifyRef(await refSecret(db), cookies.get(REF_COOKIE)?.value, now, creditSettings.attributionWindowMs);
}
