/**
 * The one pricing of a bag: the checkout summary (quote.ts) and placing the order (place-order.ts)
 * both call `priceBag`, inside or outside the write transaction, so the total shown is the total
 * charged. Server prices only (docs/architecture.md, rule 1): lines come from the catalog, the
 * coupon from the database, usage counted by the buyer's canonical email
 * (docs/decisions/0012-canonical-email.md).
 */
import { and, count, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { couponRedemptions, coupons } from '../../../db/schema/index.ts';
import type { BagLineView } from '../cart/index.ts';
import { canonicalEmail } from '../shared/index.ts';
import { computeTotals, evaluateCoupon, type CheckoutConfig, type CouponRule, type ShippingMethod, type Totals } from './pricing.ts';

/** Codes are matched without regard to case or surrounding spaces: " maya15 " is MAYA15. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

export async function findCoupon(db: DbOrTx, code: string): Promise<CouponRule | undefined> {
  return db.select().from(coupons).where(eq(coupons.code, normaliseCode(code))).get();
}

/** Live redemptions of a coupon, in all and by this buyer (by canonical email; none without one). */
export async function couponUsage(db: DbOrTx, couponId: number, email: string | null | undefined) {
  const live = and(eq(couponRedemptions.couponId, couponId), isNull(couponRedemptions.releasedAt));
  const all = await db.select({ n: count() }).from(couponRedemptions).where(live).get();
  const mine = email
    ? await db
        .select({ n: count() })
        .from(couponRedemptions)
        .where(and(live, eq(couponRedemptions.email, canonicalEmail(email))))
        .get()
    : { n: 0 };
  return { redemptions: all?.n ?? 0, redemptionsByEmail: mine?.n ?? 0 };
}

export type CouponOutcome =
  | { code: string; ok: true; rule: CouponRule; discountCents: number }
  | { code: string; ok: false; message: string };

export interface PricedBag {
  method: ShippingMethod;
  coupon: CouponOutcome | null;
  totals: Totals;
  /** The same bag with each shipping method, so the page can show every choice's total. */
  byMethod: { id: string; shippingCents: number; totalCents: number }[];
}

export async function priceBag(
  db: DbOrTx,
  {
    lines,
    config,
    shippingMethod,
    couponCode,
    email,
    now,
    formatMoney,
  }: {
    lines: readonly BagLineView[];
    config: CheckoutConfig;
    shippingMethod?: string | null | undefined;
    couponCode?: string | null | undefined;
    email?: string | null | undefined;
    now: number;
    formatMoney: (cents: number) => string;
  },
): Promise<PricedBag> {
  const method = config.shippingMethods.find((m) => m.id === shippingMethod) ?? config.shippingMethods[0]!;
  const subtotal = lines.reduce((s, l) => s + l.unitPriceCents * l.qty, 0);
  let coupon: CouponOutcome | null = null;
  const code = couponCode ? normaliseCode(couponCode) : '';
  if (code) {
    const rule = await findCoupon(db, code);
    if (!rule) coupon = { code, ok: false, message: `We don't recognise the code ${code}.` };
    else {
      const d = evaluateCoupon(rule, { subtotalCents: subtotal, now, ...(await couponUsage(db, rule.id, email)) }, formatMoney);
      coupon = d.ok ? { code, ok: true, rule, discountCents: d.discountCents } : { code, ok: false, message: d.message };
    }
  }
  const discount = coupon?.ok ? coupon.discountCents : 0;
  return {
    method,
    coupon,
    totals: computeTotals(lines, discount, method),
    byMethod: config.shippingMethods.map((m) => {
      const t = computeTotals(lines, discount, m);
      return { id: m.id, shippingCents: t.shippingCents, totalCents: t.totalCents };
    }),
  };
}
