/**
 * Workflows of help-cut (砍一刀, docs/decisions/0049-help-cut.md): the shop owner's offer, a reader
 * launching a bargain from a card, a signed-in helper cutting once, and the launcher buying at the
 * floor (or, when the offer allows, at the price reached when time ran out). Each user action is
 * one write transaction; refusals are in people's words and write nothing.
 */
import { eq } from 'drizzle-orm';
import { creators, cutLaunches, products, variants } from '../../../db/schema/index.ts';
import { parseCheckoutForm, placeOfferOrder, type FieldErrors } from '../checkout/index.ts';
import { releaseOrder } from '../orders/index.ts';
import {
  attachLaunchOrder,
  claimLaunchForOrder,
  helpCut,
  launchCut,
  launchView,
  parseCutOfferForm,
  saveCutOffer,
  type CutOfferField,
  type HelpRefusal,
  type LaunchRefusal,
  type LaunchView,
} from '../social/index.ts';
import { getAppSecret, refuse, sign, type Refusal } from '../shared/index.ts';
import type { SourceCheck } from '../cart/index.ts';
import { rememberAddress } from '../accounts/index.ts';
import type { App } from './app.ts';
import { openOfferCheckout } from './offer-checkout.ts';

export function cutPath(id: string): string {
  return `/cut/${encodeURIComponent(id)}`;
}

const LAUNCH_MESSAGES: Record<LaunchRefusal, string> = {
  inactive: 'This product has no bargain to start right now.',
  unknown_variant: 'Choose one of the sizes this bargain is for.',
  used_up: 'Every unit set aside for bargains is taken. You can still buy it at the regular price.',
  sold_out: 'This size is sold out, so no bargain can start on it.',
  launch_limit: 'You have started as many bargains on this product as one reader may.',
  not_verified: 'Sign in with an email link first, so helpers know the bargain is yours.',
};

export const HELP_MESSAGES: Record<HelpRefusal, string> = {
  not_found: 'We could not find that bargain. Check the link you were sent.',
  launch_ended: 'This bargain has ended — no more helps are needed or possible.',
  self_help: 'You started this bargain, so you cannot help it yourself. Share the link with friends instead.',
  not_verified: 'Sign in with an email link first: each helper is a real, verified person.',
  help_given: 'You have already helped this bargain — each person helps once.',
  daily_help_limit: 'You have helped 3 bargains today, the most one person may. You can help again tomorrow.',
  rate_limited: 'Too many helps came from this connection in the last hour. Try again later.',
};

/** Admin: save the product's help-cut offer (all fields validated; nothing written on a refusal). */
export async function saveProductCutOffer(
  app: App,
  { productId, fields, now = Date.now() }: { productId: number; fields: Record<string, string>; now?: number },
): Promise<{ ok: true } | (Refusal<'invalid' | 'not_found'> & { fieldErrors?: Partial<Record<CutOfferField, string>> })> {
  const product = await app.db.select({ id: products.id }).from(products).where(eq(products.id, productId)).get();
  if (!product) return refuse('not_found', 'That product no longer exists.');
  const variantIds = (await app.db.select({ id: variants.id }).from(variants).where(eq(variants.productId, productId))).map((v) => v.id);
  const parsed = parseCutOfferForm(fields, { variantIds });
  if (!parsed.ok) return { ...refuse('invalid', 'Please check the highlighted fields of the help-cut.'), fieldErrors: parsed.errors };
  await app.db.transaction((tx) => saveCutOffer(tx, productId, parsed.value, now));
  return { ok: true };
}

/** A reader starts a bargain from a card (or the product page). */
export async function startCut(
  app: App,
  {
    user,
    sku,
    source,
    checkSource,
    now = Date.now(),
  }: { user: { id: number } | null; sku: string; source: { post: string; card: number } | null; checkSource: SourceCheck; now?: number },
): Promise<{ ok: true; launchId: string; path: string } | Refusal<LaunchRefusal | 'unknown_source' | 'not_verified'>> {
  if (!user) return refuse('not_verified', LAUNCH_MESSAGES.not_verified);
  const v = await app.db.select({ id: variants.id, productId: variants.productId, slug: products.slug }).from(variants).innerJoin(products, eq(products.id, variants.productId)).where(eq(variants.sku, sku)).get();
  if (!v) return refuse('unknown_variant', LAUNCH_MESSAGES.unknown_variant);
  let creatorHandle: string | null = null;
  if (source) {
    const check = checkSource(source.post, source.card, v.slug);
    if (check === false) return refuse('unknown_source', 'That card is not in a published post any more. Start the bargain from the product page.');
    creatorHandle = typeof check === 'string' ? check : null;
  }
  const r = await app.db.transaction(async (tx) => {
    const creatorId = creatorHandle ? ((await tx.select({ id: creators.id }).from(creators).where(eq(creators.handle, creatorHandle)).get())?.id ?? null) : null;
    return launchCut(tx, {
      productId: v.productId,
      variantId: v.id,
      userId: user.id,
      currency: app.config.shop.currency,
      source: { post: source?.post ?? null, card: source?.card ?? null, creatorId },
      now,
    });
  });
  if (!r.ok) return refuse(r.reason, LAUNCH_MESSAGES[r.reason]);
  return { ok: true, launchId: r.launchId, path: cutPath(r.launchId) };
}

