/**
 * Pure sale pricing (docs/decisions/0051-flash-sales-markdowns-presale.md): given a variant's
 * regular price, the schedules that cover it and `now`, what the reader pays, what is struck
 * through, which sale (if any) applies and when any of that next changes. No I/O: the catalog read,
 * the bag and placing an order all call these with rows loaded by sales-store.ts, so the price shown
 * is the price charged (docs/architecture.md, rule 1).
 *
 * Model:
 * - A schedule is live from `startsAt` (inclusive) to `endsAt` (exclusive); a canceled one never is.
 * - A live flash sale applies while it has units left; a live markdown always.
 * - Precedence: of the live schedules that would lower the price, the lowest price wins; on a tie the
 *   markdown wins (no limit binds the buyer). A flash sale priced above a live markdown is not shown.
 * - A price never goes above the regular price nor below 1 minor unit.
 * - The struck-through price during a sale is the variant's regular price (what it sells for outside
 *   the sale), never an older compare-at: the saving shown is the saving this sale gives.
 */

export type ScheduleKind = 'flash' | 'markdown';

export interface Schedule {
  id: number;
  productId: number;
  /** Null: every variant of the product. */
  variantId: number | null;
  kind: ScheduleKind;
  priceCents: number;
  startsAt: number;
  endsAt: number;
  unitsAllotted: number | null;
  perBuyerLimit: number | null;
  canceledAt: number | null;
}

/** Units of each flash sale already taken by paid or live-held orders (sales-store.ts). */
export type UnitsTaken = ReadonlyMap<number, number>;

export interface AppliedSale {
  scheduleId: number;
  kind: ScheduleKind;
  priceCents: number;
  regularCents: number;
  endsAt: number;
  /** Flash sales only. */
  perBuyerLimit: number | null;
  unitsLeft: number | null;
}

export interface PricedVariant {
  /** What the reader pays now. */
  priceCents: number;
  /** Struck through: the regular price during a sale, else the variant's own compare-at. */
  compareAtCents: number | null;
  regularCents: number;
  sale: AppliedSale | null;
}

export const MIN_PRICE_CENTS = 1;

export function isLive(s: Schedule, now: number): boolean {
  return s.canceledAt === null && s.startsAt <= now && now < s.endsAt;
}

export function coversVariant(s: Schedule, variantId: number): boolean {
  return s.variantId === null || s.variantId === variantId;
}

export function unitsLeft(s: Schedule, taken: UnitsTaken): number | null {
  if (s.kind !== 'flash' || s.unitsAllotted === null) return null;
  return Math.max(0, s.unitsAllotted - (taken.get(s.id) ?? 0));
}

/**
 * The price of one variant at `now`.
 * @example priceVariant({ id: 1, priceCents: 5000, compareAtCents: null }, [flash 2900 live, 20 units], now, new Map())
 *   // { priceCents: 2900, compareAtCents: 5000, regularCents: 5000, sale: { kind: 'flash', … } }
 */
export function priceVariant(
  variant: { id: number; priceCents: number; compareAtCents: number | null },
  schedules: readonly Schedule[],
  now: number,
  taken: UnitsTaken,
): PricedVariant {
  const regular = variant.priceCents;
  let best: Schedule | null = null;
  for (const s of schedules) {
    if (!coversVariant(s, variant.id) || !isLive(s, now)) continue;
    if (s.kind === 'flash' && (unitsLeft(s, taken) ?? 0) <= 0) continue;
    const price = clampPrice(s.priceCents, regular);
    if (price >= regular) continue;
    if (!best) best = s;
    else {
      const bestPrice = clampPrice(best.priceCents, regular);
      if (price < bestPrice || (price === bestPrice && s.kind === 'markdown' && best.kind === 'flash')) best = s;
    }
  }
  if (!best) return { priceCents: regular, compareAtCents: variant.compareAtCents, regularCents: regular, sale: null };
  const priceCents = clampPrice(best.priceCents, regular);
  return {
    priceCents,
    compareAtCents: regular,
    regularCents: regular,
    sale: { scheduleId: best.id, kind: best.kind, priceCents, regularCents: regular, endsAt: best.endsAt, perBuyerLimit: best.perBuyerLimit, unitsLeft: unitsLeft(best, taken) },
  };
}

function clampPrice(sale: number, regular: number): number {
  return Math.max(MIN_PRICE_CENTS, Math.min(regular, sale));
}

/** The next start or end after `now` of any schedule not canceled (the cache bound), or null. */
export function nextBoundary(schedules: readonly Schedule[], now: number): number | null {
  let next: number | null = null;
  for (const s of schedules) {
    if (s.canceledAt !== null) continue;
    for (const t of [s.startsAt, s.endsAt]) if (t > now && (next === null || t < next)) next = t;
  }
  return next;
}

/** What cards and the product page say about a product's sale. */
export interface SaleView {
  scheduleId: number;
  kind: ScheduleKind;
  /** upcoming: "Starts in …"; live: sale price, countdown, units left; sold_out: live but every sale unit is taken. */
  state: 'upcoming' | 'live' | 'sold_out';
  /** The sale price (of the cheapest variant it covers). */
  priceCents: number;
  /** That variant's regular price. */
  regularCents: number;
  startsAt: number;
  endsAt: number;
  /** Null: every variant. */
  variantId: number | null;
  unitsAllotted: number | null;
  unitsLeft: number | null;
  perBuyerLimit: number | null;
  /**
   * What the product shows from its next boundary on (`at`): each variant's price then and the sale
   * then, so a page can switch at the moment without a reload (the server decides both states).
   */
  next?: { at: number; prices: { id: number; priceCents: number; compareAtCents: number | null }[]; sale: SaleView | null } | null;
}

