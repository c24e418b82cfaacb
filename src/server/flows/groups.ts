/**
 * Workflows of group buy (拼团): the shop owner's offer, a shopper starting or joining a group, the
 * card authorisation that holds a seat, the fill that captures every seat, the lapse that voids
 * them, and leaving. Authorise now, capture when the group fills, void when it lapses
 * (src/server/social/group-rules.ts; payments/provider.ts): nobody pays for a group that never formed.
 *
 * Each step is one write transaction; money moves only after it commits, and every provider call
 * carries an idempotency key derived from the seat (`group-capture-<member>`, `group-void-<member>`),
 * so a retry — a redelivered webhook, the sweeper — never captures or voids twice. A capture that
 * succeeds runs the ordinary paid path (applyPaymentEvent with an internal payment_succeeded event),
 * so a group order is fulfilled, credited and mailed exactly like any other paid order.
 */
import { eq } from 'drizzle-orm';
import { creators, orders, products, users, variants } from '../../../db/schema/index.ts';
import { parseCheckoutForm, placeOfferOrder, type FieldErrors } from '../checkout/index.ts';
import { refundOrder, releaseOrder, type AuthorisationHook } from '../orders/index.ts';
import {
  addSeat,
  authoriseSeat,
  checkSeat,
  endSeat,
  filledGroupsAwaitingCapture,
  groupPageView,
  groupsForUser,
  groupViewById,
  holdsToRelease,
  JOIN_MESSAGES,
  lapsedOpenGroups,
  markHoldReleased,
  markSeatCaptured,
  memberById,
  memberByOrder,
  memberInitials,
  openGroup,
  openGroupsForProduct,
  parseGroupOfferForm,
  saveGroupOffer,
  seatsToCapture,
  settleLapsed,
  type Buyer,
  type GroupOfferField,
  type GroupPageView,
  type OpenGroupSummary,
  type SeatRefusal,
  type UserGroupSeat,
} from '../social/index.ts';
import { canonicalEmail, refuse, type Refusal } from '../shared/index.ts';
import type { SourceCheck } from '../cart/index.ts';
import { rememberAddress } from '../accounts/index.ts';
import type { Tx } from '../db.ts';
import type { App } from './app.ts';
import { openOfferCheckout } from './offer-checkout.ts';
import { refundEffects } from './effects.ts';
// pay.ts calls back into this module for authorisations; only functions cross, so the cycle is safe.
import { applyPaymentEvent } from './pay.ts';

export function groupPath(id: string): string {
  return `/group/${encodeURIComponent(id)}`;
}

const SEAT_MESSAGES: Record<SeatRefusal | 'unavailable' | 'inactive', string> = {
  ...JOIN_MESSAGES,
  not_found: 'We could not find that group. Check the link you were sent.',
  unknown_variant: 'Choose one of the sizes this group is for.',
  used_up: 'Every unit the shop set aside for group buys is taken. You can still buy it at the regular price.',
  unavailable: 'This size is sold out now. Nothing was charged.',
  inactive: 'This item is no longer sold. Nothing was charged.',
};

const NO_OFFER = 'This product has no group buy to start right now. You can still buy it at the regular price.';
const PROVIDER_FAILED = 'We could not reach the payment provider. Nothing was charged — please try again in a moment.';

/** Admin: save the product's group-buy offer (all fields validated; nothing written on a refusal). */
export async function saveProductGroupOffer(
  app: App,
  { productId, fields, now = Date.now() }: { productId: number; fields: Record<string, string>; now?: number },
): Promise<{ ok: true } | (Refusal<'invalid' | 'not_found'> & { fieldErrors?: Partial<Record<GroupOfferField, string>> })> {
  const product = await app.db.select({ id: products.id }).from(products).where(eq(products.id, productId)).get();
  if (!product) return refuse('not_found', 'That product no longer exists.');
  const vs = await app.db.select({ id: variants.id, price: variants.priceCents, active: variants.active }).from(variants).where(eq(variants.productId, productId));
  // The group price must beat the regular price of whatever it sells: the chosen variant, or the cheapest.
  const chosen = vs.find((v) => String(v.id) === fields.variantId);
  const prices = (chosen ? [chosen] : vs.filter((v) => v.active)).map((v) => v.price);
  const parsed = parseGroupOfferForm(fields, { variantIds: vs.map((v) => v.id), regularPriceCents: prices.length ? Math.min(...prices) : 0 });
  if (!parsed.ok) return { ...refuse('invalid', 'Please check the highlighted fields of the group buy.'), fieldErrors: parsed.errors };
  await app.db.transaction((tx) => saveGroupOffer(tx, productId, parsed.value, now));
  return { ok: true };
}

