/**
 * Shop coupon management for admins: a plain table of shop coupons (creatorId null) with
 * percent or amount off, an optional minimum subtotal, dates, and total and per-email limits.
 * Creators' personal codes live in the same table but are managed at /admin/creators.
 *
 * The form is parsed first (every bad field gets a message next to it) and nothing is written on
 * bad input (docs/architecture.md, rule 6). Money is typed as decimals ("10.00") and parsed to minor units
 * exactly (money-input.ts). Dates are calendar days in UTC; the end day is included, so it is
 * stored as midnight UTC after it (`endsAt` is exclusive, as pricing.ts evaluateCoupon expects).
 */
import type { CouponRule } from './pricing.ts';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db.ts';
import { couponRedemptions, coupons } from '../../../db/schema/index.ts';
import { parseIsoDay } from '../shared/index.ts';
import { parseMoneyInput, parseOptionalMoneyInput } from '../catalog/index.ts';

const DAY_MS = 86_400_000;
/** Highest total or per-email limit an admin can type (a sanity cap, not a business rule). */
const MAX_LIMIT = 1_000_000;

export const SHOP_COUPON_FIELDS = ['code', 'kind', 'percentOff', 'amountOff', 'minSubtotal', 'startsOn', 'endsOn', 'maxRedemptions', 'perEmailLimit'] as const;
export type ShopCouponField = (typeof SHOP_COUPON_FIELDS)[number];
export type ShopCouponErrors = Partial<Record<ShopCouponField, string>>;

/** A shop coupon as the form produces it: the checkout's rule without id and creator (code upper-case;
 * startsAt = midnight UTC of the first day; endsAt = midnight UTC after the last day, exclusive). */
export type ShopCouponInput = Omit<CouponRule, 'id' | 'creatorId'>;

const codeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_-]{3,40}$/, 'Code: 3–40 letters A–Z, digits, dashes or underscores (no spaces).');

const kindSchema = z.enum(['percent', 'amount'], { error: 'Choose percent off or amount off.' });

const percentSchema = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/, 'Percent off: a whole number from 1 to 100.')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 100, 'Percent off: a whole number from 1 to 100.');

const optionalLimit = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{0,7}$/, `${label}: a whole number of 1 or more, or empty for no limit.`)
    .transform((s) => (s === '' ? null : Number(s)))
    .refine((n) => n === null || (n >= 1 && n <= MAX_LIMIT), `${label}: a whole number from 1 to ${MAX_LIMIT.toLocaleString('en')}, or empty for no limit.`);

const optionalDay = (label: string) =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || parseIsoDay(s) !== null, `${label}: a real date like 2026-03-31 (YYYY-MM-DD), or empty.`)
    .transform((s) => (s === '' ? null : parseIsoDay(s)!));

type Fields = Record<string, unknown> | { get(name: string): unknown };

function reader(fields: Fields): (k: string) => unknown {
  if (typeof (fields as { get?: unknown }).get === 'function') {
    const f = fields as { get(name: string): unknown };
    return (k) => f.get(k) ?? undefined;
  }
  return (k) => (fields as Record<string, unknown>)[k];
}

/**
 * The create form → typed values, or a message per bad field. Accepts a plain object or FormData.
 * The discount field that does not match the kind is ignored.
 * @example parseShopCouponForm({ code: 'spring10', kind: 'amount', amountOff: '10.00', endsOn: '2026-03-31', active: 'on' })
 *   // { ok: true, value: { code: 'SPRING10', amountOffCents: 1000, endsAt: Date.UTC(2026, 3, 1), … } }
 */
