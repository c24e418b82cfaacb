/**
 * Help-cut (砍一刀), stored (docs/decisions/0049-help-cut.md). The pure rules are in cut-rules.ts;
 * this file reads and writes the offer, launches and helps, each write in ONE transaction that the
 * workflow owns (src/server/flows/cuts.ts), so every check is made in the same transaction as the
 * write it guards — never check-then-write across two.
 *
 * - An offer per product (optionally one variant): start and floor price, helps needed, time limit,
 *   units set aside, launches per reader, and what happens at timeout.
 * - A launch fixes its schedule of cuts (cutSchedule), holds one set-aside unit with a stock
 *   reservation (`hold_for = 'cut:<id>'`, no order yet) until it can no longer be bought, and
 *   remembers the post card it was launched from (credited "cut" when bought).
 * - A help takes one cut of the schedule (pickCut: a new helper the largest left, a returning one
 *   the smallest); the unique indexes (launch, helper) and (launch, cut index) and the CHECKs on
 *   the launch (price ≥ floor, helps ≤ needed) back the transaction up.
 * - A launch's state is decided where it is read (`launchState`): open → floor reached → bought,
 *   or at timeout buyable at the price reached until `buy_by`, or lapsed. No sweeper is needed.
 */
import { and, count, countDistinct, desc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db.ts';
import { cutHelps, cutLaunches, cutOffers, orders, products, stockReservations, users, variants } from '../../../db/schema/index.ts';
import { availableSql, bumpCatalogVersion, parseMoneyInput, variantLabel } from '../catalog/index.ts';
import { cutSchedule, cutState, DAILY_HELP_LIMIT, isNewHelper, pickCut, shopDay } from './cut-rules.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** After the helping time ends, the launcher has this long to buy (at the floor or the price reached). */
export const CUT_BUY_WINDOW_MS = 24 * HOUR;
export const CUT_MIN_MINUTES = 15;
/** At most 6 days of helping (+1 day to buy): inside a week, like a group's card authorisation. */
export const CUT_MAX_MINUTES = 6 * 24 * 60;
/** Helps from one client address in an hour (across launches and accounts): a household or an office, not a farm. */
export const HELPS_PER_IP_PER_HOUR = 20;
/** Helps from one browser in an hour (across accounts signed in on it). */
export const HELPS_PER_DEVICE_PER_HOUR = 5;

export type OnTimeout = 'buy_at_reached' | 'lapse';

export interface CutOfferInput {
  startPriceCents: number;
  floorPriceCents: number;
  helpsNeeded: number;
  durationMinutes: number;
  setAsideUnits: number;
  perReaderLaunches: number;
  onTimeout: OnTimeout;
  variantId: number | null;
  active: boolean;
}

export type CutOfferField = 'startPrice' | 'floorPrice' | 'helpsNeeded' | 'durationHours' | 'setAsideUnits' | 'perReaderLaunches' | 'onTimeout' | 'variantId';

/**
 * The admin's form, validated in people's words. Every field is checked and every message shown
 * at once; the form writes nothing until all hold.
 */
export function parseCutOfferForm(
  fields: Record<string, string | undefined>,
  { variantIds, fractionDigits = 2 }: { variantIds: readonly number[]; fractionDigits?: number },
): { ok: true; value: CutOfferInput } | { ok: false; errors: Partial<Record<CutOfferField, string>> } {
  const errors: Partial<Record<CutOfferField, string>> = {};
  const start = parseMoneyInput(fields.startPrice ?? '', { fractionDigits });
  if (!start.ok) errors.startPrice = start.message;
  else if (start.cents <= 0) errors.startPrice = 'The starting price must be more than zero.';
  const floor = parseMoneyInput(fields.floorPrice ?? '', { fractionDigits });
  if (!floor.ok) errors.floorPrice = floor.message === 'Enter an amount, like 89.00.' ? 'Enter the lowest price helpers can reach (0 makes it free).' : floor.message;
  const int = (raw: string | undefined) => (raw !== undefined && /^\s*\d{1,6}\s*$/.test(raw) ? Number(raw) : null);
  const helps = int(fields.helpsNeeded);
  if (helps === null || helps < 1 || helps > 100) errors.helpsNeeded = 'Enter how many helps reach the lowest price: a whole number from 1 to 100.';
  const hoursRaw = (fields.durationHours ?? '').trim();
  const hours = /^\d{1,3}(\.\d{1,2})?$/.test(hoursRaw) ? Number(hoursRaw) : null;
  const minutes = hours === null ? null : Math.round(hours * 60);
  if (minutes === null || minutes < CUT_MIN_MINUTES || minutes > CUT_MAX_MINUTES) errors.durationHours = `Enter the time limit in hours, from 0.25 to ${CUT_MAX_MINUTES / 60} (6 days).`;
  const units = int(fields.setAsideUnits);
  if (units === null || units < 1 || units > 100_000) errors.setAsideUnits = 'Enter how many units bargains may use: a whole number, at least 1.';
  const launches = int(fields.perReaderLaunches);
  if (launches === null || launches < 1 || launches > 10) errors.perReaderLaunches = 'Enter how many bargains one reader may start: 1 to 10.';
  const onTimeout = fields.onTimeout === 'lapse' ? 'lapse' : fields.onTimeout === 'buy_at_reached' ? 'buy_at_reached' : null;
  if (!onTimeout) errors.onTimeout = 'Choose what happens when time runs out.';
  let variantId: number | null = null;
  if (fields.variantId && fields.variantId !== 'all') {
    variantId = /^\d{1,12}$/.test(fields.variantId) ? Number(fields.variantId) : NaN;
    if (!variantIds.includes(variantId)) errors.variantId = 'Choose one of this product’s variants, or all of them.';
  }
  if (start.ok && floor.ok && !errors.startPrice && !errors.floorPrice) {
    if (floor.cents >= start.cents) errors.floorPrice = 'The lowest price must be below the starting price.';
    else if (helps !== null && !errors.helpsNeeded && start.cents - floor.cents < helps) {
      errors.helpsNeeded = 'Each help must take off at least one cent: use fewer helps or a wider gap between the prices.';
    }
  }
  if (Object.keys(errors).length > 0 || !start.ok || !floor.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      startPriceCents: start.cents,
      floorPriceCents: floor.cents,
      helpsNeeded: helps!,
      durationMinutes: minutes!,
      setAsideUnits: units!,
      perReaderLaunches: launches!,
      onTimeout: onTimeout!,
      variantId,
      active: fields.active === 'on' || fields.active === 'true',
    },
  };
}

