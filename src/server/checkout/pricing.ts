/**
 * Pure checkout arithmetic: shipping, coupons, totals, and how a discount is spread over
 * lines (commission is computed on each line's net amount: ADR 0009). All integer minor units.
 */

export interface ShippingMethod {
  id: 'standard' | 'express';
  label: string;
  priceCents: number;
  /** Free when the discounted subtotal reaches this amount (null: never free). */
  freeOverCents: number | null;
  days: string;
}

export interface CheckoutConfig {
  currency: string;
  countries: readonly string[];
  shippingMethods: readonly ShippingMethod[];
  reservationTtlMs: number;
}

export function shippingCost(method: ShippingMethod, discountedSubtotalCents: number): number {
  if (method.freeOverCents !== null && discountedSubtotalCents >= method.freeOverCents) return 0;
  return method.priceCents;
}

/** The cheapest way to ship this subtotal (the bag's "shipping estimate"). */
export function shippingEstimate(methods: readonly ShippingMethod[], subtotalCents: number): { method: ShippingMethod; cents: number } | null {
  let best: { method: ShippingMethod; cents: number } | null = null;
  for (const m of methods) {
    const cents = shippingCost(m, subtotalCents);
    if (!best || cents < best.cents) best = { method: m, cents };
  }
  return best;
}

export interface CouponRule {
  id: number;
  code: string;
  kind: 'percent' | 'amount';
  percentOff: number | null;
  amountOffCents: number | null;
  minSubtotalCents: number;
  startsAt: number | null;
  endsAt: number | null;
  maxRedemptions: number | null;
  perEmailLimit: number | null;
  active: boolean;
  /** Set for a creator's personal code. */
  creatorId?: number | null;
}

export type CouponDecision =
  | { ok: true; discountCents: number }
  | { ok: false; reason: 'inactive' | 'not_started' | 'expired' | 'min_subtotal' | 'used_up' | 'email_limit'; message: string };

/**
 * Whether a coupon applies, and how much it takes off. Percent discounts round down (the shop never
 * gives away a fraction of a cent it did not promise); amount discounts never exceed the subtotal.
 */
export function evaluateCoupon(
  c: CouponRule,
  { subtotalCents, now, redemptions, redemptionsByEmail }: { subtotalCents: number; now: number; redemptions: number; redemptionsByEmail: number },
  formatMoney: (cents: number) => string = (n) => String(n),
): CouponDecision {
  if (!c.active) return { ok: false, reason: 'inactive', message: `The code ${c.code} is no longer valid.` };
  if (c.startsAt !== null && now < c.startsAt) return { ok: false, reason: 'not_started', message: `The code ${c.code} is not valid yet.` };
  if (c.endsAt !== null && now >= c.endsAt) return { ok: false, reason: 'expired', message: `The code ${c.code} has expired.` };
  if (subtotalCents < c.minSubtotalCents) {
    return { ok: false, reason: 'min_subtotal', message: `The code ${c.code} needs a subtotal of at least ${formatMoney(c.minSubtotalCents)}.` };
  }
  if (c.maxRedemptions !== null && redemptions >= c.maxRedemptions) return { ok: false, reason: 'used_up', message: `The code ${c.code} has been used up.` };
  if (c.perEmailLimit !== null && redemptionsByEmail >= c.perEmailLimit) {
    return { ok: false, reason: 'email_limit', message: `The code ${c.code} has already been used with this email.` };
  }
  const raw = c.kind === 'percent' ? Math.floor((subtotalCents * (c.percentOff ?? 0)) / 100) : (c.amountOffCents ?? 0);
  return { ok: true, discountCents: Math.max(0, Math.min(raw, subtotalCents)) };
}

/**
 * Spreads a discount over lines in proportion to their subtotals (largest-remainder method, so the
 * parts add up to the discount exactly and ties go to the earlier line).
 */
export function allocateDiscount(lineSubtotals: readonly number[], discountCents: number): number[] {
  const total = lineSubtotals.reduce((a, b) => a + b, 0);
  if (discountCents <= 0 || total <= 0) return lineSubtotals.map(() => 0);
  const d = Math.min(discountCents, total);
  const exact = lineSubtotals.map((s) => (s * d) / total);
  const parts = exact.map(Math.floor);
  let left = d - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

export interface PricedLine {
  unitPriceCents: number;
  qty: number;
}

export interface Totals {
  subtotalCents: number;
  discountCents: number;
  lineDiscounts: number[];
  shippingCents: number;
  totalCents: number;
}

export function computeTotals(lines: readonly PricedLine[], discountCents: number, method: ShippingMethod): Totals {
  const subs = lines.map((l) => l.unitPriceCents * l.qty);
  const subtotalCents = subs.reduce((a, b) => a + b, 0);
  const discount = Math.min(Math.max(0, discountCents), subtotalCents);
  const shippingCents = shippingCost(method, subtotalCents - discount);
  return {
    subtotalCents,
    discountCents: discount,
    lineDiscounts: allocateDiscount(subs, discount),
    shippingCents,
    totalCents: subtotalCents - discount + shippingCents,
  };
}

/** Parses "US,CA,GB" into ISO country codes, rejecting anything else. */
export function parseCountryList(value: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  for (const c of list) if (!/^[A-Z]{2}$/.test(c)) throw new Error(`"${c}" is not a two-letter country code`);
  if (list.length === 0) throw new Error('at least one country is needed');
  return [...new Set(list)];
}

export const COUNTRY_NAMES: Record<string, string> = {
  US: 'United States',
  CA: 'Canada',
  GB: 'United Kingdom',
  IE: 'Ireland',
  DE: 'Germany',
  FR: 'France',
  NL: 'Netherlands',
  BE: 'Belgium',
  ES: 'Spain',
  IT: 'Italy',
  SE: 'Sweden',
  DK: 'Denmark',
  AU: 'Australia',
  NZ: 'New Zealand',
  JP: 'Japan',
};
export const countryName = (code: string) => COUNTRY_NAMES[code] ?? code;
