/**
 * Group buy (拼团), stored. The pure rules are in group-rules.ts; this file reads and writes the
 * offer, groups and seats, each write inside ONE transaction that the workflow owns
 * (src/server/flows/groups.ts), so every check is made in the same transaction as the write it
 * guards (docs/architecture.md, rule 11) — never check-then-write across two.
 *
 * - An offer per product (optionally one variant): group size, group price, how long a group runs,
 *   seats one buyer may hold, units the offer may use in all.
 * - A seat is a member row plus an order of one unit at the group price (placeOfferOrder). While
 *   pending, the order's reservation (and the member's `holdUntil`) hold the seat for the checkout
 *   TTL; once the card is authorised the reservation is stretched to the group's end, so the unit
 *   stays set aside for as long as the group can still fill.
 * - Where a group stands is decided where it is read (`groupView`): an open group past its end is
 *   lapsed before anyone settles it. `settleLapsed` only writes down what the clock already says.
 */
import { and, desc, eq, gt, inArray, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db.ts';
import { groupBuys, groupMembers, groupOffers, orders, products, stockReservations, variants } from '../../../db/schema/index.ts';
import type { GroupMemberStatus } from '../../../db/schema/social.ts';
import { availableSql, bumpCatalogVersion, parseMoneyInput, variantLabel } from '../catalog/index.ts';
import { decideFill, decideJoin, decideOnAuthorisation, groupView, holdsSeat, type GroupStatus, type GroupView, type JoinRefusal } from './group-rules.ts';
import { helperLabel } from './cuts.ts';

const MINUTE = 60_000;
export const GROUP_MIN_MINUTES = 15;
/** 6 days: inside a card authorisation's 7 (MAX_GROUP_DURATION_MS; the offers' CHECK says the same). */
export const GROUP_MAX_MINUTES = 8640;
export const GROUP_DEFAULT_MINUTES = 24 * 60;
/**
 * Once a group fills, its seats' units stay reserved this long: captures normally happen at once,
 * and a capture the provider failed is retried by the sweeper within this window.
 */
export const CAPTURE_RETRY_WINDOW_MS = 24 * 60 * MINUTE;

export interface GroupOfferInput {
  groupSize: number;
  priceCents: number;
  durationMinutes: number;
  perBuyerLimit: number;
  maxUnits: number | null;
  variantId: number | null;
  active: boolean;
}

export type GroupOfferField = 'groupSize' | 'groupPrice' | 'durationHours' | 'perBuyerLimit' | 'maxUnits' | 'variantId';

/**
 * The admin's form, validated in people's words: every field checked, every message at once, and
 * nothing written until all hold. `regularPriceCents` is the lowest regular price the offer would
 * apply to (the chosen variant's, or the cheapest variant's): the group price must be below it.
 * @example parseGroupOfferForm({ groupSize: '3', groupPrice: '39.00', durationHours: '', perBuyerLimit: '1', maxUnits: '', variantId: 'all', active: 'on' }, { variantIds: [4], regularPriceCents: 4900 })
 *   // { ok: true, value: { groupSize: 3, priceCents: 3900, durationMinutes: 1440, perBuyerLimit: 1, maxUnits: null, variantId: null, active: true } }
 */
export function parseGroupOfferForm(
  fields: Record<string, string | undefined>,
  { variantIds, regularPriceCents, fractionDigits = 2 }: { variantIds: readonly number[]; regularPriceCents: number; fractionDigits?: number },
): { ok: true; value: GroupOfferInput } | { ok: false; errors: Partial<Record<GroupOfferField, string>> } {
  const errors: Partial<Record<GroupOfferField, string>> = {};
  const int = (raw: string | undefined) => (raw !== undefined && /^\s*\d{1,6}\s*$/.test(raw) ? Number(raw) : null);
  const size = int(fields.groupSize);
  if (size === null || size < 2 || size > 10) errors.groupSize = 'Enter how many people make a group: a whole number from 2 to 10.';
  const price = parseMoneyInput(fields.groupPrice ?? '', { fractionDigits });
  if (!price.ok) errors.groupPrice = price.message === 'Enter an amount, like 89.00.' ? 'Enter the price each member pays, like 39.00.' : price.message;
  else if (price.cents <= 0) errors.groupPrice = 'The group price must be more than zero.';
  else if (price.cents >= regularPriceCents) errors.groupPrice = 'The group price must be below the regular price, or nobody gains by joining.';
  const hoursRaw = (fields.durationHours ?? '').trim();
  let minutes: number | null = GROUP_DEFAULT_MINUTES;
  if (hoursRaw !== '') {
    const hours = /^\d{1,3}(\.\d{1,2})?$/.test(hoursRaw) ? Number(hoursRaw) : null;
    minutes = hours === null ? null : Math.round(hours * 60);
  }
  if (minutes === null || minutes < GROUP_MIN_MINUTES || minutes > GROUP_MAX_MINUTES) {
    errors.durationHours = `Enter how long a group may take to fill, in hours from 0.25 to ${GROUP_MAX_MINUTES / 60} (6 days, so cards are charged while their hold is still good).`;
  }
  const perBuyer = int(fields.perBuyerLimit);
  if (perBuyer === null || perBuyer < 1 || perBuyer > 10) errors.perBuyerLimit = 'Enter how many group seats one shopper may hold at a time: 1 to 10.';
  const maxRaw = (fields.maxUnits ?? '').trim();
  let maxUnits: number | null = null;
  if (maxRaw !== '') {
    maxUnits = int(maxRaw);
    if (maxUnits === null || maxUnits < 1 || maxUnits > 100_000) errors.maxUnits = 'Enter how many units group buys may sell in all (a whole number, at least 1), or leave it empty for no limit.';
    else if (size !== null && !errors.groupSize && maxUnits < size) errors.maxUnits = 'Allow at least enough units for one full group.';
  }
  let variantId: number | null = null;
  if (fields.variantId && fields.variantId !== 'all') {
    variantId = /^\d{1,12}$/.test(fields.variantId) ? Number(fields.variantId) : NaN;
    if (!variantIds.includes(variantId)) errors.variantId = 'Choose one of this product’s variants, or all of them.';
  }
  if (Object.keys(errors).length > 0 || !price.ok) return { ok: false, errors };
  return {
    ok: true,
    value: { groupSize: size!, priceCents: price.cents, durationMinutes: minutes!, perBuyerLimit: perBuyer!, maxUnits, variantId, active: fields.active === 'on' || fields.active === 'true' },
  };
}

/** The product's group offer (at most one; the newest if older rows exist). */
export async function groupOfferFor(db: DbOrTx, productId: number) {
  return db.select().from(groupOffers).where(eq(groupOffers.productId, productId)).orderBy(desc(groupOffers.id)).limit(1).get();
}

/** Creates or replaces the product's offer. Groups already running keep the terms they started with. */
export async function saveGroupOffer(tx: Tx, productId: number, v: GroupOfferInput, now: number): Promise<number> {
  const existing = await groupOfferFor(tx, productId);
  const row = { ...v, productId, updatedAt: now };
  if (existing) {
    await tx.update(groupOffers).set(row).where(eq(groupOffers.id, existing.id));
    await bumpCatalogVersion(tx);
    return existing.id;
  }
  const made = await tx.insert(groupOffers).values({ ...row, createdAt: now }).returning({ id: groupOffers.id }).get();
  await bumpCatalogVersion(tx);
  return made.id;
}

/** A seat that holds a unit at `now`, as SQL (the same test as `holdsSeat`). */
const liveSeatSql = (now: number) =>
  or(inArray(groupMembers.status, ['authorised', 'captured']), and(eq(groupMembers.status, 'pending'), gt(groupMembers.holdUntil, now)));

/** Units of the offer in use: seats still holding one, and seats paid for. */
async function unitsInUse(db: DbOrTx, offerId: number, now: number): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(groupMembers)
    .innerJoin(groupBuys, eq(groupBuys.id, groupMembers.groupId))
    .where(and(eq(groupBuys.offerId, offerId), liveSeatSql(now)))
    .get();
  return Number(row?.n ?? 0);
}