export type JoinGroupResult =
  | { ok: true; groupId: string; path: string; memberId: number; orderNumber: string; redirectUrl: string }
  | (Refusal<'invalid'> & { fieldErrors: FieldErrors })
  | Refusal<SeatRefusal | 'unavailable' | 'inactive' | 'unknown_source' | 'provider_failed'>;

interface SeatRequest {
  user: { id: number } | null;
  sku: string;
  fields: Record<string, string>;
  now?: number;
}

/**
 * A shopper starts a group from a card (or the product page): a new group and the starter's seat,
 * in one transaction, then the manual-capture checkout.
 */
export async function startGroup(
  app: App,
  { source, checkSource, ...req }: SeatRequest & { source: { post: string; card: number } | null; checkSource: SourceCheck },
): Promise<JoinGroupResult> {
  const v = await app.db.select({ productId: variants.productId, slug: products.slug }).from(variants).innerJoin(products, eq(products.id, variants.productId)).where(eq(variants.sku, req.sku)).get();
  if (!v) return refuse('unknown_variant', SEAT_MESSAGES.unknown_variant);
  let creatorHandle: string | null = null;
  if (source) {
    const check = checkSource(source.post, source.card, v.slug);
    if (check === false) return refuse('unknown_source', 'That card is not in a published post any more. Start the group from the product page.');
    creatorHandle = typeof check === 'string' ? check : null;
  }
  return takeSeat(app, req, async (tx, now) => {
    const creatorId = creatorHandle ? ((await tx.select({ id: creators.id }).from(creators).where(eq(creators.handle, creatorHandle)).get())?.id ?? null) : null;
    const opened = await openGroup(tx, { productId: v.productId, currency: app.config.shop.currency, source: { post: source?.post ?? null, card: source?.card ?? null, creatorId }, now });
    if (!opened.ok) throw new SeatRefused(opened.reason === 'inactive' ? refuse('inactive', NO_OFFER) : refuse('unknown_variant', SEAT_MESSAGES.unknown_variant));
    return { groupId: opened.groupId, isStarter: true };
  });
}

/** A shopper joins a friend's group: a seat and its order in one transaction, then the manual-capture checkout. */
export async function joinGroup(app: App, { groupId, ...req }: SeatRequest & { groupId: string }): Promise<JoinGroupResult> {
  return takeSeat(app, req, async () => ({ groupId, isStarter: false }));
}

/** Thrown inside a seat's transaction to roll all of it back (the group it opened too). */
class SeatRefused extends Error {
  constructor(readonly refusal: Refusal<SeatRefusal | 'unavailable' | 'inactive'>) {
    super(refusal.reason);
  }
}

