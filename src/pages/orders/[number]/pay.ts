/**
 * POST /orders/<number>/pay?t=<token> — "Pay now" / "Try again" on the order page: a new payment
 * for the same pending order while its hold lives (the retryPayment workflow). Reached only with
 * the order's signed link. On success the buyer goes to the payment page; when the hold has ended
 * they go back to their bag (its items are still there); otherwise back to the order page, which
 * says what happened.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { retryPayment } from '../../../server/flows/index.ts';
import { getOrderByNumber, normaliseOrderNumber, orderPath, verifyOrderToken } from '../../../server/orders/index.ts';
import { bagPaths, getAppSecret } from '../../../server/shared/index.ts';

const noStore = { 'Cache-Control': 'private, no-store' };

export const POST: APIRoute = async ({ params, url, redirect }) => {
  const app = await getApp();
  const number = normaliseOrderNumber(params.number ?? '');
  const token = url.searchParams.get('t');
  if (!number || !verifyOrderToken(await getAppSecret(app.db, 'order_links'), number, token)) {
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...noStore } });
  }
  const order = await getOrderByNumber(app.db, number);
  if (!order) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...noStore } });
  const r = await retryPayment(app, order.id);
  if (r.ok) return redirect(r.redirectUrl, 303);
  if (r.reason === 'expired') return redirect(bagPaths.bag(), 303);
  return redirect(`${orderPath(number, token!)}&retry=${r.reason === 'provider_failed' ? 'failed' : 'closed'}`, 303);
};