export function parseShopCouponForm(
  fields: Fields,
  { fractionDigits = 2 }: { fractionDigits?: number } = {},
): { ok: true; value: ShopCouponInput } | { ok: false; errors: ShopCouponErrors } {
  const get = reader(fields);
  const str = (k: string) => {
    const v = get(k);
    return typeof v === 'string' ? v : '';
  };
  const errors: ShopCouponErrors = {};
  const first = (r: { success: false; error: z.ZodError }) => r.error.issues[0]?.message ?? 'Not valid.';

  const code = codeSchema.safeParse(str('code'));
  if (!code.success) errors.code = str('code').trim() === '' ? 'Code: enter a code, like SPRING10.' : first(code);
  const kind = kindSchema.safeParse(str('kind'));
  if (!kind.success) errors.kind = 'Choose percent off or amount off.';

  let percentOff: number | null = null;
  let amountOffCents: number | null = null;
  if (kind.success && kind.data === 'percent') {
    const p = percentSchema.safeParse(str('percentOff'));
    if (p.success) percentOff = p.data;
    else errors.percentOff = first(p);
  } else if (kind.success && kind.data === 'amount') {
    const a = parseMoneyInput(str('amountOff'), { fractionDigits });
    if (!a.ok) errors.amountOff = `Amount off: ${a.message}`;
    else if (a.cents <= 0) errors.amountOff = 'Amount off: must be more than zero.';
    else amountOffCents = a.cents;
  }

  const min = parseOptionalMoneyInput(str('minSubtotal'), { fractionDigits });
  if (!min.ok) errors.minSubtotal = `Minimum subtotal: ${min.message}`;

  const startsOn = optionalDay('Start date').safeParse(str('startsOn'));
  if (!startsOn.success) errors.startsOn = first(startsOn);
  const endsOn = optionalDay('End date').safeParse(str('endsOn'));
  if (!endsOn.success) errors.endsOn = first(endsOn);
  // The end day is included, so a one-day coupon has the same start and end day.
  if (startsOn.success && endsOn.success && startsOn.data !== null && endsOn.data !== null && endsOn.data < startsOn.data) {
    errors.endsOn = 'End date: must be on or after the start date.';
  }

  const maxRedemptions = optionalLimit('Total uses').safeParse(str('maxRedemptions'));
  if (!maxRedemptions.success) errors.maxRedemptions = first(maxRedemptions);
  const perEmailLimit = optionalLimit('Uses per email').safeParse(str('perEmailLimit'));
  if (!perEmailLimit.success) errors.perEmailLimit = first(perEmailLimit);

  const activeRaw = get('active');
  const active = activeRaw === true || activeRaw === 'on' || activeRaw === '1' || activeRaw === 'true';

  if (
    Object.keys(errors).length ||
    !code.success ||
    !kind.success ||
    !min.ok ||
    !startsOn.success ||
    !endsOn.success ||
    !maxRedemptions.success ||
    !perEmailLimit.success
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      code: code.data,
      kind: kind.data,
      percentOff,
      amountOffCents,
      minSubtotalCents: min.cents ?? 0,
      startsAt: startsOn.data,
      endsAt: endsOn.data === null ? null : endsOn.data + DAY_MS,
      maxRedemptions: maxRedemptions.data,
      perEmailLimit: perEmailLimit.data,
      active,
    },
  };
}

/** Stored exclusive end back to the last included day: Date.UTC(2026, 3, 1) → "2026-03-31". */
export function couponLastDay(endsAt: number): string {
  return new Date(endsAt - DAY_MS).toISOString().slice(0, 10);
}

/** Midnight UTC → "2026-03-01". */
export function couponDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export type ShopCouponRow = Omit<CouponRule, 'creatorId'> & {
  createdAt: number;
  /** Live redemptions (not released by a canceled or expired order). */
  redemptions: number;
};