async function takeSeat(
  app: App,
  { user, sku, fields, now = Date.now() }: SeatRequest,
  group: (tx: Tx, now: number) => Promise<{ groupId: string; isStarter: boolean }>,
): Promise<JoinGroupResult> {
  const parsed = parseCheckoutForm({ ...fields, couponCode: '' }, app.config.checkout);
  if (!parsed.ok) return { ...refuse('invalid', 'Please check the highlighted fields.'), fieldErrors: parsed.errors as FieldErrors };
  const form = parsed.value;
  const config = app.config.checkout;
  const variant = await app.db.select({ id: variants.id }).from(variants).where(eq(variants.sku, sku)).get();
  if (!variant) return refuse('unknown_variant', SEAT_MESSAGES.unknown_variant);
  const buyer: Buyer = { canonicalEmail: canonicalEmail(form.email), userId: user?.id ?? null };
  const placed = await app.db
    .transaction(async (tx) => {
      const { groupId, isStarter } = await group(tx, now);
      // Every limit is checked here, in the transaction that takes the seat (rule 11).
      const seat = await checkSeat(tx, { groupId, variantId: variant.id, buyer, now });
      if (!seat.ok) throw new SeatRefused(refuse(seat.reason, SEAT_MESSAGES[seat.reason]));
      const holdUntil = Math.min(now + config.reservationTtlMs, seat.endsAt);
      const order = await placeOfferOrder(tx, {
        form,
        config,
        provider: app.provider.name,
        variantId: variant.id,
        unitPriceCents: seat.priceCents,
        channel: 'group',
        source: seat.source,
        buyerUserId: buyer.userId,
        holdUntil,
        now,
        note: 'Order placed for a seat in a group buy; stock reserved while the card is authorised',
      });
      if (!order.ok) throw new SeatRefused(refuse(order.reason, SEAT_MESSAGES[order.reason]));
      const account = user ? await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, user.id)).get() : undefined;
      const initials = memberInitials({ displayName: account?.displayName ?? form.name, email: form.email });
      const memberId = await addSeat(tx, { groupId, orderId: order.orderId, variantId: variant.id, buyer, initials, isStarter, holdUntil, now });
      if (user) await rememberAddress(tx, user.id, form, now);
      return { ok: true as const, groupId, memberId, orderId: order.orderId, number: order.number };
    })
    .catch((err: unknown) => {
      if (err instanceof SeatRefused) return err.refusal;
      throw err;
    });
  if (!placed.ok) return placed;
  try {
    const { redirectUrl } = await openOfferCheckout(app, { orderId: placed.orderId, number: placed.number }, { cancelPath: groupPath(placed.groupId), capture: 'manual' });
    return { ok: true, groupId: placed.groupId, path: groupPath(placed.groupId), memberId: placed.memberId, orderNumber: placed.number, redirectUrl };
  } catch (err) {
    console.error('payment provider failed to start checkout for a group seat', err);
    const at = Date.now();
    await app.db.transaction(async (tx) => {
      await endSeat(tx, placed.memberId, { from: ['pending'], to: 'expired', note: 'The payment provider could not start checkout', now: at });
      await releaseOrder(tx, placed.orderId, { now: at, actor: 'system', note: 'Payment provider could not start checkout' });
    });
    return refuse('provider_failed', PROVIDER_FAILED);
  }
}

/**
 * In the payment event's own transaction (orders/fulfil.ts): hold or void a seat's authorisation.
 * A voided seat's order is released here, with the seat; the hold on the card is released after commit.
 */
export function groupAuthorisationHook(now: number): AuthorisationHook {
  return async (tx, orderId, paymentId) => {
    const r = await authoriseSeat(tx, { orderId, paymentId, now });
    switch (r.action) {
      case 'none':
      case 'repeat':
        return 'ignored';
      case 'void':
        if (r.release) await releaseOrder(tx, orderId, { now, actor: 'system', note: `${r.note}; the card hold is released` });
        return 'authorisation_voided';
      case 'hold':
        return r.filled ? 'group_filled' : 'authorised';
    }
  };
}

/**
 * After an authorisation event committed (and on every redelivery, so a failed step is retried):
 * release the hold of a seat that ended, or capture every seat of a group that filled.
 */
export async function afterGroupAuthorisation(app: App, orderId: number, now: number): Promise<void> {
  const member = await memberByOrder(app.db, orderId);
  if (!member) return;
  if ((member.status === 'voided' || member.status === 'left' || member.status === 'expired') && member.paymentId && member.capturedAt === null) {
    await voidSeat(app, member.id, member.paymentId, now);
    return;
  }
  await captureGroup(app, member.groupId, now);
}

async function voidSeat(app: App, memberId: number, paymentId: string | null, now = Date.now()): Promise<boolean> {
  if (!paymentId) return true;
  const r = await app.provider.voidAuthorization({ paymentId, idempotencyKey: `group-void-${memberId}` });
  if (r.ok) {
    await markHoldReleased(app.db, memberId, now);
    return true;
  }
  // Not released: the sweeper asks again (retryHoldReleases) while the authorisation lives; at
  // worst it lapses by itself within 7 days, and nothing is ever captured from it.
  console.error(`group seat ${memberId}: the payment provider did not release the card hold (${r.error}); the sweeper will retry`);
  return false;
}

