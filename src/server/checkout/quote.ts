/**
 * The checkout summary before an order exists: bag lines priced by the server, the chosen shipping
 * method and, if given, a coupon — the same arithmetic placeOrder uses, so the total shown is the
 * total charged (no surprises in the total: what the buyer confirms is what is charged).
 */
import type { Db } from '../db.ts';
import { loadBag } from '../cart/index.ts';
import { lineWarning, type BagLineView } from '../cart/index.ts';
import type { CheckoutConfig, Totals } from './pricing.ts';
import { priceBag } from './price-bag.ts';

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
    formatMoney = (c) => String(c),
  }: {
    cartId: string | undefined;
    config: CheckoutConfig;
    shippingMethod?: string | null | undefined;
    couponCode?: string | null | undefined;
    email?: string | null | undefined;
    now?: number;
    formatMoney?: (c: number) => string;
  },
): Promise<Quote> {
  const lines = await loadBag(db, cartId, now);
  const priced = await priceBag(db, { lines, config, shippingMethod, couponCode, email, now, formatMoney });
  return {
    lines,
    totals: priced.totals,
    byMethod: priced.byMethod,
    shippingMethodId: priced.method.id,
    coupon: priced.coupon && (priced.coupon.ok ? { code: priced.coupon.code, ok: true } : { code: priced.coupon.code, ok: false, message: priced.coupon.message }),
    blocked: lines.length === 0 || lines.some((l) => lineWarning(l) !== null),
  };
}
