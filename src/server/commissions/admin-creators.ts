/**
 * The shop admin's creator tools: the list with figures, one creator's detail, and the
 * settings — commission rate, referral code, personal discount codes — plus per-category
 * commission rates. DB in, plain values out; every write validates first and writes nothing on
 * bad input (docs/architecture.md, rule 6), answering `{ ok: false, reason, message, errors }`.
 *
 * Rates are stored in basis points and typed as percent ("12.5" or "12.5%" → 1250). A rate change
 * applies to sales paid from then on: every ledger entry records the rate it was computed with,
 * and the ledger is never rewritten (rule 5).
 *
 * Figures per creator: counted clicks (click_daily), orders and attributed sales (order lines
 * credited to them; sales net of discounts and refunds), and commission by derived status
 * (payouts.ts: pending / approved / in payout / paid — the four always add up to the ledger).
 */
import { and, asc, count, eq, isNotNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db.ts';
import { categories, categoryCommissionRates, clickDaily, couponRedemptions, coupons, creators, orderLines } from '../../../db/schema/index.ts';
import { parseIsoDay } from '../shared/index.ts';
import { creatorBalances, ZERO_BALANCES, type LedgerBalances } from './payouts.ts';
import { listInvitees, listPendingInvites, type InviteeRow, type OpenInviteRow } from './invites.ts';

const DAY_MS = 86_400_000;
/** Highest rate the admin can set (the same cap as COMMISSION_DEFAULT_RATE_BPS). */
export const MAX_RATE_BPS = 5000;

// ---------------------------------------------------------------------------------------------
// Pure parsing and formatting

/**
 * Basis points as a percent for people: 1250 → "12.5%", 1000 → "10%", 1234 → "12.34%".
 * @example formatRatePercent(1250) // '12.5%'
 */
export function formatRatePercent(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = String(Math.abs(bps % 100)).padStart(2, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** For a form field: 1250 → "12.5", null → "". */
export function rateInputValue(bps: number | null): string {
  return bps === null ? '' : formatRatePercent(bps).slice(0, -1);
}

export type RateParse = { ok: true; bps: number | null } | { ok: false; message: string };

/**
 * A percent as typed → basis points, exactly (no floating point). Empty means "no own rate".
 * At most two decimals (a basis point), 0–50%.
 * @example parseRatePercent('12.5%') // { ok: true, bps: 1250 }
 * @example parseRatePercent('')      // { ok: true, bps: null }
 */
export function parseRatePercent(input: unknown, { allowEmpty = true }: { allowEmpty?: boolean } = {}): RateParse {
  const s = (typeof input === 'string' ? input : '').trim().replace(/\s*%$/, '');
  if (s === '') return allowEmpty ? { ok: true, bps: null } : { ok: false, message: 'Enter a rate in percent, like 12.5.' };
  const m = /^(\d{1,3})(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, message: 'Enter the rate as a percent with a dot for decimals, like 12.5.' };
  const frac = m[2] ?? '';
  if (frac.length > 2) return { ok: false, message: 'Use at most two decimals (a hundredth of a percent).' };
  const bps = Number(m[1]) * 100 + Number(frac.padEnd(2, '0'));
  if (bps > MAX_RATE_BPS) return { ok: false, message: `The rate can be at most ${formatRatePercent(MAX_RATE_BPS)}.` };
  return { ok: true, bps };
}

/**
 * A referral code: A–Z and 0–9, 3–16 characters, stored upper-case. Empty means "none".
 * @example parseReferralCode(' maya ') // { ok: true, code: 'MAYA' }
 */
export function parseReferralCode(input: unknown): { ok: true; code: string | null } | { ok: false; message: string } {
  const s = (typeof input === 'string' ? input : '').trim().toUpperCase();
  if (s === '') return { ok: true, code: null };
  if (!/^[A-Z0-9]{3,16}$/.test(s)) return { ok: false, message: 'A referral code is 3–16 letters A–Z and digits 0–9, nothing else.' };
  return { ok: true, code: s };
}

export type CouponField = 'code' | 'percentOff' | 'startsOn' | 'endsOn' | 'maxRedemptions' | 'perEmailLimit';

export interface CreatorCouponInput {
  code: string;
  percentOff: number;
  /** Midnight UTC of the first day, or null (valid now). */
  startsAt: number | null;
  /** Midnight UTC after the last day (the code works through the whole `endsOn` day), or null. */
  endsAt: number | null;
  maxRedemptions: number | null;
  perEmailLimit: number | null;
  active: boolean;
}

const optionalCount = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{0,6}$/, `${label} must be a whole number, or empty for no limit.`)
    .transform((s) => (s === '' ? null : Number(s)))
    .refine((n) => n === null || n >= 1, `${label} must be 1 or more, or empty for no limit.`);

const optionalDay = (label: string) =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || parseIsoDay(s) !== null, `${label} must be a real date like 2026-03-31, or empty.`)
    .transform((s) => (s === '' ? null : parseIsoDay(s)!));

const couponSchema = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9-]{2,23}$/, 'A code is 3–24 letters A–Z, digits and dashes, starting with a letter or digit.'),
    percentOff: z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, 'Percent off must be a whole number from 1 to 100.')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, 'Percent off must be a whole number from 1 to 100.'),
    startsOn: optionalDay('The start date'),
    endsOn: optionalDay('The end date'),
    maxRedemptions: optionalCount('Total uses'),
    perEmailLimit: optionalCount('Uses per customer'),
    active: z.boolean(),
  })
  .refine((v) => v.startsOn === null || v.endsOn === null || v.startsOn <= v.endsOn, { message: 'The end date must not be before the start date.', path: ['endsOn'] });