/** The product's help-cut offer (at most one; the newest if older rows exist). */
export async function cutOfferFor(db: DbOrTx, productId: number) {
  return db.select().from(cutOffers).where(eq(cutOffers.productId, productId)).orderBy(desc(cutOffers.id)).limit(1).get();
}

/** Creates or replaces the product's offer. Launches already started keep the terms they started with. */
export async function saveCutOffer(tx: Tx, productId: number, v: CutOfferInput, now: number): Promise<number> {
  const existing = await cutOfferFor(tx, productId);
  const row = { ...v, productId, updatedAt: now };
  if (existing) {
    await tx.update(cutOffers).set(row).where(eq(cutOffers.id, existing.id));
    await bumpCatalogVersion(tx);
    return existing.id;
  }
  const made = await tx.insert(cutOffers).values({ ...row, createdAt: now }).returning({ id: cutOffers.id }).get();
  await bumpCatalogVersion(tx);
  return made.id;
}

/** Units of the offer in use: launches still holding theirs, and launches bought. */
async function unitsInUse(tx: DbOrTx, offerId: number, now: number): Promise<number> {
  const row = await tx
    .select({ n: count() })
    .from(cutLaunches)
    .where(and(eq(cutLaunches.offerId, offerId), or(gt(cutLaunches.buyBy, now), isNotNull(cutLaunches.orderId))))
    .get();
  return row?.n ?? 0;
}

/** What a card or product page offers: the live offer with its starting and lowest price, or null. */
export async function liveCutOffer(db: DbOrTx, productId: number, now: number) {
  const offer = await cutOfferFor(db, productId);
  if (!offer || !offer.active) return null;
  const left = offer.setAsideUnits - (await unitsInUse(db, offer.id, now));
  return { id: offer.id, startPriceCents: offer.startPriceCents, floorPriceCents: offer.floorPriceCents, helpsNeeded: offer.helpsNeeded, durationMinutes: offer.durationMinutes, unitsLeft: Math.max(0, left), variantId: offer.variantId };
}