/** What the launch page shows. */
export function showCut(app: App, id: string, now = Date.now()): Promise<LaunchView | null> {
  return launchView(app.db, id, now);
}

/**
 * A signed-in helper cuts once. The client address and the device cookie are kept only as keyed
 * hashes (for the per-address and per-device limits), never in clear.
 */
export async function helpWithCut(
  app: App,
  { user, launchId, ip, deviceId, now = Date.now() }: { user: { id: number } | null; launchId: string; ip: string | null; deviceId: string | null; now?: number },
): Promise<{ ok: true; amountCents: number; priceCents: number; helpsLeft: number; newHelper: boolean } | Refusal<HelpRefusal>> {
  if (!user) return refuse('not_verified', HELP_MESSAGES.not_verified);
  const secret = await getAppSecret(app.db, 'visitor_hash');
  const r = await app.db.transaction((tx) =>
    helpCut(tx, {
      launchId,
      helperUserId: user.id,
      ipHash: ip ? sign(secret, 'cut-ip', ip) : null,
      deviceHash: deviceId ? sign(secret, 'cut-device', deviceId) : null,
      timeZone: app.config.shop.timeZone,
      now,
    }),
  );
  if (!r.ok) return refuse(r.reason, HELP_MESSAGES[r.reason]);
  return r;
}

export type BuyCutResult =
  | { ok: true; redirectUrl: string; orderNumber: string }
  | (Refusal<'invalid'> & { fieldErrors: FieldErrors })
  | Refusal<'not_found' | 'not_allowed' | 'launch_ended' | 'already_paid' | 'not_yet' | 'unavailable' | 'inactive' | 'provider_failed'>;

const BUY_MESSAGES = {
  not_found: HELP_MESSAGES.not_found,
  not_allowed: 'Only the reader who started this bargain can buy it at this price.',
  launch_ended: 'This bargain has ended, so it can no longer be bought at its price.',
  already_paid: 'You have bought this bargain already.',
  not_yet: 'The bargain is still running: it can be bought once it reaches its lowest price (or when its time is up).',
  unavailable: 'This item is sold out now. Nothing was charged.',
  inactive: 'This item is no longer sold. Nothing was charged.',
} as const;

/** The launcher buys: one unit at the launch's price, shipped to the address on the form. */
export async function buyCut(
  app: App,
  { user, launchId, fields, now = Date.now() }: { user: { id: number } | null; launchId: string; fields: Record<string, string>; now?: number },
): Promise<BuyCutResult> {
  if (!user) return refuse('not_allowed', BUY_MESSAGES.not_allowed);
  const parsed = parseCheckoutForm({ ...fields, couponCode: '' }, app.config.checkout);
  if (!parsed.ok) return { ...refuse('invalid', 'Please check the highlighted fields.'), fieldErrors: parsed.errors as FieldErrors };
  const form = parsed.value;
  const config = app.config.checkout;
  const placed = await app.db.transaction(async (tx) => {
    // A checkout started earlier for this launch and not paid is replaced by this one.
    const earlier = await tx.select({ orderId: cutLaunches.orderId }).from(cutLaunches).where(eq(cutLaunches.id, launchId)).get();
    const claim = await claimLaunchForOrder(tx, launchId, user.id, now);
    if (!claim.ok) return claim;
    if (earlier?.orderId) await releaseOrder(tx, earlier.orderId, { now, actor: 'buyer', note: 'Replaced by a new checkout for the same bargain' });
    const order = await placeOfferOrder(tx, {
      form,
      config,
      provider: app.provider.name,
      variantId: claim.variantId,
      unitPriceCents: claim.priceCents,
      channel: 'cut',
      source: claim.source,
      buyerUserId: user.id,
      holdUntil: now + config.reservationTtlMs,
      now,
      note: 'Order placed for a help-cut bargain; stock reserved',
    });
    if (!order.ok) {
      // Nothing may be written on a refusal: undo the released hold with the rest.
      throw new OfferRefused(order.reason);
    }
    await attachLaunchOrder(tx, launchId, order.orderId);
    await rememberAddress(tx, user.id, form, now);
    return order;
  }).catch((err: unknown) => {
    if (err instanceof OfferRefused) return { ok: false as const, reason: err.reason };
    throw err;
  });
  if (!placed.ok) return refuse(placed.reason, BUY_MESSAGES[placed.reason]);
  try {
    const { redirectUrl } = await openOfferCheckout(app, placed, { cancelPath: cutPath(launchId) });
    return { ok: true, redirectUrl, orderNumber: placed.number };
  } catch (err) {
    console.error('payment provider failed to start checkout for a bargain', err);
    await app.db.transaction((tx) => releaseOrder(tx, placed.orderId, { now: Date.now(), actor: 'system', note: 'Payment provider could not start checkout' }));
    return refuse('provider_failed', 'We could not reach the payment provider. Nothing was charged — please try again in a moment.');
  }
}

/** Thrown inside the buy transaction to roll it back when the order cannot be placed. */
class OfferRefused extends Error {
  constructor(readonly reason: 'unavailable' | 'inactive') {
    super(reason);
  }
}