/** Sweeper: asks the provider again to release the card holds of ended seats it did not confirm. */
export async function retryHoldReleases(app: App, now = Date.now()): Promise<{ released: number; failed: number }> {
  const out = { released: 0, failed: 0 };
  for (const h of await holdsToRelease(app.db, now)) {
    if (await voidSeat(app, h.memberId, h.paymentId, now)) out.released++;
    else out.failed++;
  }
  return out;
}

export interface CaptureReport {
  captured: number;
  expired: number;
  failed: number;
}

/**
 * Captures every authorised seat of a filled group; each success runs the ordinary paid path. A
 * capture refused because the authorisation expired ends the seat 'expired' and releases its order
 * (never declared paid); any other failure leaves the seat authorised for the sweeper to retry.
 */
export async function captureGroup(app: App, groupId: string, now = Date.now()): Promise<CaptureReport> {
  const report: CaptureReport = { captured: 0, expired: 0, failed: 0 };
  for (const s of await seatsToCapture(app.db, groupId)) {
    const r = await app.provider.capture({ paymentId: s.paymentId, amountCents: s.totalCents, idempotencyKey: `group-capture-${s.memberId}` });
    if (r.ok) {
      const paid = await applyPaymentEvent(
        app,
        { id: `group_capture_${s.memberId}`, provider: app.provider.name, type: 'payment_succeeded', orderId: s.orderId, paymentId: s.paymentId },
        { now },
      );
      await app.db.transaction(async (tx) => {
        await markSeatCaptured(tx, s.memberId, now);
        // The stock was gone after all: applyPaymentEvent has refunded the capture in full.
        if (paid.outcome === 'needs_refund') await endSeat(tx, s.memberId, { from: ['captured'], to: 'refunded', note: 'Captured, but the item had sold out: refunded in full', now });
      });
      report.captured++;
    } else if (r.expired) {
      console.warn(`group ${groupId}, seat ${s.memberId}: the card authorisation expired before capture (${r.error}); the seat ends unpaid`);
      await app.db.transaction(async (tx) => {
        if (await endSeat(tx, s.memberId, { from: ['authorised'], to: 'expired', note: 'The card authorisation expired before the group could charge it', now })) {
          await releaseOrder(tx, s.orderId, { now, actor: 'system', note: 'The card authorisation expired before capture; nothing was charged' });
        }
      });
      report.expired++;
    } else {
      console.error(`group ${groupId}, seat ${s.memberId}: capture failed (${r.error}); it will be retried`);
      report.failed++;
    }
  }
  return report;
}

export interface SettleReport {
  lapsed: boolean;
  voided: number;
  refunded: number;
}

/**
 * A group past its end that did not fill: written down as lapsed, every seat ended, every order
 * released (stock back), and after commit every card hold released (and anything captured,
 * which should never happen in a lapsed group, refunded). Idempotent: a second call does nothing.
 */
export async function settleGroup(app: App, groupId: string, now = Date.now()): Promise<SettleReport> {
  const out = await app.db.transaction(async (tx) => {
    const lapse = await settleLapsed(tx, groupId, now);
    for (const orderId of lapse.toRelease) await releaseOrder(tx, orderId, { now, actor: 'system', note: 'The group ended before it filled; nothing was charged' });
    return lapse;
  });
  const report: SettleReport = { lapsed: out.lapsed, voided: 0, refunded: 0 };
  for (const m of out.toVoid) if (await voidSeat(app, m.memberId, m.paymentId, now)) report.voided++;
  for (const m of out.toRefund) {
    const r = await refundOrder(app.db, app.provider, { orderId: m.orderId, request: 'all', restock: true, actor: 'system', now, hooks: await refundEffects(app, now) });
    if (r.ok) {
      await app.db.transaction((tx) => endSeat(tx, m.memberId, { from: ['captured'], to: 'refunded', note: 'Refunded: the group ended without filling', now }));
      report.refunded++;
    } else console.error(`group ${groupId}, seat ${m.memberId}: refund after lapse failed (${r.message})`);
  }
  return report;
}

