/**
 * Every creator has a referral code and a personal discount code from the day they join, like the
 * demo creators (MAYA / MAYA15): the referral code makes their links (/r/<CODE>), the personal code
 * gives their audience 15% off once per email and credits them. The shop can change both later in
 * /admin/creators.
 *
 * The referral code comes from the handle ("maya-okafor" → MAYA, else MAYAOKAFOR, else MAYA2, MAYA3 …),
 * the personal code is the referral code + "15" — each checked against every referral code and
 * every coupon code (shop codes included), since a buyer types both in the same field.
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { coupons, creators } from '../../../db/schema/index.ts';

export const PERSONAL_CODE_PERCENT_OFF = 15;

/** Candidates for a handle's referral code, best first (3–16 letters and digits). */
export function referralCodeCandidates(handle: string): string[] {
  const parts = handle.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  const first = (parts[0] ?? 'CREATOR').slice(0, 12);
  const whole = parts.join('').slice(0, 14);
  const base = (first.length >= 3 ? first : whole.length >= 3 ? whole : `${whole}CRE`).slice(0, 12);
  const out = [base, whole.length >= 3 ? whole : base];
  for (let i = 2; i < 100; i++) out.push(`${base}${i}`);
  return [...new Set(out.filter((c) => /^[A-Z0-9]{3,16}$/.test(c)))];
}

async function codeTaken(tx: DbOrTx, code: string): Promise<boolean> {
  const [asReferral, asCoupon] = await Promise.all([
    tx.select({ id: creators.id }).from(creators).where(eq(creators.referralCode, code)).get(),
    tx.select({ id: coupons.id }).from(coupons).where(eq(coupons.code, code)).get(),
  ]);
  return Boolean(asReferral || asCoupon);
}

/**
 * Gives the creator a referral code and a personal code when they have none; leaves existing
 * ones alone. Call in the transaction that creates the creator. Returns the codes they now have.
 */
export async function ensureCreatorCodes(tx: DbOrTx, creatorId: number, now = Date.now()): Promise<{ referralCode: string; personalCode: string | null }> {
  const c = await tx.select({ handle: creators.handle, referralCode: creators.referralCode }).from(creators).where(eq(creators.id, creatorId)).get();
  if (!c) throw new Error(`ensureCreatorCodes: creator ${creatorId} not found`);
  let referralCode = c.referralCode;
  if (!referralCode) {
    for (const candidate of referralCodeCandidates(c.handle)) {
      // The personal code must be free as well, so the pair stays recognisable (MAYA / MAYA15).
      if (!(await codeTaken(tx, candidate)) && !(await codeTaken(tx, `${candidate}${PERSONAL_CODE_PERCENT_OFF}`))) {
        referralCode = candidate;
        break;
      }
    }
    if (!referralCode) throw new Error(`ensureCreatorCodes: no free code for @${c.handle}`);
    await tx.update(creators).set({ referralCode }).where(eq(creators.id, creatorId));
  }
  const existing = await tx.select({ code: coupons.code }).from(coupons).where(eq(coupons.creatorId, creatorId)).get();
  if (existing) return { referralCode, personalCode: existing.code };
  const personal = `${referralCode}${PERSONAL_CODE_PERCENT_OFF}`;
  if (await codeTaken(tx, personal)) return { referralCode, personalCode: null };
  await tx.insert(coupons).values({ code: personal, kind: 'percent', percentOff: PERSONAL_CODE_PERCENT_OFF, perEmailLimit: 1, creatorId, createdAt: now });
  return { referralCode, personalCode: personal };
}
