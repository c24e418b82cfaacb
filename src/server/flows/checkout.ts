/**
 * Workflows of the checkout page: the summary before an order exists (`quoteBag`), and "Place
 * order" (`startCheckout`): validate the form, confirm the total the buyer saw, place the pending
 * order with its stock reserved (one transaction), sign the order link, and hand the buyer to the
 * payment provider — releasing the hold if the provider cannot start (ADR 0006, ADR 0007).
 * Placing the same bag again supersedes the buyer's earlier unpaid order: its hold is released in
 * the same transaction and its checkout session closed here (docs/decisions/0036-one-bag-one-payment.md).
 */
import { parseCheckoutForm, placeOrder, orderForPayment, paymentState, quoteCheckout, setProviderSession, type FieldErrors, type Quote } from '../checkout/index.ts';
import { orderPath, orderToken, releaseOrder } from '../orders/index.ts';
import { canonicalEmail, getAppSecret } from '../shared/index.ts';
import { paths } from '../shared/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { listAddresses, rememberAddress } from '../accounts/index.ts';
import type { App } from './app.ts';
import { checkFlashSales, parseClaimedSales, shopTimeText, type SaleRefusalReason } from '../sales/index.ts';

export interface QuoteInput {
  cartId: string | undefined;
  shippingMethod?: string | null | undefined;
  couponCode?: string | null | undefined;
  email?: string | null | undefined;
}

export function quoteBag(app: App, input: QuoteInput, now = Date.now()): Promise<Quote> {
  return quoteCheckout(app.db, { ...input, config: app.config.checkout, now, formatMoney: app.fmt.money });
}

/**
 * What the checkout form starts with for a signed-in buyer: their email and the address they
 * shipped to last (saved addresses, src/server/accounts). Empty for a guest.
 */
export async function checkoutDefaults(app: App, user: { id: number; email: string } | null): Promise<Record<string, string>> {
  if (!user) return {};
  const [last] = await listAddresses(app.db, user.id);
  const address: Record<string, string> = last
    ? { name: last.name, line1: last.line1, line2: last.line2 ?? '', city: last.city, region: last.region ?? '', postcode: last.postcode, country: last.country }
    : {};
  return { email: user.email, ...address };
}

export type StartCheckoutResult =
  | { ok: true; redirectUrl: string; orderNumber: string }
  | (Refusal<'invalid' | 'coupon'> & { fieldErrors: FieldErrors })
  | Refusal<'changed' | 'empty_bag' | 'provider_failed'>
  | Refusal<SaleRefusalReason>
  | (Refusal<'unavailable'> & { lines: { title: string; variantLabel: string; available: number; wanted: number }[] });

export async function startCheckout(
  app: App,
  {
    cartId,
    fields,
    ref,
    user = null,
    now = Date.now(),
  }: {
    cartId: string;
    /** The signed-in account (Astro.locals.user), recorded on the order: a creator is themselves. */
    user?: { id: number } | null;
    /** The posted form, as strings; `expectedTotal` is the total the buyer was shown, in minor units. */
    fields: Record<string, string>;
    ref: { clickId: string; creatorId: number; at: number } | null;
    now?: number;
  },
): Promise<StartCheckoutResult> {
  const config = app.config.checkout;
  const parsed = parseCheckoutForm(fields, config);
  if (!parsed.ok) return { ...refuse('invalid', 'Please check the highlighted fields.'), fieldErrors: parsed.errors as FieldErrors };
  const form = parsed.value;
  const seen = await quoteBag(app, { cartId, shippingMethod: form.shippingMethod, couponCode: form.couponCode, email: form.email }, now);
  // The flash sales the summary showed the buyer (ADR 0051). One that no longer prices their line
  // is explained in its own words — not started, ended, units gone — before the total check; the
  // same check runs again inside the order's transaction, which alone decides.
  const claimedSales = parseClaimedSales(fields.sales);
  const formatTime = (ms: number) => shopTimeText(ms, app.config.shop.timeZone);
  const saleWords = (r: { reason: SaleRefusalReason; message: string; title: string }) =>
    refuse(r.reason, r.reason === 'sale_ended' ? `${r.message.replace(/\.$/, '')} — ${r.title} is back to its regular price. Nothing was ordered: check the new total and place the order again.` : `${r.title}: ${r.message} Nothing was ordered.`);
  if (claimedSales.length > 0) {
    const check = await checkFlashSales(app.db, {
      lines: seen.lines.map((l) => ({ productId: l.productId ?? 0, variantId: l.variantId ?? 0, title: l.title, qty: l.qty, unitPriceCents: l.unitPriceCents, sale: l.sale })),
      claimed: claimedSales,
      buyer: { email: canonicalEmail(form.email), userId: user?.id ?? null },
      now,
      formatTime,
    });
    if (!check.ok) return saleWords(check);
  }
  if (fields.expectedTotal !== String(seen.totals.totalCents)) {
    // No surprises in the total: the buyer confirms the total they will be charged.
    return refuse(
      'changed',
      `Your total is now ${app.fmt.money(seen.totals.totalCents)} (shipping, code or prices changed). Nothing was ordered — check the summary and place the order again.`,
    );
  }
  const placed = await placeOrder(app.db, { cartId, form, config, provider: app.provider.name, formatMoney: app.fmt.money, ref, buyerUserId: user?.id ?? null, now, claimedSales, formatTime });
  if (!placed.ok) {
    if (placed.reason === 'empty_bag') return refuse('empty_bag', 'Your bag is empty.');
    if ('title' in placed) return saleWords(placed);
    if (placed.reason === 'unavailable') {
      return { ...refuse('unavailable', 'Some items are no longer available in the quantity you chose. Nothing was reserved or charged.'), lines: placed.lines };
    }
    return { ...refuse('coupon', placed.message), fieldErrors: { couponCode: placed.message } };
  }
  await expireSuperseded(app, placed.superseded);
  // A signed-in buyer's address is kept for next time (their account page lists and removes it).
  if (user) await rememberAddress(app.db, user.id, form, now);
  const site = app.config.shop.siteUrl;
  const secret = await getAppSecret(app.db, 'order_links');
  const statusUrl = new URL(orderPath(placed.number, orderToken(secret, placed.number)), site).href;
  try {
    const forPayment = await orderForPayment(app.db, placed.orderId);
    if (!forPayment) throw new Error(`order ${placed.orderId} vanished before payment`);
    const session = await app.provider.createCheckout(forPayment, { successUrl: `${statusUrl}&from=checkout`, cancelUrl: new URL(paths.checkout(), site).href });
    await setProviderSession(app.db, placed.orderId, session.sessionId);
    return { ok: true, redirectUrl: session.redirectUrl, orderNumber: placed.number };
  } catch (err) {
    console.error('payment provider failed to start checkout', err);
    await app.db.transaction((tx) => releaseOrder(tx, placed.orderId, { now: Date.now(), actor: 'system', note: 'Payment provider could not start checkout' }));
    return refuse('provider_failed', 'We could not reach the payment provider. Nothing was charged — please try again in a moment.');
  }
}

