/**
 * Commission arithmetic (docs/architecture.md, rule 5; ADR 0009), pure.
 *
 * - Base: the line's net amount after discounts (subtotal − its share of the discount), before tax
 *   and shipping.
 * - Rate: a per-category override if set, else the creator's own rate, else the shop default.
 * - Rounding: commission = floor(base × rate_bps / 10 000) — rounded down to the minor unit, so the
 *   shop never pays a fraction of a cent that was not earned.
 * - Reversal on refund: proportional to the money refunded on that line, cumulative:
 *   reversed so far = floor(sale × refunded_net / base); a new reversal tops it up. A full refund
 *   reverses the sale exactly.
 * - Lock window: a sale becomes approved `lockDays` after payment (14–90, default 30).
 * - One-level override: the inviter earns 10% of the invitee's commission (floor) on sales paid
 *   within 6 calendar months of the invitee joining. Never a second level.
 */
export const DAY_MS = 86_400_000;
export const OVERRIDE_RATE_BPS = 1000;
export const OVERRIDE_MONTHS = 6;

export function effectiveRateBps({
  categoryRateBps,
  creatorRateBps,
  defaultRateBps,
}: {
  categoryRateBps: number | null | undefined;
  creatorRateBps: number | null | undefined;
  defaultRateBps: number;
}): number {
  return categoryRateBps ?? creatorRateBps ?? defaultRateBps;
}

export function lineNet(line: { subtotalCents: number; discountCents: number }): number {
  return Math.max(0, line.subtotalCents - line.discountCents);
}

export function commissionFor(baseCents: number, rateBps: number): number {
  if (!Number.isInteger(baseCents) || !Number.isInteger(rateBps) || baseCents < 0 || rateBps < 0) {
    throw new RangeError(`commission needs non-negative integers, got base ${baseCents}, rate ${rateBps}`);
  }
  return Math.floor((baseCents * rateBps) / 10_000);
}

/** How much of `saleCents` should be reversed in total once `refundedNetCents` of `baseCents` is refunded. */
export function reversalTarget(saleCents: number, baseCents: number, refundedNetCents: number): number {
  if (baseCents <= 0) return saleCents;
  const refunded = Math.min(Math.max(0, refundedNetCents), baseCents);
  return Math.floor((saleCents * refunded) / baseCents);
}

export function approvalAt(paidAt: number, lockDays: number): number {
  return paidAt + lockDays * DAY_MS;
}

export function overrideFor(commissionCents: number): number {
  return Math.floor((commissionCents * OVERRIDE_RATE_BPS) / 10_000);
}

/** The end of the override period: the same day of the month, 6 months after joining (UTC). */
export function overrideEndsAt(joinedAt: number): number {
  const d = new Date(joinedAt);
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + OVERRIDE_MONTHS, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  // clamp the day (e.g. 31 Aug + 6 months → 28/29 Feb)
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return end.getTime();
}

export function overrideApplies(joinedAt: number, paidAt: number): boolean {
  return paidAt >= joinedAt && paidAt < overrideEndsAt(joinedAt);
}

export type EntryStatus = 'pending' | 'approved' | 'paid';

/** Status of a ledger entry, decided where read (no sweeper needed). */
export function entryStatus(entry: { availableAt: number; paidOut: boolean }, now: number): EntryStatus {
  if (entry.paidOut) return 'paid';
  return now >= entry.availableAt ? 'approved' : 'pending';
}

export interface Balances {
  pendingCents: number;
  approvedCents: number;
  paidCents: number;
}

/** Balances are always the sum of the ledger, bucketed by derived status. */
export function balances(entries: readonly { amountCents: number; availableAt: number; paidOut: boolean }[], now: number): Balances {
  const b: Balances = { pendingCents: 0, approvedCents: 0, paidCents: 0 };
  for (const e of entries) {
    const s = entryStatus(e, now);
    if (s === 'paid') b.paidCents += e.amountCents;
    else if (s === 'approved') b.approvedCents += e.amountCents;
    else b.pendingCents += e.amountCents;
  }
  return b;
}