export type LaunchRefusal = 'inactive' | 'unknown_variant' | 'used_up' | 'sold_out' | 'launch_limit' | 'not_verified';

function newLaunchId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
}

/**
 * Starts a launch for `user` on the product's offer: checks the offer, the variant, the reader's
 * launches, the set-aside units and the stock, fixes the schedule and holds one unit — all in `tx`.
 */
export async function launchCut(
  tx: Tx,
  {
    productId,
    variantId,
    userId,
    currency,
    source,
    now,
  }: {
    productId: number;
    variantId: number;
    userId: number;
    currency: string;
    source: { post: string | null; card: number | null; creatorId: number | null };
    now: number;
  },
): Promise<{ ok: true; launchId: string } | { ok: false; reason: LaunchRefusal }> {
  const offer = await cutOfferFor(tx, productId);
  if (!offer || !offer.active) return { ok: false, reason: 'inactive' };
  const user = await tx.select({ verifiedAt: users.emailVerifiedAt, role: users.role }).from(users).where(eq(users.id, userId)).get();
  if (!user || (user.role === 'reader' && user.verifiedAt === null)) return { ok: false, reason: 'not_verified' };
  const variant = await tx
    .select({ id: variants.id, active: variants.active, productId: variants.productId, available: availableSql(now) })
    .from(variants)
    .where(eq(variants.id, variantId))
    .get();
  if (!variant || variant.productId !== productId || !variant.active || (offer.variantId !== null && offer.variantId !== variantId)) return { ok: false, reason: 'unknown_variant' };
  const mine = await tx.select({ n: count() }).from(cutLaunches).where(and(eq(cutLaunches.offerId, offer.id), eq(cutLaunches.launcherUserId, userId))).get();
  if ((mine?.n ?? 0) >= offer.perReaderLaunches) return { ok: false, reason: 'launch_limit' };
  if ((await unitsInUse(tx, offer.id, now)) >= offer.setAsideUnits) return { ok: false, reason: 'used_up' };
  if (variant.available < 1) return { ok: false, reason: 'sold_out' };
  const schedule = cutSchedule({ startCents: offer.startPriceCents, floorCents: offer.floorPriceCents, helps: offer.helpsNeeded });
  const id = newLaunchId();
  const endsAt = now + offer.durationMinutes * MINUTE;
  const buyBy = endsAt + CUT_BUY_WINDOW_MS;
  await tx.insert(cutLaunches).values({
    id,
    offerId: offer.id,
    productId,
    variantId,
    launcherUserId: userId,
    currency,
    startPriceCents: offer.startPriceCents,
    floorPriceCents: offer.floorPriceCents,
    scheduleJson: JSON.stringify(schedule),
    helpsNeeded: offer.helpsNeeded,
    onTimeout: offer.onTimeout,
    sourcePost: source.post,
    sourceCard: source.card,
    sourceCreatorId: source.creatorId,
    startedAt: now,
    endsAt,
    buyBy,
    status: 'open',
  });
  await tx.insert(stockReservations).values({ orderId: null, holdFor: `cut:${id}`, variantId, qty: 1, status: 'active', expiresAt: buyBy, createdAt: now });
  await bumpCatalogVersion(tx);
  return { ok: true, launchId: id };
}

export type LaunchPhase =
  /** Helpers can help; not yet at the floor. */
  | 'open'
  /** The floor is reached: the launcher can buy at it until buyBy. */
  | 'floor'
  /** Time ran out above the floor, and the offer lets the launcher buy at the price reached. */
  | 'ended_buyable'
  | 'bought'
  | 'lapsed';

/** Pure: where a launch stands at `now` (the page, the account and every write read it the same way). */
export function launchPhase(
  l: { helpsCount: number; helpsNeeded: number; endsAt: number; buyBy: number; onTimeout: OnTimeout },
  order: { paid: boolean } | null,
  now: number,
): LaunchPhase {
  if (order?.paid) return 'bought';
  if (now >= l.buyBy) return 'lapsed';
  if (l.helpsCount >= l.helpsNeeded) return 'floor';
  if (now < l.endsAt) return 'open';
  return l.onTimeout === 'buy_at_reached' ? 'ended_buyable' : 'lapsed';
}