/** What a card or product page offers: the live offer, or null. */
export async function liveGroupOffer(db: DbOrTx, productId: number, now: number) {
  const offer = await groupOfferFor(db, productId);
  if (!offer || !offer.active) return null;
  const unitsLeft = offer.maxUnits === null ? null : Math.max(0, offer.maxUnits - (await unitsInUse(db, offer.id, now)));
  return { id: offer.id, groupSize: offer.groupSize, priceCents: offer.priceCents, durationMinutes: offer.durationMinutes, perBuyerLimit: offer.perBuyerLimit, variantId: offer.variantId, unitsLeft };
}

export const GROUP_ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;

function newGroupId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
}

type GroupRow = typeof groupBuys.$inferSelect;
type MemberRow = typeof groupMembers.$inferSelect;

async function loadGroup(db: DbOrTx, id: string): Promise<{ group: GroupRow; members: MemberRow[] } | null> {
  if (!GROUP_ID_PATTERN.test(id)) return null;
  const group = await db.select().from(groupBuys).where(eq(groupBuys.id, id)).get();
  if (!group) return null;
  const members = await db.select().from(groupMembers).where(eq(groupMembers.groupId, id)).orderBy(groupMembers.joinedAt, groupMembers.id);
  return { group, members };
}

function viewOf(group: GroupRow, members: readonly Pick<MemberRow, 'status' | 'holdUntil'>[], now: number): GroupView {
  return groupView({ status: group.status, size: group.groupSize, endsAt: group.endsAt, members }, now);
}