/**
 * The sweeper's step (rule 8: pages already read lapsed groups as lapsed): settle every open group
 * past its end, and retry captures of filled groups the provider failed. Idempotent.
 */
export async function settleLapsedGroups(app: App, now = Date.now()): Promise<{ settled: number; voided: number; captured: number }> {
  let settled = 0;
  let voided = 0;
  let captured = 0;
  for (const id of await lapsedOpenGroups(app.db, now)) {
    const r = await settleGroup(app, id, now);
    if (r.lapsed) settled++;
    voided += r.voided;
  }
  for (const id of await filledGroupsAwaitingCapture(app.db)) captured += (await captureGroup(app, id, now)).captured;
  return { settled, voided, captured };
}

/** What the group page shows; a group that lapsed by the clock is settled first. */
export async function showGroup(app: App, id: string, now = Date.now()): Promise<GroupPageView | null> {
  const view = await groupPageView(app.db, id, now);
  if (view?.state === 'lapsed') {
    const r = await settleGroup(app, id, now);
    if (r.lapsed) return groupPageView(app.db, id, now);
  }
  return view;
}

/** "Join a group" on the product page. */
export function groupsToJoin(app: App, productId: number, now = Date.now()): Promise<OpenGroupSummary[]> {
  return openGroupsForProduct(app.db, productId, now);
}

/** The reader's seats (the account page). */
export function readerGroups(app: App, userId: number, now = Date.now()): Promise<UserGroupSeat[]> {
  return groupsForUser(app.db, userId, now);
}

const LEAVE_MESSAGES = {
  not_found: 'We could not find that seat in your groups.',
  not_allowed: 'This seat is no longer held, so there is nothing to leave.',
  already_paid: 'The group filled and your order is paid, so you can no longer leave it. You can ask for a refund from your order page.',
  group_ended: JOIN_MESSAGES.group_ended,
} as const;

/**
 * A member (signed in as the account that took the seat) leaves an open group — the starter too:
 * the seat ends, its order is released (stock back), and after commit the card hold is released
 * and an unfinished checkout closed.
 */
export async function leaveGroup(
  app: App,
  { memberId, userId, now = Date.now() }: { memberId: number; userId: number; now?: number },
): Promise<{ ok: true; groupId: string } | Refusal<keyof typeof LEAVE_MESSAGES>> {
  const r = await app.db.transaction(async (tx) => {
    const member = await memberById(tx, memberId);
    if (!member || member.userId !== userId) return refuse('not_found', LEAVE_MESSAGES.not_found);
    if (member.status === 'captured') return refuse('already_paid', LEAVE_MESSAGES.already_paid);
    if (member.status !== 'pending' && member.status !== 'authorised') return refuse('not_allowed', LEAVE_MESSAGES.not_allowed);
    const view = await groupViewById(tx, member.groupId, now);
    if (!view || view.state === 'lapsed') return refuse('group_ended', LEAVE_MESSAGES.group_ended);
    if (view.state === 'filled') return refuse('already_paid', LEAVE_MESSAGES.already_paid);
    if (!(await endSeat(tx, member.id, { from: ['pending', 'authorised'], to: 'left', note: member.isStarter ? 'The starter left the group' : 'Left the group', now }))) {
      return refuse('not_allowed', LEAVE_MESSAGES.not_allowed);
    }
    await releaseOrder(tx, member.orderId, { now, actor: 'buyer', note: 'Left the group buy; nothing was charged' });
    const order = await tx.select({ sessionId: orders.providerSessionId }).from(orders).where(eq(orders.id, member.orderId)).get();
    return { ok: true as const, member, sessionId: order?.sessionId ?? null };
  });
  if (!r.ok) return r;
  if (r.member.status === 'authorised') await voidSeat(app, r.member.id, r.member.paymentId, now);
  else if (r.sessionId) {
    // A checkout still open must not authorise a seat that is gone (one that does is voided on arrival).
    await app.provider.expireCheckout(r.sessionId).catch((err: unknown) => console.warn(`group seat ${r.member.id}: could not close its checkout`, err));
  }
  return { ok: true, groupId: r.member.groupId };
}