async function loadLaunch(db: DbOrTx, id: string) {
  if (!/^[A-Za-z0-9_-]{16}$/.test(id)) return undefined;
  return db.select().from(cutLaunches).where(eq(cutLaunches.id, id)).get();
}

async function launchOrder(db: DbOrTx, orderId: number | null): Promise<{ paid: boolean; pendingUntil: number | null } | null> {
  if (orderId === null) return null;
  const o = await db.select({ status: orders.status, paidAt: orders.paidAt, holdUntil: orders.reservationExpiresAt }).from(orders).where(eq(orders.id, orderId)).get();
  if (!o) return null;
  return { paid: o.paidAt !== null, pendingUntil: o.status === 'pending' ? o.holdUntil : null };
}

export type HelpRefusal = 'not_found' | 'launch_ended' | 'self_help' | 'not_verified' | 'help_given' | 'daily_help_limit' | 'rate_limited';

export interface HelpInput {
  launchId: string;
  helperUserId: number;
  ipHash: string | null;
  deviceHash: string | null;
  timeZone: string;
  now: number;
}

/** One help, in `tx`: every rule checked against what is committed, then the cut written. */
export async function helpCut(tx: Tx, h: HelpInput): Promise<{ ok: true; amountCents: number; priceCents: number; helpsLeft: number; newHelper: boolean } | { ok: false; reason: HelpRefusal }> {
  const launch = await loadLaunch(tx, h.launchId);
  if (!launch) return { ok: false, reason: 'not_found' };
  if (launch.launcherUserId === h.helperUserId) return { ok: false, reason: 'self_help' };
  const order = await launchOrder(tx, launch.orderId);
  if (launchPhase(launch, order, h.now) !== 'open') return { ok: false, reason: 'launch_ended' };
  const helper = await tx.select({ verifiedAt: users.emailVerifiedAt, role: users.role, createdAt: users.createdAt }).from(users).where(eq(users.id, h.helperUserId)).get();
  if (!helper || helper.verifiedAt === null) return { ok: false, reason: 'not_verified' };
  const already = await tx.select({ id: cutHelps.id }).from(cutHelps).where(and(eq(cutHelps.launchId, launch.id), eq(cutHelps.helperUserId, h.helperUserId))).get();
  if (already) return { ok: false, reason: 'help_given' };
  const day = shopDay(h.now, h.timeZone);
  const today = await tx.select({ n: countDistinct(cutHelps.launchId) }).from(cutHelps).where(and(eq(cutHelps.helperUserId, h.helperUserId), eq(cutHelps.shopDay, day))).get();
  if ((today?.n ?? 0) >= DAILY_HELP_LIMIT) return { ok: false, reason: 'daily_help_limit' };
  if (h.ipHash) {
    const n = await tx.select({ n: count() }).from(cutHelps).where(and(eq(cutHelps.ipHash, h.ipHash), gt(cutHelps.createdAt, h.now - HOUR))).get();
    if ((n?.n ?? 0) >= HELPS_PER_IP_PER_HOUR) return { ok: false, reason: 'rate_limited' };
  }
  if (h.deviceHash) {
    const n = await tx.select({ n: count() }).from(cutHelps).where(and(eq(cutHelps.deviceHash, h.deviceHash), gt(cutHelps.createdAt, h.now - HOUR))).get();
    if ((n?.n ?? 0) >= HELPS_PER_DEVICE_PER_HOUR) return { ok: false, reason: 'rate_limited' };
  }
  const earlier = await tx.select({ n: count() }).from(cutHelps).where(eq(cutHelps.helperUserId, h.helperUserId)).get();
  const fresh = isNewHelper({ accountCreatedAt: helper.createdAt, earlierHelps: earlier?.n ?? 0, now: h.now });
  const schedule = JSON.parse(launch.scheduleJson) as number[];
  const used = (await tx.select({ i: cutHelps.cutIndex }).from(cutHelps).where(eq(cutHelps.launchId, launch.id))).map((r) => r.i);
  const index = pickCut(schedule, used, fresh);
  if (index === null) return { ok: false, reason: 'launch_ended' };
  const amount = schedule[index]!;
  await tx.insert(cutHelps).values({
    launchId: launch.id,
    helperUserId: h.helperUserId,
    cutIndex: index,
    amountCents: amount,
    newHelper: fresh,
    shopDay: day,
    ipHash: h.ipHash,
    deviceHash: h.deviceHash,
    createdAt: h.now,
  });
  // Guarded by the count read above: a second writer that slipped past would change nothing.
  const done = await tx
    .update(cutLaunches)
    .set({ cutCents: sql`${cutLaunches.cutCents} + ${amount}`, helpsCount: sql`${cutLaunches.helpsCount} + 1` })
    .where(and(eq(cutLaunches.id, launch.id), eq(cutLaunches.helpsCount, used.length)))
    .returning({ cut: cutLaunches.cutCents, helps: cutLaunches.helpsCount });
  if (done.length !== 1) throw new Error(`launch ${launch.id} changed inside the help's transaction`);
  return { ok: true, amountCents: amount, priceCents: launch.startPriceCents - done[0]!.cut, helpsLeft: launch.helpsNeeded - done[0]!.helps, newHelper: fresh };
}