export type StartRefusal = 'inactive' | 'unknown_variant';

/** A new, empty group on the product's live offer (the starter's seat is taken by `takeSeat` next, in the same `tx`). */
export async function openGroup(
  tx: Tx,
  { productId, currency, source, now }: { productId: number; currency: string; source: { post: string | null; card: number | null; creatorId: number | null }; now: number },
): Promise<{ ok: true; groupId: string } | { ok: false; reason: StartRefusal }> {
  const offer = await groupOfferFor(tx, productId);
  if (!offer || !offer.active) return { ok: false, reason: 'inactive' };
  const id = newGroupId();
  await tx.insert(groupBuys).values({
    id,
    offerId: offer.id,
    productId,
    groupSize: offer.groupSize,
    priceCents: offer.priceCents,
    currency,
    sourcePost: source.post,
    sourceCard: source.card,
    sourceCreatorId: source.creatorId,
    startedAt: now,
    endsAt: now + offer.durationMinutes * MINUTE,
    status: 'open',
  });
  return { ok: true, groupId: id };
}

export type SeatRefusal = JoinRefusal | 'not_found' | 'unknown_variant' | 'used_up';

export interface Buyer {
  canonicalEmail: string;
  userId: number | null;
}

const isBuyer = (b: Buyer) => (b.userId === null ? eq(groupMembers.canonicalEmail, b.canonicalEmail) : or(eq(groupMembers.canonicalEmail, b.canonicalEmail), eq(groupMembers.userId, b.userId)));

/**
 * Whether `buyer` may take a seat in the group now, on `variantId` — decideJoin on what is committed,
 * plus the offer's variant and its units in all. Run in the transaction that then places the order
 * and writes the seat (`addSeat`): SQLite runs one write transaction at a time, so two buyers can
 * never both take the last seat.
 */
export async function checkSeat(
  tx: Tx,
  { groupId, variantId, buyer, now }: { groupId: string; variantId: number; buyer: Buyer; now: number },
): Promise<{ ok: true; priceCents: number; endsAt: number; source: { post: string | null; card: number | null; creatorId: number | null } } | { ok: false; reason: SeatRefusal }> {
  const loaded = await loadGroup(tx, groupId);
  if (!loaded) return { ok: false, reason: 'not_found' };
  const { group, members } = loaded;
  const offer = await tx.select().from(groupOffers).where(eq(groupOffers.id, group.offerId)).get();
  if (!offer) return { ok: false, reason: 'not_found' };
  const variant = await tx.select({ productId: variants.productId, active: variants.active }).from(variants).where(eq(variants.id, variantId)).get();
  if (!variant || variant.productId !== group.productId || !variant.active || (offer.variantId !== null && offer.variantId !== variantId)) return { ok: false, reason: 'unknown_variant' };
  const mine = (m: MemberRow) => m.canonicalEmail === buyer.canonicalEmail || (buyer.userId !== null && m.userId === buyer.userId);
  const alreadyMember = members.some((m) => mine(m) && holdsSeat(m, now));
  const inOffer = await tx
    .select({ n: sql<number>`count(*)` })
    .from(groupMembers)
    .innerJoin(groupBuys, eq(groupBuys.id, groupMembers.groupId))
    .where(and(eq(groupBuys.offerId, offer.id), isBuyer(buyer), liveSeatSql(now)))
    .get();
  const inProduct = await tx
    .select({ n: sql<number>`count(*)` })
    .from(groupMembers)
    .innerJoin(groupBuys, eq(groupBuys.id, groupMembers.groupId))
    .where(and(eq(groupBuys.productId, group.productId), eq(groupBuys.status, 'open'), gt(groupBuys.endsAt, now), isBuyer(buyer), liveSeatSql(now)))
    .get();
  const decision = decideJoin({
    group: { status: group.status, size: group.groupSize, endsAt: group.endsAt, members },
    now,
    memberCountForBuyer: Number(inOffer?.n ?? 0),
    alreadyMember,
    perBuyerLimit: offer.perBuyerLimit,
    buyerGroupsInProduct: Number(inProduct?.n ?? 0),
  });
  if (!decision.ok) return { ok: false, reason: decision.reason };
  if (offer.maxUnits !== null && (await unitsInUse(tx, offer.id, now)) >= offer.maxUnits) return { ok: false, reason: 'used_up' };
  return { ok: true, priceCents: group.priceCents, endsAt: group.endsAt, source: { post: group.sourcePost, card: group.sourceCard, creatorId: group.sourceCreatorId } };
}

