/**
 * POST /api/stripe/webhook — Stripe's event deliveries (ADR 0006). The logic lives in
 * src/server/payments/stripe-webhook.ts; this adapter reads the RAW body (the signature is over the
 * exact bytes, so it must not be parsed first) and the Stripe-Signature header.
 *
 * Not found unless Stripe is configured (secret key and webhook secret). Astro's checkOrigin only
 * guards form content types; Stripe posts `application/json` without an Origin, which passes.
 */
import type { APIRoute } from 'astro';
import { STRIPE_API_URL, STRIPE_SECRET_KEY } from 'astro:env/server';
import { getApp, stripeConfigured, stripeWebhookSecret } from '../../../lib/app.ts';
import { applyPaymentEvent } from '../../../server/flows/index.ts';
import { getStripe, handleStripeWebhook } from '../../../server/payments/index.ts';

export const POST: APIRoute = async ({ request }) => {
  if (!stripeConfigured || !STRIPE_SECRET_KEY || !stripeWebhookSecret) {
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const app = await getApp();
  const answer = await handleStripeWebhook(app.db, {
    stripe: getStripe(STRIPE_SECRET_KEY, STRIPE_API_URL),
    rawBody: await request.text(),
    signature: request.headers.get('stripe-signature'),
    secret: stripeWebhookSecret,
    apply: (event) => applyPaymentEvent(app, event),
  });
  return Response.json(answer.body, { status: answer.status, headers: { 'Cache-Control': 'no-store' } });
};
