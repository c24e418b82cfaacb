/**
 * The checkout summary before an order exists: bag lines priced by the server, the chosen shipping
 * method and, if given, a coupon — the same arithmetic placeOrder uses, so the total shown is the
 * total charged (no surprises in the total: what the buyer confirms is what is charged).
 */
import type { Db } from '../db.ts';
import { loadBag } from '../cart/cart-store.ts';
import { lineWarning, type BagLineView } from '../cart/cart.ts';
import { computeTotals, evaluateCoupon, type CheckoutConfig, type Totals } from './pricing.ts';
import { couponUsage, findCoupon } from './place-order.ts';

export interface Quote {
  lines: BagLineView[];
  totals: Totals;
  /** The same order with each shipping method, so the page can show every choice's total. */
  byMethod: { id: string; shippingCents: number; totalCents: number }[];
  shippingMethodId: string;
  coupon: { code: string; ok: true } | { code: string; ok: false; message: string } | null;
  blocked: boolean;
}

export async function quoteCheckout(
  db: Db,
  {
    cartId,
    config,
    shippingMethod,
    couponCode,
    email,
    now = Date.now(),
    formatMoney,
  }: {
    cartId: string | undefined;
    config: CheckoutConfig;
    shippingMethod?: string | null;
    couponCode?: string | null;
    email?: string | null;
    now?: number;
    formatMoney?: (c: number) => string;
  },
): Promise<Quote> {
  const lines = await loadBag(db, cartId, now);
  const method = config.shippingMethods.find((m) => m.id === shippingMethod) ?? config.shippingMethods[0]!;
  const subtotal = lines.reduce((s, l) => s + l.unitPriceCents * l.qty, 0);
  let discount = 0;
  let coupon: Quote['coupon'] = null;
  if (couponCode) {
    const code = couponCode.trim().toUpperCase();
    const rule = await findCoupon(db, code);
    if (!rule) coupon = { code, ok: false, message: `We don't recognise the code ${code}.` };
    else {
      const usage = email ? await couponUsage(db, rule.id, email) : { redemptions: (await couponUsage(db, rule.id, '')).redemptions, redemptionsByEmail: 0 };
      const d = evaluateCoupon(rule, { subtotalCents: subtotal, now, ...usage }, formatMoney);
      if (d.ok) {
        discount = d.discountCents;
        coupon = { code, ok: true };
      } else coupon = { code, ok: false, message: d.message };
    }
  }
  return {
    lines,
    totals: computeTotals(lines, discount, method),
    byMethod: config.shippingMethods.map((m) => {
      const t = computeTotals(lines, discount, m);
      return { id: m.id, shippingCents: t.shippingCents, totalCents: t.totalCents };
    }),
    shippingMethodId: method.id,
    coupon,
    blocked: lines.length === 0 || lines.some((l) => lineWarning(l) !== null),
  };
}