/** Writes the seat for the order just placed for it (same `tx` as `checkSeat`). */
export async function addSeat(
  tx: Tx,
  s: { groupId: string; orderId: number; variantId: number; buyer: Buyer; initials: string; isStarter: boolean; holdUntil: number; now: number },
): Promise<number> {
  const made = await tx
    .insert(groupMembers)
    .values({
      groupId: s.groupId,
      orderId: s.orderId,
      variantId: s.variantId,
      canonicalEmail: s.buyer.canonicalEmail,
      userId: s.buyer.userId,
      initials: s.initials,
      isStarter: s.isStarter,
      status: 'pending',
      holdUntil: s.holdUntil,
      joinedAt: s.now,
    })
    .returning({ id: groupMembers.id })
    .get();
  await bumpCatalogVersion(tx);
  return made.id;
}

/** What others see of a member: a first letter, never an email (like a help-cut's helpers). */
export function memberInitials(u: { displayName: string | null; email: string }): string {
  return helperLabel(u);
}

export async function memberByOrder(db: DbOrTx, orderId: number) {
  return db.select().from(groupMembers).where(eq(groupMembers.orderId, orderId)).get();
}

export async function memberById(db: DbOrTx, memberId: number) {
  return db.select().from(groupMembers).where(eq(groupMembers.id, memberId)).get();
}

/** Where a group stands at `now` (its seats counted), or null. */
export async function groupViewById(db: DbOrTx, groupId: string, now: number): Promise<GroupView | null> {
  const loaded = await loadGroup(db, groupId);
  return loaded ? viewOf(loaded.group, loaded.members, now) : null;
}

export async function groupStatusOf(db: DbOrTx, groupId: string): Promise<GroupStatus | null> {
  return (await db.select({ status: groupBuys.status }).from(groupBuys).where(eq(groupBuys.id, groupId)).get())?.status ?? null;
}

/**
 * Ends a seat (`from` one of the given statuses → `to`), with why. Returns whether it moved: a seat
 * already somewhere else (a repeated event, a concurrent leave) is left alone.
 */
export async function endSeat(
  tx: DbOrTx,
  memberId: number,
  { from, to, note, now, paymentId }: { from: readonly GroupMemberStatus[]; to: GroupMemberStatus; note: string; now: number; paymentId?: string | null },
): Promise<boolean> {
  const res = await tx
    .update(groupMembers)
    .set({ status: to, endedAt: now, endNote: note, ...(paymentId ? { paymentId } : {}) })
    .where(and(eq(groupMembers.id, memberId), inArray(groupMembers.status, [...from])))
    .returning({ id: groupMembers.id });
  return res.length === 1;
}

export async function markSeatCaptured(tx: DbOrTx, memberId: number, now: number): Promise<boolean> {
  const res = await tx
    .update(groupMembers)
    .set({ status: 'captured', capturedAt: now })
    .where(and(eq(groupMembers.id, memberId), eq(groupMembers.status, 'authorised')))
    .returning({ id: groupMembers.id });
  return res.length === 1;
}

/** Keeps an order's unit reserved (and its pending order alive) until `until`. */
async function holdOrderUntil(tx: Tx, orderId: number, until: number): Promise<void> {
  await tx.update(orders).set({ reservationExpiresAt: until }).where(and(eq(orders.id, orderId), eq(orders.status, 'pending')));
  await tx.update(stockReservations).set({ expiresAt: until }).where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active')));
}