/**
 * The one sale a product shows: a live flash sale first (the one applied to the cheapest variant),
 * then a live flash sale whose units are gone, then a live markdown, then the soonest upcoming
 * flash sale. An upcoming markdown is not announced (a quiet price change, as in a shop window).
 */
export function productSale(
  variants: readonly { id: number; priceCents: number; compareAtCents: number | null }[],
  schedules: readonly Schedule[],
  now: number,
  taken: UnitsTaken,
): SaleView | null {
  const covered = (s: Schedule) => variants.filter((v) => coversVariant(s, v.id));
  const view = (s: Schedule, state: SaleView['state']): SaleView | null => {
    const vs = covered(s);
    if (vs.length === 0) return null;
    let cheapest = vs[0]!;
    for (const v of vs) if (v.priceCents < cheapest.priceCents) cheapest = v;
    const priceCents = clampPrice(s.priceCents, cheapest.priceCents);
    if (priceCents >= cheapest.priceCents) return null;
    return {
      scheduleId: s.id,
      kind: s.kind,
      state,
      priceCents,
      regularCents: cheapest.priceCents,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      variantId: s.variantId,
      unitsAllotted: s.unitsAllotted,
      unitsLeft: unitsLeft(s, taken),
      perBuyerLimit: s.perBuyerLimit,
    };
  };
  // Applied sales, in variant order: the flash sale applied to some variant wins over a markdown.
  const applied = variants.map((v) => priceVariant(v, schedules, now, taken).sale).filter((s): s is AppliedSale => s !== null);
  const pick = (kind: ScheduleKind) => {
    const of = applied.filter((a) => a.kind === kind).sort((a, b) => a.priceCents - b.priceCents)[0];
    return of ? schedules.find((s) => s.id === of.scheduleId) : undefined;
  };
  const liveFlash = pick('flash');
  if (liveFlash) return view(liveFlash, 'live');
  const gone = schedules.find((s) => s.kind === 'flash' && isLive(s, now) && (unitsLeft(s, taken) ?? 0) <= 0 && covered(s).length > 0);
  if (gone) return view(gone, 'sold_out');
  const markdown = pick('markdown');
  if (markdown) return view(markdown, 'live');
  const upcoming = schedules
    .filter((s) => s.kind === 'flash' && s.canceledAt === null && s.startsAt > now)
    .sort((a, b) => a.startsAt - b.startsAt || a.id - b.id);
  for (const s of upcoming) {
    const v = view(s, 'upcoming');
    if (v) return v;
  }
  return null;
}

export type SaleRefusalReason = 'sale_not_started' | 'sale_ended' | 'sale_limit' | 'sale_sold_out';

/**
 * Why a buyer who expected a flash sale's price cannot have it now, or null when they can (the
 * sale applies and `wanted` fits the units left and their own limit). Words for the person.
 */
export function saleRefusal(
  s: Schedule,
  {
    now,
    applied,
    wanted,
    mine,
    left,
    formatTime,
  }: {
    now: number;
    /** The sale prices this line at `now` (priceVariant). */
    applied: boolean;
    wanted: number;
    /** Units this buyer already holds at the sale price (paid or live-held orders). */
    mine: number;
    left: number | null;
    formatTime: (ms: number) => string;
  },
): { reason: SaleRefusalReason; message: string } | null {
  if (s.canceledAt === null && now < s.startsAt) return { reason: 'sale_not_started', message: `This sale hasn't started yet — it starts at ${formatTime(s.startsAt)}.` };
  if (s.canceledAt !== null || now >= s.endsAt) return { reason: 'sale_ended', message: 'This sale has ended.' };
  if (s.kind === 'flash') {
    const limit = s.perBuyerLimit ?? Number.POSITIVE_INFINITY;
    if (mine + wanted > limit) {
      const more = Math.max(0, limit - mine);
      return {
        reason: 'sale_limit',
        message: `You can buy at most ${limit} at the sale price${mine > 0 ? ` — you already have ${mine}${more > 0 ? `, so ${more} more` : ''}` : ''}.`,
      };
    }
    if (left !== null && left <= 0) return { reason: 'sale_sold_out', message: 'The sale units are all gone.' };
    if (left !== null && wanted > left) return { reason: 'sale_sold_out', message: `Only ${left} left at the sale price — lower the quantity to continue.` };
  }
  if (!applied) return { reason: 'sale_ended', message: 'This sale has ended.' };
  return null;
}

/**
 * The flash sales a checkout form says the buyer was shown ("12,15"): ids only, anything else dropped.
 * @example parseClaimedSales('12, 15,x') // [12, 15]
 */
export function parseClaimedSales(field: string | undefined): number[] {
  if (!field) return [];
  return [...new Set(field.split(',').map((p) => p.trim()).filter((p) => /^\d{1,12}$/.test(p)).map(Number))].slice(0, 50);
}

/** The flash sales pricing these lines, for the checkout form's `sales` field. */
export function claimedSalesField(lines: readonly { sale?: AppliedSale | null }[]): string {
  return [...new Set(lines.flatMap((l) => (l.sale?.kind === 'flash' ? [l.sale.scheduleId] : [])))].join(',');
}