export interface LaunchView {
  id: string;
  phase: LaunchPhase;
  productSlug: string;
  productName: string;
  imagePath: string;
  variantId: number;
  variantLabel: string;
  currency: string;
  startPriceCents: number;
  floorPriceCents: number;
  priceCents: number;
  cutCents: number;
  helpsNeeded: number;
  helpsLeft: number;
  /** What the next help takes off (largest for a new account, smallest for a returning one). */
  nextCut: { min: number; max: number } | null;
  startedAt: number;
  endsAt: number;
  buyBy: number;
  onTimeout: OnTimeout;
  launcherUserId: number;
  /** Helpers as others see them: a first letter only, never an email. */
  helpers: { label: string; amountCents: number; newHelper: boolean; at: number }[];
  source: { post: string | null; card: number | null; creatorId: number | null };
  /** The launcher's order for it, pending payment until then (null: none live). */
  pendingOrderUntil: number | null;
}

/** A reader's public face on a launch: "M•••" — enough to recognise a friend, nothing to contact them by. */
export function helperLabel(u: { displayName: string | null; email: string }): string {
  const first = (u.displayName?.trim() || u.email).charAt(0).toUpperCase();
  return `${/\p{L}|\p{N}/u.test(first) ? first : '?'}•••`;
}

export async function launchView(db: DbOrTx, id: string, now: number): Promise<LaunchView | null> {
  const l = await loadLaunch(db, id);
  if (!l) return null;
  const p = await db
    .select({ slug: products.slug, name: products.name, image: sql<string>`coalesce(${variants.imagePath}, ${products.imagePath})`, size: variants.size, colour: variants.colour })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(eq(variants.id, l.variantId))
    .get();
  if (!p) return null;
  const helps = await db
    .select({ amount: cutHelps.amountCents, index: cutHelps.cutIndex, fresh: cutHelps.newHelper, at: cutHelps.createdAt, displayName: users.displayName, email: users.email })
    .from(cutHelps)
    .innerJoin(users, eq(users.id, cutHelps.helperUserId))
    .where(eq(cutHelps.launchId, l.id))
    .orderBy(cutHelps.createdAt, cutHelps.id);
  const schedule = JSON.parse(l.scheduleJson) as number[];
  const state = cutState({ startCents: l.startPriceCents, floorCents: l.floorPriceCents, schedule, usedIndexes: helps.map((x) => x.index) });
  const order = await launchOrder(db, l.orderId);
  return {
    id: l.id,
    phase: launchPhase(l, order, now),
    productSlug: p.slug,
    productName: p.name,
    imagePath: p.image,
    variantId: l.variantId,
    variantLabel: variantLabel(p),
    currency: l.currency,
    startPriceCents: l.startPriceCents,
    floorPriceCents: l.floorPriceCents,
    priceCents: state.priceCents,
    cutCents: state.cutCents,
    helpsNeeded: l.helpsNeeded,
    helpsLeft: state.helpsLeft,
    nextCut: state.nextCutRange,
    startedAt: l.startedAt,
    endsAt: l.endsAt,
    buyBy: l.buyBy,
    onTimeout: l.onTimeout,
    launcherUserId: l.launcherUserId,
    helpers: helps.map((x) => ({ label: helperLabel(x), amountCents: x.amount, newHelper: x.fresh, at: x.at })),
    source: { post: l.sourcePost, card: l.sourceCard, creatorId: l.sourceCreatorId },
    pendingOrderUntil: order && !order.paid && order.pendingUntil !== null && order.pendingUntil > now ? order.pendingUntil : null,
  };
}