/**
 * The personal-code form. Dates are calendar days in UTC; the end day is included.
 * @example parseCouponForm({ code: 'maya15', percentOff: '15', startsOn: '', endsOn: '2026-12-31', maxRedemptions: '', perEmailLimit: '1', active: true })
 */
export function parseCouponForm(fields: Record<string, unknown>): { ok: true; value: CreatorCouponInput } | { ok: false; errors: Partial<Record<CouponField, string>> } {
  const str = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : '');
  const r = couponSchema.safeParse({
    code: str('code'),
    percentOff: str('percentOff'),
    startsOn: str('startsOn'),
    endsOn: str('endsOn'),
    maxRedemptions: str('maxRedemptions'),
    perEmailLimit: str('perEmailLimit'),
    active: fields.active === true || fields.active === 'on' || fields.active === '1',
  });
  if (!r.success) {
    const errors: Partial<Record<CouponField, string>> = {};
    for (const i of r.error.issues) errors[i.path[0] as CouponField] ??= i.message;
    return { ok: false, errors };
  }
  const v = r.data;
  return {
    ok: true,
    value: {
      code: v.code,
      percentOff: v.percentOff,
      startsAt: v.startsOn,
      endsAt: v.endsOn === null ? null : v.endsOn + DAY_MS,
      maxRedemptions: v.maxRedemptions,
      perEmailLimit: v.perEmailLimit,
      active: v.active,
    },
  };
}

/** Stored times back to form days: startsAt → "2026-03-01"; endsAt (exclusive) → its last day. */
export function couponFormDays(c: { startsAt: number | null; endsAt: number | null }): { startsOn: string; endsOn: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { startsOn: c.startsAt === null ? '' : day(c.startsAt), endsOn: c.endsAt === null ? '' : day(c.endsAt - DAY_MS) };
}

// ---------------------------------------------------------------------------------------------
// Results

export type AdminCreatorRefusal = { ok: false; reason: 'invalid' | 'not_found' | 'taken'; message: string; errors: Record<string, string> };

