/**
 * The payment step shared by the orders of one item at an offer price (a help-cut bought, a group
 * seat): sign the order link, ask the provider for a checkout session (a group seat authorises
 * only: capture 'manual'), and remember the session on the order. The caller undoes its own writes
 * when this throws (the provider could not start).
 */
import { orderForPayment, setProviderSession } from '../checkout/index.ts';
import { orderPath, orderToken } from '../orders/index.ts';
import { getAppSecret } from '../shared/index.ts';
import type { CaptureMethod } from '../payments/index.ts';
import type { App } from './app.ts';

export async function openOfferCheckout(
  app: App,
  order: { orderId: number; number: string },
  { cancelPath, capture = 'automatic' }: { cancelPath: string; capture?: CaptureMethod },
): Promise<{ redirectUrl: string }> {
  const site = app.config.shop.siteUrl;
  const secret = await getAppSecret(app.db, 'order_links');
  const statusUrl = new URL(orderPath(order.number, orderToken(secret, order.number)), site).href;
  const forPayment = await orderForPayment(app.db, order.orderId);
  if (!forPayment) throw new Error(`order ${order.orderId} vanished before payment`);
  const session = await app.provider.createCheckout(forPayment, { successUrl: `${statusUrl}&from=checkout`, cancelUrl: new URL(cancelPath, site).href }, { capture });
  await setProviderSession(app.db, order.orderId, session.sessionId);
  return { redirectUrl: session.redirectUrl };
}
