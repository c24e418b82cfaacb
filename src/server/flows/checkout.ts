/**
 * Workflows of the checkout page: the summary before an order exists (`quoteBag`), and "Place
 * order" (`startCheckout`): validate the form, confirm the total the buyer saw, place the pending
 * order with its stock reserved (one transaction), sign the order link, and hand the buyer to the
 * payment provider — releasing the hold if the provider cannot start (ADR 0006, ADR 0007).
 */
import { parseCheckoutForm, placeOrder, orderForPayment, quoteCheckout, setProviderSession, type FieldErrors, type Quote } from '../checkout/index.ts';
import { orderPath, orderToken, releaseOrder } from '../orders/index.ts';
import { getAppSecret } from '../shared/secrets.ts';
import { paths } from '../shared/paths.ts';
import { refuse, type Refusal } from '../shared/result.ts';
import type { App } from './app.ts';

export interface QuoteInput {
  cartId: string | undefined;
  shippingMethod?: string | null | undefined;
  couponCode?: string | null | undefined;
  email?: string | null | undefined;
}

export function quoteBag(app: App, input: QuoteInput, now = Date.now()): Promise<Quote> {
  return quoteCheckout(app.db, { ...input, config: app.config.checkout, now, formatMoney: app.fmt.money });
}

export type StartCheckoutResult =
  | { ok: true; redirectUrl: string; orderNumber: string }
  | (Refusal<'invalid' | 'coupon'> & { fieldErrors: FieldErrors })
  | Refusal<'changed' | 'empty_bag' | 'provider_failed'>
  | (Refusal<'unavailable'> & { lines: { title: string; variantLabel: string; available: number; wanted: number }[] });

export async function startCheckout(
  app: App,
  {
    cartId,
    fields,
    ref,
    now = Date.now(),
  }: {
    cartId: string;
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
  if (fields.expectedTotal !== String(seen.totals.totalCents)) {
    // No surprises in the total: the buyer confirms the total they will be charged.
    return refuse(
      'changed',
      `Your total is now ${app.fmt.money(seen.totals.totalCents)} (shipping, code or prices changed). Nothing was ordered — check the summary and place the order again.`,
    );
  }
  const placed = await placeOrder(app.db, { cartId, form, config, provider: app.provider.name, formatMoney: app.fmt.money, ref, now });
  if (!placed.ok) {
    if (placed.reason === 'empty_bag') return refuse('empty_bag', 'Your bag is empty.');
    if (placed.reason === 'unavailable') {
      return { ...refuse('unavailable', 'Some items are no longer available in the quantity you chose. Nothing was reserved or charged.'), lines: placed.lines };
    }
    return { ...refuse('coupon', placed.message), fieldErrors: { couponCode: placed.message } };
  }
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