/** Shop coupons only (not creators' personal codes), newest first, with live redemption counts. */
export async function listShopCoupons(db: DbOrTx): Promise<ShopCouponRow[]> {
  const rows = await db
    .select({
      id: coupons.id,
      code: coupons.code,
      kind: coupons.kind,
      percentOff: coupons.percentOff,
      amountOffCents: coupons.amountOffCents,
      minSubtotalCents: coupons.minSubtotalCents,
      startsAt: coupons.startsAt,
      endsAt: coupons.endsAt,
      maxRedemptions: coupons.maxRedemptions,
      perEmailLimit: coupons.perEmailLimit,
      active: coupons.active,
      createdAt: coupons.createdAt,
      redemptions: count(couponRedemptions.id),
    })
    .from(coupons)
    .leftJoin(couponRedemptions, and(eq(couponRedemptions.couponId, coupons.id), isNull(couponRedemptions.releasedAt)))
    .where(isNull(coupons.creatorId))
    .groupBy(coupons.id)
    .orderBy(desc(coupons.createdAt), desc(coupons.id));
  return rows.map((r) => ({ ...r, redemptions: Number(r.redemptions) }));
}

export type ShopCouponRefusal = { ok: false; reason: 'invalid' | 'taken' | 'not_found'; message: string; errors: ShopCouponErrors };

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed/i.test(e.message)) return true;
  return false;
}

/**
 * Creates a shop coupon. A code already used by any coupon — a shop coupon or a creator's personal
 * code — is refused with a message on the code field; nothing is written on bad input.
 */
export async function createShopCoupon(
  db: DbOrTx,
  fields: Fields,
  now = Date.now(),
  opts: { fractionDigits?: number } = {},
): Promise<{ ok: true; id: number; code: string } | ShopCouponRefusal> {
  const parsed = parseShopCouponForm(fields, opts);
  if (!parsed.ok) return { ok: false, reason: 'invalid', message: 'Nothing was saved: fix the highlighted fields.', errors: parsed.errors };
  const v = parsed.value;
  const taken = (creator: boolean): ShopCouponRefusal => ({
    ok: false,
    reason: 'taken',
    message: `The code ${v.code} already exists${creator ? ' as a creator’s personal code' : ''}. Choose another.`,
    errors: { code: creator ? `Code: ${v.code} is already a creator’s personal code.` : `Code: ${v.code} is already in use.` },
  });
  const clash = await db.select({ id: coupons.id, creatorId: coupons.creatorId }).from(coupons).where(eq(coupons.code, v.code)).get();
  if (clash) return taken(clash.creatorId !== null);
  try {
    const row = await db
      .insert(coupons)
      .values({ ...v, creatorId: null, createdAt: now })
      .returning({ id: coupons.id })
      .get();
    return { ok: true, id: row.id, code: v.code };
  } catch (err) {
    if (isUniqueViolation(err)) return taken(false);
    throw err;
  }
}

/** Turns a shop coupon on or off. Creators' codes are not touched here (not_found). */
export async function setShopCouponActive(db: DbOrTx, id: number, active: boolean): Promise<{ ok: true; code: string; active: boolean } | ShopCouponRefusal> {
  const row = await db
    .update(coupons)
    .set({ active })
    .where(and(eq(coupons.id, id), isNull(coupons.creatorId)))
    .returning({ code: coupons.code })
    .get();
  if (!row) return { ok: false, reason: 'not_found', message: 'No such shop coupon.', errors: {} };
  return { ok: true, code: row.code, active };
}

/**
 * Pure: a coupon's state as the admin list shows it, at `now`.
 * @example couponState({ active: true, startsAt: null, endsAt: null, maxRedemptions: 5, redemptions: 5 }, now) // 'used_up'
 */
export function couponState(
  c: { active: boolean; startsAt: number | null; endsAt: number | null; maxRedemptions: number | null; redemptions: number },
  now: number,
): 'inactive' | 'ended' | 'scheduled' | 'used_up' | 'active' {
  if (!c.active) return 'inactive';
  if (c.endsAt !== null && now >= c.endsAt) return 'ended';
  if (c.startsAt !== null && now < c.startsAt) return 'scheduled';
  if (c.maxRedemptions !== null && c.redemptions >= c.maxRedemptions) return 'used_up';
  return 'active';
}