export type AuthorisationOutcome =
  /** Not a group seat: nothing for the group buy to do. */
  | { action: 'none' }
  /** The same seat was authorised already (another event for the same payment). */
  | { action: 'repeat'; memberId: number; groupId: string }
  /** The seat holds the money until the group fills or lapses; `filled`: it was the last one. */
  | { action: 'hold'; memberId: number; groupId: string; filled: boolean }
  /** The authorisation must be voided (after commit) and, when `release`, the order released (in `tx`). */
  | { action: 'void'; memberId: number; groupId: string; release: boolean; note: string };

/**
 * A card was authorised for `orderId`: in `tx`, decideOnAuthorisation on what is committed — hold it
 * (the seat becomes 'authorised', its unit reserved until the group ends, and the group 'filled' if
 * this was the last seat: decideFill) or void it (the group ended or filled meanwhile, the seat was
 * given up, or its unit is gone).
 */
export async function authoriseSeat(tx: Tx, { orderId, paymentId, now }: { orderId: number; paymentId: string | null; now: number }): Promise<AuthorisationOutcome> {
  const member = await memberByOrder(tx, orderId);
  if (!member) return { action: 'none' };
  const ids = { memberId: member.id, groupId: member.groupId };
  if (member.status === 'authorised' || member.status === 'captured') return { action: 'repeat', ...ids };
  if (member.status !== 'pending') {
    // Left, expired or voided already: a final seat is never revived; the late hold is released.
    if (paymentId && !member.paymentId) await tx.update(groupMembers).set({ paymentId }).where(eq(groupMembers.id, member.id));
    return { action: 'void', ...ids, release: true, note: 'The card was authorised after the seat had ended' };
  }
  const loaded = (await loadGroup(tx, member.groupId))!;
  const others = loaded.members.filter((m) => m.id !== member.id);
  const decision = decideOnAuthorisation(viewOf(loaded.group, others, now), now);
  const order = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).get();
  const voidSeat = async (to: GroupMemberStatus, note: string): Promise<AuthorisationOutcome> => {
    await endSeat(tx, member.id, { from: ['pending'], to, note, now, paymentId });
    return { action: 'void', ...ids, release: true, note };
  };
  if (decision === 'void') {
    const ended = loaded.group.status === 'lapsed' || now >= loaded.group.endsAt;
    return voidSeat('voided', ended ? 'The card was authorised after the group had ended' : 'The card was authorised after the group had filled');
  }
  if (!order || order.status !== 'pending') return voidSeat('expired', 'The checkout had expired before the card was authorised');
  // The seat's own reservation, if it has not lapsed, covers the unit; else free stock must.
  const own = await tx
    .select({ id: stockReservations.id })
    .from(stockReservations)
    .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active'), gt(stockReservations.expiresAt, now)))
    .get();
  if (!own) {
    const v = await tx.select({ available: availableSql(now) }).from(variants).where(eq(variants.id, member.variantId)).get();
    if (!v || Number(v.available) < 1) return voidSeat('expired', 'The checkout had expired and the item sold out before the card was authorised');
  }
  await tx.update(groupMembers).set({ status: 'authorised', paymentId, authorisedAt: now }).where(and(eq(groupMembers.id, member.id), eq(groupMembers.status, 'pending')));
  if (paymentId) await tx.update(orders).set({ providerPaymentId: paymentId }).where(eq(orders.id, orderId));
  await holdOrderUntil(tx, orderId, loaded.group.endsAt);
  const after = viewOf(loaded.group, [...others, { status: 'authorised', holdUntil: member.holdUntil }], now);
  let filled = false;
  if (decideFill(after)) {
    const res = await tx
      .update(groupBuys)
      .set({ status: 'filled', filledAt: now })
      .where(and(eq(groupBuys.id, loaded.group.id), eq(groupBuys.status, 'open')))
      .returning({ id: groupBuys.id });
    filled = res.length === 1;
    // Captures follow at once after commit; keep every seat's unit reserved while they are retried.
    const seats = [...others.filter((m) => m.status === 'authorised'), member];
    for (const m of seats) await holdOrderUntil(tx, m.orderId, Math.max(loaded.group.endsAt, now + CAPTURE_RETRY_WINDOW_MS));
  }
  await bumpCatalogVersion(tx);
  return { action: 'hold', ...ids, filled };
}