function refuse(reason: AdminCreatorRefusal['reason'], message: string, errors: Record<string, string> = {}): AdminCreatorRefusal {
  return { ok: false, reason, message, errors };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed/i.test(e.message)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface AdminCreatorRow {
  id: number;
  handle: string;
  displayName: string;
  createdAt: number;
  email: string | null;
  referralCode: string | null;
  rateBps: number | null;
  invitedBy: { id: number; handle: string } | null;
  clicks: number;
  orders: number;
  /** Net of discounts and refunds, on lines credited to this creator. */
  salesCents: number;
  balances: LedgerBalances;
}

/** Every creator with figures, by display name. */
export async function listCreatorsForAdmin(db: DbOrTx, now = Date.now()): Promise<AdminCreatorRow[]> {
  const rows = await db
    .select({
      id: creators.id,
      handle: creators.handle,
      displayName: creators.displayName,
      createdAt: creators.createdAt,
      referralCode: creators.referralCode,
      rateBps: creators.commissionRateBps,
      invitedById: creators.invitedByCreatorId,
      // Qualified by hand: in a one-table select Drizzle leaves `${creators.id}` unqualified, and
      // inside the subquery it would bind to users.id.
      email: sql<string | null>`(select u.email from users u where u.creator_id = "creators"."id" order by u.id limit 1)`,
    })
    .from(creators)
    .orderBy(asc(sql`lower(${creators.displayName})`), asc(creators.id));
  const [clicks, sales, balances] = await Promise.all([
    db.select({ creatorId: clickDaily.creatorId, n: sql<number>`coalesce(sum(${clickDaily.clicks}), 0)` }).from(clickDaily).groupBy(clickDaily.creatorId),
    db
      .select({
        creatorId: orderLines.creditedCreatorId,
        orders: sql<number>`count(distinct ${orderLines.orderId})`,
        cents: sql<number>`coalesce(sum(${orderLines.subtotalCents} - ${orderLines.discountCents} - ${orderLines.refundedCents}), 0)`,
      })
      .from(orderLines)
      .where(isNotNull(orderLines.creditedCreatorId))
      .groupBy(orderLines.creditedCreatorId),
    creatorBalances(db, now),
  ]);
  const clickMap = new Map(clicks.map((c) => [c.creatorId, Number(c.n)]));
  const saleMap = new Map(sales.map((s) => [s.creatorId!, { orders: Number(s.orders), cents: Number(s.cents) }]));
  const handles = new Map(rows.map((r) => [r.id, r.handle]));
  return rows.map(({ invitedById, ...r }) => ({
    ...r,
    email: r.email ?? null,
    invitedBy: invitedById !== null ? { id: invitedById, handle: handles.get(invitedById) ?? `#${invitedById}` } : null,
    clicks: clickMap.get(r.id) ?? 0,
    orders: saleMap.get(r.id)?.orders ?? 0,
    salesCents: saleMap.get(r.id)?.cents ?? 0,
    balances: balances.get(r.id) ?? { ...ZERO_BALANCES },
  }));
}

export interface AdminCouponRow {
  id: number;
  code: string;
  percentOff: number | null;
  amountOffCents: number | null;
  startsAt: number | null;
  endsAt: number | null;
  maxRedemptions: number | null;
  perEmailLimit: number | null;
  active: boolean;
  redemptions: number;
}

export interface AdminCreatorDetail extends AdminCreatorRow {
  coupons: AdminCouponRow[];
  invitees: InviteeRow[];
  pendingInvites: OpenInviteRow[];
}

/** One creator by handle with codes and invitees, or null. */
export async function getCreatorForAdmin(db: DbOrTx, handle: string, now = Date.now()): Promise<AdminCreatorDetail | null> {
  const row = (await listCreatorsForAdmin(db, now)).find((c) => c.handle === handle);
  if (!row) return null;
  const codes = await db
    .select({
      id: coupons.id,
      code: coupons.code,
      percentOff: coupons.percentOff,
      amountOffCents: coupons.amountOffCents,
      startsAt: coupons.startsAt,
      endsAt: coupons.endsAt,
      maxRedemptions: coupons.maxRedemptions,
      perEmailLimit: coupons.perEmailLimit,
      active: coupons.active,
      redemptions: sql<number>`(select count(*) from coupon_redemptions r where r.coupon_id = "coupons"."id" and r.released_at is null)`, // qualified by hand, as above
    })
    .from(coupons)
    .where(eq(coupons.creatorId, row.id))
    .orderBy(asc(coupons.id));
  return {
    ...row,
    coupons: codes.map((c) => ({ ...c, redemptions: Number(c.redemptions) })),
    invitees: await listInvitees(db, row.id, now),
    pendingInvites: await listPendingInvites(db, { inviterCreatorId: row.id, now }),
  };
}

/** Creators for a "who invited" select: id, handle, name. */
export async function creatorChoices(db: DbOrTx): Promise<{ id: number; handle: string; displayName: string }[]> {
  return db.select({ id: creators.id, handle: creators.handle, displayName: creators.displayName }).from(creators).orderBy(asc(sql`lower(${creators.displayName})`));
}

// ---------------------------------------------------------------------------------------------
// Writing

export type SaveResult = { ok: true; changed: boolean } | AdminCreatorRefusal;

/**
 * Sets a creator's own commission rate (percent; empty = the shop default) and referral code
 * (empty = none). Both are validated before anything is written.
 */
export async function updateCreatorSettings(db: DbOrTx, { creatorId, rate, referralCode }: { creatorId: number; rate: unknown; referralCode: unknown }): Promise<SaveResult> {
  const r = parseRatePercent(rate);
  const c = parseReferralCode(referralCode);
  const errors: Record<string, string> = {};
  if (!r.ok) errors.rate = r.message;
  if (!c.ok) errors.referralCode = c.message;
  if (!r.ok || !c.ok) return refuse('invalid', Object.values(errors).join(' '), errors);
  const current = await db.select({ id: creators.id, rate: creators.commissionRateBps, code: creators.referralCode }).from(creators).where(eq(creators.id, creatorId)).get();
  if (!current) return refuse('not_found', 'No such creator.');
  if (current.rate === r.bps && current.code === c.code) return { ok: true, changed: false };
  if (c.code !== null) {
    const clash = await db
      .select({ handle: creators.handle })
      .from(creators)
      .where(and(eq(creators.referralCode, c.code), ne(creators.id, creatorId)))
      .get();
    if (clash) return refuse('taken', `The referral code ${c.code} belongs to @${clash.handle}. Choose another.`, { referralCode: `${c.code} is already used by @${clash.handle}.` });
  }
  try {
    await db.update(creators).set({ commissionRateBps: r.bps, referralCode: c.code }).where(eq(creators.id, creatorId));
  } catch (err) {
    if (isUniqueViolation(err)) return refuse('taken', `The referral code ${c.code} was just taken. Choose another.`, { referralCode: 'Already taken.' });
    throw err;
  }
  return { ok: true, changed: true };
}

/**
 * The hidden `couponId` of a code form: empty means "a new code", digits name an existing code.
 * Anything else is a tampered or broken form and is refused — never read as "new", which would
 * create a code the admin meant to edit.
 * @example parseCouponIdField('') // { ok: true, couponId: null }
 * @example parseCouponIdField('12') // { ok: true, couponId: 12 }
 * @example parseCouponIdField('12abc') // { ok: false, message: '…' }
 */
export function parseCouponIdField(raw: unknown): { ok: true; couponId: number | null } | { ok: false; message: string } {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (raw === undefined || raw === null || s === '') return { ok: true, couponId: null };
  if (/^[1-9]\d{0,8}$/.test(s)) return { ok: true, couponId: Number(s) };
  return { ok: false, message: 'This form is out of date or was changed. Reload the page and try again; nothing was saved.' };
}

/**
 * Creates (no `couponId`) or updates one of a creator's personal discount codes (percent off,
 * dates, limits, active). A code that has been used cannot be renamed: orders refer to it, so
 * deactivate it and add a new one instead.
 */
export async function saveCreatorCoupon(
  db: DbOrTx,
  { creatorId, couponId, fields, now = Date.now() }: { creatorId: number; couponId?: number | null | undefined; fields: Record<string, unknown>; now?: number },
): Promise<SaveResult & { couponId?: number }> {
  const parsed = parseCouponForm(fields);
  if (!parsed.ok) return refuse('invalid', Object.values(parsed.errors).join(' '), parsed.errors);
  const v = parsed.value;
  const creator = await db.select({ id: creators.id }).from(creators).where(eq(creators.id, creatorId)).get();
  if (!creator) return refuse('not_found', 'No such creator.');
  const clash = await db.select({ id: coupons.id, creatorId: coupons.creatorId }).from(coupons).where(eq(coupons.code, v.code)).get();
  if (clash && clash.id !== couponId) return refuse('taken', `The code ${v.code} already exists. Choose another.`, { code: `${v.code} is already in use.` });
  const values = {
    code: v.code,
    kind: 'percent' as const,
    percentOff: v.percentOff,
    amountOffCents: null,
    startsAt: v.startsAt,
    endsAt: v.endsAt,
    maxRedemptions: v.maxRedemptions,
    perEmailLimit: v.perEmailLimit,
    active: v.active,
  };
  try {
    if (couponId === undefined || couponId === null) {
      const row = await db.insert(coupons).values({ ...values, creatorId, createdAt: now }).returning({ id: coupons.id }).get();
      return { ok: true, changed: true, couponId: row.id };
    }
    const existing = await db.select().from(coupons).where(and(eq(coupons.id, couponId), eq(coupons.creatorId, creatorId))).get();
    if (!existing) return refuse('not_found', 'That code does not belong to this creator.');
    if (existing.code !== v.code) {
      const used = await db.select({ n: count() }).from(couponRedemptions).where(eq(couponRedemptions.couponId, couponId)).get();
      if ((used?.n ?? 0) > 0) {
        return refuse('invalid', `${existing.code} has been used on orders, so it cannot be renamed. Deactivate it and add a new code instead.`, { code: 'A used code cannot be renamed.' });
      }
    }
    await db.update(coupons).set(values).where(eq(coupons.id, couponId));
    return { ok: true, changed: true, couponId };
  } catch (err) {
    if (isUniqueViolation(err)) return refuse('taken', `The code ${v.code} was just taken. Choose another.`, { code: 'Already in use.' });
    throw err;
  }
}

export interface CategoryRateRow {
  id: number;
  slug: string;
  name: string;
  rateBps: number | null;
}

/** Every category with its commission override (null: none, the creator's or shop's rate applies). */
export async function listCategoryRates(db: DbOrTx): Promise<CategoryRateRow[]> {
  return db
    .select({ id: categories.id, slug: categories.slug, name: categories.name, rateBps: categoryCommissionRates.rateBps })
    .from(categories)
    .leftJoin(categoryCommissionRates, eq(categoryCommissionRates.categoryId, categories.id))
    .orderBy(asc(categories.position), asc(categories.name));
}

/**
 * Sets a category's commission override (percent; empty removes it). The override beats the
 * creator's own rate and the shop default for sales paid from then on.
 */
export async function setCategoryRate(db: DbOrTx, { categoryId, rate }: { categoryId: number; rate: unknown }): Promise<SaveResult> {
  const r = parseRatePercent(rate);
  if (!r.ok) return refuse('invalid', r.message, { rate: r.message });
  const cat = await db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId)).get();
  if (!cat) return refuse('not_found', 'No such category.');
  if (r.bps === null) {
    const gone = await db.delete(categoryCommissionRates).where(eq(categoryCommissionRates.categoryId, categoryId)).returning({ id: categoryCommissionRates.categoryId });
    return { ok: true, changed: gone.length > 0 };
  }
  await db
    .insert(categoryCommissionRates)
    .values({ categoryId, rateBps: r.bps })
    .onConflictDoUpdate({ target: categoryCommissionRates.categoryId, set: { rateBps: r.bps } });
  return { ok: true, changed: true };
}


// ---------------------------------------------------------------------------------------------
// Admin URLs (public URLs live in src/server/paths.ts)

export const ADMIN_CREATORS_PATH = '/admin/creators';

/** The admin page of one creator, optionally with a query (flash messages). */
export function adminCreatorHref(handle: string, query?: Record<string, string>): string {
  const base = `${ADMIN_CREATORS_PATH}/${encodeURIComponent(handle)}`;
  const s = new URLSearchParams(query).toString();
  return s ? `${base}?${s}` : base;
}
