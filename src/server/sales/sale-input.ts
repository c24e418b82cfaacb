/**
 * The admin's sale and presale forms, parsed (pure): times typed as a date and a time in the shop's
 * time zone, money typed like "29.00". Every bad field gets a message next to it; a form with any
 * message is saved nowhere (docs/architecture.md, rule 6).
 */
import type { FieldErrors } from '../shared/index.ts';
import type { ScheduleKind } from './pricing.ts';
import { shopDate, zonedToEpoch } from './presale.ts';

type Fields = Record<string, string | undefined>;
type MoneyParser = (input: string) => { ok: true; cents: number } | { ok: false; message: string };

export interface ScheduleInput {
  kind: ScheduleKind;
  /** Null: every variant. */
  variantId: number | null;
  priceCents: number;
  startsAt: number;
  endsAt: number;
  unitsAllotted: number | null;
  perBuyerLimit: number | null;
}

const WHOLE = /^\d{1,7}$/;

/**
 * @param variants the product's active variants and their regular prices (the sale must be below them)
 */
export function parseScheduleForm(
  f: Fields,
  {
    variants,
    timeZone,
    now,
    parseMoney,
    money,
  }: {
    variants: readonly { id: number; priceCents: number }[];
    timeZone: string;
    now: number;
    parseMoney: MoneyParser;
    money: (cents: number) => string;
  },
): { ok: true; value: ScheduleInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const kind = f.kind === 'flash' || f.kind === 'markdown' ? f.kind : null;
  if (!kind) errors.kind = 'Choose a flash sale or a markdown.';
  let variantId: number | null = null;
  const target = (f.variant ?? 'all').trim();
  if (target !== 'all') {
    const v = variants.find((x) => String(x.id) === target);
    if (!v) errors.variant = 'Choose one of this product’s sizes, or every size.';
    else variantId = v.id;
  }
  const covered = variantId === null ? variants : variants.filter((v) => v.id === variantId);
  if (covered.length === 0 && !errors.variant) errors.variant = 'This product has no sizes on sale to discount.';

  let priceCents = 0;
  const price = parseMoney((f.price ?? '').trim());
  if (!(f.price ?? '').trim()) errors.price = 'Enter the sale price.';
  else if (!price.ok) errors.price = price.message;
  else if (price.cents < 1) errors.price = 'The sale price must be more than zero.';
  else {
    priceCents = price.cents;
    const lowest = Math.min(...covered.map((v) => v.priceCents));
    if (covered.length && priceCents >= lowest) errors.price = `The sale price must be below the regular price (${money(lowest)}${covered.length > 1 ? ' for the cheapest size' : ''}).`;
  }

  const startsAt = zonedToEpoch((f.startDate ?? '').trim(), (f.startTime ?? '').trim(), timeZone);
  const endsAt = zonedToEpoch((f.endDate ?? '').trim(), (f.endTime ?? '').trim(), timeZone);
  if (startsAt === null) errors.startDate = 'Enter a start date and time, like 2026-12-24 and 10:00.';
  if (endsAt === null) errors.endDate = 'Enter an end date and time, like 2026-12-24 and 22:00.';
  if (startsAt !== null && endsAt !== null) {
    if (endsAt <= startsAt) errors.endDate = 'The end must be after the start.';
    else if (endsAt <= now) errors.endDate = 'The end is already past — choose a later end.';
  }

  let unitsAllotted: number | null = null;
  let perBuyerLimit: number | null = null;
  if (kind === 'flash') {
    const units = (f.units ?? '').trim();
    const limit = (f.limit ?? '').trim();
    if (!WHOLE.test(units) || Number(units) < 1) errors.units = 'Enter how many units sell at the sale price: a whole number, at least 1.';
    else unitsAllotted = Number(units);
    if (!WHOLE.test(limit) || Number(limit) < 1) errors.limit = 'Enter how many one buyer may buy at the sale price: a whole number, at least 1.';
    else perBuyerLimit = Number(limit);
    if (unitsAllotted !== null && perBuyerLimit !== null && perBuyerLimit > unitsAllotted) errors.limit = 'One buyer cannot be allowed more than the units on sale.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { kind: kind!, variantId, priceCents, startsAt: startsAt!, endsAt: endsAt!, unitsAllotted, perBuyerLimit } };
}

export interface PresaleInput {
  shipsOn: string;
  capUnits: number;
  opensAt: number | null;
  closesAt: number;
}

/** The presale form: ship date (after today in the shop's zone), cap, optional open and close times. */
export function parsePresaleForm(f: Fields, { timeZone, now }: { timeZone: string; now: number }): { ok: true; value: PresaleInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const shipsOn = (f.shipsOn ?? '').trim();
  const shipStart = zonedToEpoch(shipsOn, '00:00', timeZone);
  if (shipStart === null) errors.shipsOn = 'Enter the ship date, like 2027-01-12.';
  else if (shipsOn <= shopDate(now, timeZone)) errors.shipsOn = 'The ship date must be after today.';
  const cap = (f.cap ?? '').trim();
  if (!WHOLE.test(cap) || Number(cap) < 1) errors.cap = 'Enter how many units may be sold before stock arrives: a whole number, at least 1.';
  const time = (d?: string, t?: string) => ((d ?? '').trim() ? zonedToEpoch((d ?? '').trim(), (t ?? '').trim() || '00:00', timeZone) : undefined);
  const opensAt = time(f.opensDate, f.opensTime);
  const closesAt = time(f.closesDate, f.closesTime);
  if (opensAt === null) errors.opensDate = 'Enter the opening as a date and time, like 2026-12-24 and 10:00, or leave it empty to open now.';
  if (closesAt === null) errors.closesDate = 'Enter the close as a date and time, or leave it empty to close when the goods ship.';
  const close = closesAt ?? shipStart;
  if (close !== null && close !== undefined && shipStart !== null && !errors.shipsOn) {
    if (close > shipStart) errors.closesDate = 'Pre-orders must close by the ship date.';
    else if (close <= now) errors.closesDate = 'The close is already past.';
    else if (opensAt && opensAt >= close) errors.opensDate = 'The opening must be before the close.';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { shipsOn, capUnits: Number(cap), opensAt: opensAt ?? null, closesAt: close! } };
}