/** The seats of a filled group still waiting to be captured (authorised, with a payment). */
export async function seatsToCapture(db: DbOrTx, groupId: string) {
  const group = await db.select({ status: groupBuys.status }).from(groupBuys).where(eq(groupBuys.id, groupId)).get();
  if (group?.status !== 'filled') return [];
  return db
    .select({ memberId: groupMembers.id, orderId: groupMembers.orderId, paymentId: groupMembers.paymentId, totalCents: orders.totalCents })
    .from(groupMembers)
    .innerJoin(orders, eq(orders.id, groupMembers.orderId))
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.status, 'authorised')));
}

export interface LapseOutcome {
  lapsed: boolean;
  /** Authorised seats now voided: their authorisations are released after commit. */
  toVoid: { memberId: number; orderId: number; paymentId: string | null }[];
  /** Seats that were captured (should not happen in a lapsed group): refunded after commit. */
  toRefund: { memberId: number; orderId: number }[];
  /** Orders of the seats ended here, released by the caller in the same `tx`. */
  toRelease: number[];
}

/**
 * In `tx`: writes down that an open group past its end lapsed — status 'lapsed', every authorised
 * seat 'voided', every pending seat 'expired'. Idempotent: a group already settled (or not lapsed
 * by the clock) changes nothing and returns nothing to do.
 */
export async function settleLapsed(tx: Tx, groupId: string, now: number): Promise<LapseOutcome> {
  const none: LapseOutcome = { lapsed: false, toVoid: [], toRefund: [], toRelease: [] };
  const loaded = await loadGroup(tx, groupId);
  if (!loaded || loaded.group.status !== 'open' || viewOf(loaded.group, loaded.members, now).state !== 'lapsed') return none;
  const res = await tx
    .update(groupBuys)
    .set({ status: 'lapsed', settledAt: now })
    .where(and(eq(groupBuys.id, groupId), eq(groupBuys.status, 'open')))
    .returning({ id: groupBuys.id });
  if (res.length === 0) return none;
  const out: LapseOutcome = { lapsed: true, toVoid: [], toRefund: [], toRelease: [] };
  for (const m of loaded.members) {
    if (m.status === 'authorised') {
      await endSeat(tx, m.id, { from: ['authorised'], to: 'voided', note: 'The group ended before it filled: the card authorisation was released', now });
      out.toVoid.push({ memberId: m.id, orderId: m.orderId, paymentId: m.paymentId });
      out.toRelease.push(m.orderId);
    } else if (m.status === 'pending') {
      await endSeat(tx, m.id, { from: ['pending'], to: 'expired', note: 'The group ended before the card was authorised', now });
      out.toRelease.push(m.orderId);
    } else if (m.status === 'captured') {
      out.toRefund.push({ memberId: m.id, orderId: m.orderId });
    }
  }
  return out;
}

/** Open groups whose end has passed (the sweeper settles them; pages already see them lapsed). */
export async function lapsedOpenGroups(db: DbOrTx, now: number, limit = 100): Promise<string[]> {
  const rows = await db.select({ id: groupBuys.id }).from(groupBuys).where(and(eq(groupBuys.status, 'open'), lte(groupBuys.endsAt, now))).orderBy(groupBuys.endsAt).limit(limit);
  return rows.map((r) => r.id);
}

/** Filled groups with seats not yet captured (a capture the provider failed, to retry). */
export async function filledGroupsAwaitingCapture(db: DbOrTx, limit = 100): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: groupBuys.id })
    .from(groupBuys)
    .innerJoin(groupMembers, eq(groupMembers.groupId, groupBuys.id))
    .where(and(eq(groupBuys.status, 'filled'), eq(groupMembers.status, 'authorised')))
    .limit(limit);
  return rows.map((r) => r.id);
}

export interface GroupMemberView {
  memberId: number;
  /** "M•••": enough to recognise a friend, nothing to contact them by. */
  label: string;
  isStarter: boolean;
  /** 'pending': checking out; 'authorised': card held; 'captured': paid. */
  status: 'pending' | 'authorised' | 'captured';
  joinedAt: number;
}

export interface GroupPageView extends GroupView {
  id: string;
  productId: number;
  productSlug: string;
  productName: string;
  imagePath: string;
  currency: string;
  priceCents: number;
  /** The lowest regular price among the variants the group sells (the offer's one, or all). */
  regularPriceCents: number;
  /** The variant the offer is for, or null: every active variant. */
  variant: { id: number; sku: string; label: string } | null;
  /** What a joiner may choose, with what is free to sell now. */
  variants: { id: number; sku: string; label: string; regularPriceCents: number; available: number }[];
  startedAt: number;
  filledAt: number | null;
  /** Seats taken now, in the order they were taken. */
  members: GroupMemberView[];
  source: { post: string | null; card: number | null; creatorId: number | null };
}