/**
 * Closes the checkout sessions of superseded orders, so the buyer cannot pay them any more. Best
 * effort: a session the provider will not expire (already complete or expired) is logged, and a
 * payment that still lands on a superseded order is refunded by the payment workflow.
 */
async function expireSuperseded(app: App, superseded: readonly { orderId: number; sessionId: string | null; provider: 'test' | 'stripe' }[]): Promise<void> {
  for (const s of superseded) {
    if (!s.sessionId || s.provider !== app.provider.name) continue;
    try {
      await app.provider.expireCheckout(s.sessionId);
    } catch (err) {
      console.warn(`could not expire checkout session of superseded order ${s.orderId}`, err instanceof Error ? err.message : err);
    }
  }
}

/** The session id an order holds between closing its old checkout session and opening a new one. */
const RETRY_MARK = 'retrying:';

export type RetryPaymentResult = { ok: true; redirectUrl: string } | Refusal<'not_found' | 'already_paid' | 'nothing_to_pay' | 'expired' | 'provider_failed'>;

/**
 * "Try again": a new payment for the same pending order while its hold lives (after "Pay later",
 * a payment page closed, or Back from the provider). The previous checkout session is closed first,
 * so the order can never be paid twice; then a new session is created for the same order, total and
 * hold. When the hold has ended (lapsed, or released by a declined payment) the answer is 'expired':
 * the buyer goes back to the bag, whose items are still there, and placing the order again holds
 * them anew (docs/decisions/0037-try-again.md).
 */
export async function retryPayment(app: App, orderId: number, { now = Date.now() }: { now?: number } = {}): Promise<RetryPaymentResult> {
  const o = await paymentState(app.db, orderId, now);
  if (!o || o.provider !== app.provider.name) return refuse('not_found', 'We could not find that order.');
  if (o.wasPaid) return refuse('already_paid', 'This order has been paid already — there is nothing more to pay.');
  if (o.superseded) return refuse('nothing_to_pay', 'You placed this bag again as a newer order, so this one can no longer be paid. Pay the newer order instead.');
  if (o.status !== 'pending' || !o.holdLive) {
    return refuse('expired', 'The hold on your items has ended, so this order can no longer be paid. Your bag still has them — place the order again to hold them anew.');
  }
  const site = app.config.shop.siteUrl;
  const secret = await getAppSecret(app.db, 'order_links');
  const statusUrl = new URL(orderPath(o.number, orderToken(secret, o.number)), site).href;
  if (o.sessionId && !o.sessionId.startsWith(RETRY_MARK)) {
    // Stop waiting on the old session before closing it: the provider reports the closing
    // (checkout.session.expired), and an expiry of a session the order no longer waits on is
    // ignored (stripe-webhook.ts) instead of canceling the order.
    await setProviderSession(app.db, o.id, `${RETRY_MARK}${now}`);
    try {
      await app.provider.expireCheckout(o.sessionId);
    } catch (err) {
      // Stripe refuses to expire a session that has completed: the payment is on its way.
      await setProviderSession(app.db, o.id, o.sessionId);
      console.warn(`could not expire the previous checkout session of order ${o.id}`, err instanceof Error ? err.message : err);
      return refuse('provider_failed', 'We could not close your earlier payment page. If you paid there, this page shows it in a moment; otherwise try again shortly.');
    }
  }
  try {
    const forPayment = await orderForPayment(app.db, o.id);
    if (!forPayment) throw new Error(`order ${o.id} vanished before payment`);
    const session = await app.provider.createCheckout(forPayment, { successUrl: `${statusUrl}&from=checkout`, cancelUrl: statusUrl }, { attempt: String(now) });
    await setProviderSession(app.db, o.id, session.sessionId);
    return { ok: true, redirectUrl: session.redirectUrl };
  } catch (err) {
    console.error('payment provider failed to start a new payment', err);
    return refuse('provider_failed', 'We could not reach the payment provider. Nothing was charged and your items are still held — please try again in a moment.');
  }
}