/**
 * Before the launcher's order is placed (in the same transaction): the launch must be buyable by
 * them now, and its held unit is released so the order can reserve it. Returns the price to charge.
 */
export async function claimLaunchForOrder(tx: Tx, id: string, userId: number, now: number): Promise<{ ok: true; priceCents: number; variantId: number; source: LaunchView['source']; buyBy: number } | { ok: false; reason: 'not_found' | 'not_allowed' | 'launch_ended' | 'already_paid' | 'not_yet' }> {
  const l = await loadLaunch(tx, id);
  if (!l) return { ok: false, reason: 'not_found' };
  if (l.launcherUserId !== userId) return { ok: false, reason: 'not_allowed' };
  const order = await launchOrder(tx, l.orderId);
  const phase = launchPhase(l, order, now);
  if (phase === 'bought') return { ok: false, reason: 'already_paid' };
  if (phase === 'lapsed') return { ok: false, reason: 'launch_ended' };
  if (phase === 'open') return { ok: false, reason: 'not_yet' };
  await tx
    .update(stockReservations)
    .set({ status: 'released' })
    .where(and(eq(stockReservations.holdFor, `cut:${l.id}`), eq(stockReservations.status, 'active'), isNull(stockReservations.orderId)));
  return { ok: true, priceCents: l.startPriceCents - l.cutCents, variantId: l.variantId, source: { post: l.sourcePost, card: l.sourceCard, creatorId: l.sourceCreatorId }, buyBy: l.buyBy };
}

export async function attachLaunchOrder(tx: Tx, id: string, orderId: number): Promise<void> {
  await tx.update(cutLaunches).set({ orderId }).where(eq(cutLaunches.id, id));
}

/** The launches a reader started or helped, newest first (the account page). */
export async function launchesForUser(db: DbOrTx, userId: number, now: number, limit = 20) {
  const helped = db.select({ id: cutHelps.launchId }).from(cutHelps).where(eq(cutHelps.helperUserId, userId));
  const rows = await db
    .select({ id: cutLaunches.id })
    .from(cutLaunches)
    .where(or(eq(cutLaunches.launcherUserId, userId), inArray(cutLaunches.id, helped)))
    .orderBy(desc(cutLaunches.startedAt))
    .limit(limit);
  const views = [];
  for (const r of rows) {
    const v = await launchView(db, r.id, now);
    if (v) views.push({ ...v, mine: v.launcherUserId === userId });
  }
  return views;
}

/** Help-cuts launched from each of a creator's posts, and how they ended (the dashboard). */
export async function cutsByPost(db: DbOrTx, creatorId: number, now: number) {
  const rows = await db
    .select({ post: cutLaunches.sourcePost, helpsCount: cutLaunches.helpsCount, helpsNeeded: cutLaunches.helpsNeeded, endsAt: cutLaunches.endsAt, buyBy: cutLaunches.buyBy, onTimeout: cutLaunches.onTimeout, paidAt: orders.paidAt })
    .from(cutLaunches)
    .leftJoin(orders, eq(orders.id, cutLaunches.orderId))
    .where(and(eq(cutLaunches.sourceCreatorId, creatorId), isNotNull(cutLaunches.sourcePost)));
  const out = new Map<string, Record<LaunchPhase, number>>();
  for (const r of rows) {
    const phase = launchPhase(r, r.paidAt === null ? null : { paid: true }, now);
    const counts = out.get(r.post!) ?? { open: 0, floor: 0, ended_buyable: 0, bought: 0, lapsed: 0 };
    counts[phase]++;
    out.set(r.post!, counts);
  }
  return out;
}