function memberViews(members: readonly MemberRow[], now: number): GroupMemberView[] {
  return members
    .filter((m) => holdsSeat(m, now))
    .map((m) => ({ memberId: m.id, label: m.initials, isStarter: m.isStarter, status: m.status as GroupMemberView['status'], joinedAt: m.joinedAt }));
}

/** What the group page shows. Never an email: members are initials. */
export async function groupPageView(db: DbOrTx, id: string, now: number): Promise<GroupPageView | null> {
  const loaded = await loadGroup(db, id);
  if (!loaded) return null;
  const { group, members } = loaded;
  const offer = await db.select({ variantId: groupOffers.variantId }).from(groupOffers).where(eq(groupOffers.id, group.offerId)).get();
  const p = await db.select({ slug: products.slug, name: products.name, image: products.imagePath }).from(products).where(eq(products.id, group.productId)).get();
  if (!p) return null;
  const vs = await db
    .select({ id: variants.id, sku: variants.sku, size: variants.size, colour: variants.colour, price: variants.priceCents, active: variants.active, available: availableSql(now) })
    .from(variants)
    .where(eq(variants.productId, group.productId))
    .orderBy(variants.position, variants.id);
  const sold = vs.filter((v) => v.active && (offer?.variantId == null || v.id === offer.variantId));
  const one = offer?.variantId != null ? vs.find((v) => v.id === offer.variantId) : undefined;
  return {
    id: group.id,
    ...viewOf(group, members, now),
    productId: group.productId,
    productSlug: p.slug,
    productName: p.name,
    imagePath: p.image,
    currency: group.currency,
    priceCents: group.priceCents,
    regularPriceCents: sold.length ? Math.min(...sold.map((v) => v.price)) : (one?.price ?? group.priceCents),
    variant: one ? { id: one.id, sku: one.sku, label: variantLabel(one) } : null,
    variants: sold.map((v) => ({ id: v.id, sku: v.sku, label: variantLabel(v), regularPriceCents: v.price, available: Number(v.available) })),
    startedAt: group.startedAt,
    filledAt: group.filledAt,
    members: memberViews(members, now),
    source: { post: group.sourcePost, card: group.sourceCard, creatorId: group.sourceCreatorId },
  };
}

export interface OpenGroupSummary {
  id: string;
  size: number;
  seatsLeft: number;
  priceCents: number;
  currency: string;
  endsAt: number;
  secondsLeft: number;
  members: { label: string; isStarter: boolean }[];
}

/**
 * Groups of the product a shopper can join now ("join a group" on the product page): open by the
 * clock, a seat left, someone already in it. Closest to filling first, then soonest to end.
 */
export async function openGroupsForProduct(db: DbOrTx, productId: number, now: number, limit = 5): Promise<OpenGroupSummary[]> {
  const groups = await db
    .select()
    .from(groupBuys)
    .where(and(eq(groupBuys.productId, productId), eq(groupBuys.status, 'open'), gt(groupBuys.endsAt, now)))
    .orderBy(groupBuys.endsAt)
    .limit(200);
  if (groups.length === 0) return [];
  const members = await db.select().from(groupMembers).where(inArray(groupMembers.groupId, groups.map((g) => g.id))).orderBy(groupMembers.joinedAt, groupMembers.id);
  const out: OpenGroupSummary[] = [];
  for (const g of groups) {
    const mine = members.filter((m) => m.groupId === g.id);
    const v = viewOf(g, mine, now);
    if (v.state !== 'open' || v.seatsLeft === 0 || v.seatsTaken === 0) continue;
    out.push({ id: g.id, size: v.size, seatsLeft: v.seatsLeft, priceCents: g.priceCents, currency: g.currency, endsAt: g.endsAt, secondsLeft: v.secondsLeft, members: memberViews(mine, now).map((m) => ({ label: m.label, isStarter: m.isStarter })) });
  }
  out.sort((a, b) => a.seatsLeft - b.seatsLeft || a.endsAt - b.endsAt);
  return out.slice(0, limit);
}

export interface UserGroupSeat {
  memberId: number;
  groupId: string;
  state: GroupStatus;
  seatStatus: GroupMemberStatus;
  isStarter: boolean;
  orderId: number;
  orderNumber: string;
  productSlug: string;
  productName: string;
  imagePath: string;
  priceCents: number;
  currency: string;
  size: number;
  seatsLeft: number;
  endsAt: number;
  joinedAt: number;
  /** Whether the member may still leave (an open group, a seat not paid). */
  canLeave: boolean;
}

/** The seats a reader took, newest first (the account page). */
export async function groupsForUser(db: DbOrTx, userId: number, now: number, limit = 20): Promise<UserGroupSeat[]> {
  const rows = await db
    .select({ m: groupMembers, g: groupBuys, number: orders.number, slug: products.slug, name: products.name, image: products.imagePath })
    .from(groupMembers)
    .innerJoin(groupBuys, eq(groupBuys.id, groupMembers.groupId))
    .innerJoin(orders, eq(orders.id, groupMembers.orderId))
    .innerJoin(products, eq(products.id, groupBuys.productId))
    .where(eq(groupMembers.userId, userId))
    .orderBy(desc(groupMembers.joinedAt), desc(groupMembers.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const all = await db.select({ groupId: groupMembers.groupId, status: groupMembers.status, holdUntil: groupMembers.holdUntil }).from(groupMembers).where(inArray(groupMembers.groupId, [...new Set(rows.map((r) => r.g.id))]));
  return rows.map(({ m, g, number, slug, name, image }) => {
    const v = viewOf(g, all.filter((x) => x.groupId === g.id), now);
    return {
      memberId: m.id,
      groupId: g.id,
      state: v.state,
      seatStatus: m.status,
      isStarter: m.isStarter,
      orderId: m.orderId,
      orderNumber: number,
      productSlug: slug,
      productName: name,
      imagePath: image,
      priceCents: g.priceCents,
      currency: g.currency,
      size: v.size,
      seatsLeft: v.seatsLeft,
      endsAt: g.endsAt,
      joinedAt: m.joinedAt,
      canLeave: v.state === 'open' && (m.status === 'authorised' || (m.status === 'pending' && m.holdUntil > now)),
    };
  });
}

/** Groups started from each of a creator's posts, by how they stand (the dashboard), decided from the clock. */
export async function groupsByPost(db: DbOrTx, creatorId: number, now: number): Promise<Map<string, Record<GroupStatus, number>>> {
  const rows = await db
    .select({ post: groupBuys.sourcePost, status: groupBuys.status, endsAt: groupBuys.endsAt })
    .from(groupBuys)
    .where(and(eq(groupBuys.sourceCreatorId, creatorId), isNotNull(groupBuys.sourcePost)));
  const out = new Map<string, Record<GroupStatus, number>>();
  for (const r of rows) {
    // Seats do not change the state: an open group past its end is lapsed, whatever it held.
    const state = groupView({ status: r.status, size: 1, endsAt: r.endsAt, members: [] }, now).state;
    const counts = out.get(r.post!) ?? { open: 0, filled: 0, lapsed: 0 };
    counts[state]++;
    out.set(r.post!, counts);
  }
  return out;
}


/** The provider confirmed an ended seat's card hold released (the retry sweeper stops asking). */
export async function markHoldReleased(tx: DbOrTx, memberId: number, now: number): Promise<void> {
  await tx.update(groupMembers).set({ holdReleasedAt: now }).where(eq(groupMembers.id, memberId));
}

/** How long a card authorisation lasts at the provider (then it lapses by itself). */
export const AUTHORISATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Ended seats whose card hold the provider has not confirmed released, still within an
 * authorisation's life (7 days from the authorisation): the sweeper asks again.
 */
export async function holdsToRelease(db: DbOrTx, now: number, limit = 100): Promise<{ memberId: number; paymentId: string }[]> {
  const rows = await db
    .select({ memberId: groupMembers.id, paymentId: groupMembers.paymentId })
    .from(groupMembers)
    .where(
      and(
        inArray(groupMembers.status, ['voided', 'left', 'expired']),
        isNotNull(groupMembers.paymentId),
        sql`${groupMembers.capturedAt} is null`,
        sql`${groupMembers.holdReleasedAt} is null`,
        // A late authorisation has no authorised_at: its seat's end bounds it (a hold lapses by itself).
        sql`coalesce(${groupMembers.authorisedAt}, ${groupMembers.endedAt}, ${groupMembers.joinedAt}) > ${now - AUTHORISATION_LIFETIME_MS}`,
      ),
    )
    .orderBy(groupMembers.id)
    .limit(limit);
  return rows.map((r) => ({ memberId: r.memberId, paymentId: r.paymentId! }));
}
