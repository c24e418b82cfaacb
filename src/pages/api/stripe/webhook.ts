/**
 * POST /api/stripe/webhook — Stripe's event deliveries (ADR 0006). The logic lives in
 * src/server/checkout/stripe-webhook.ts; this adapter reads the RAW body (the signature is over the
 * exact bytes, so it must not be parsed first) and the Stripe-Signature header.
 *
 * Not found unless Stripe is configured (secret key and webhook secret). Astro's checkOrigin only
 * guards form content types; Stripe posts `application/json` without an Origin, which passes.
 */
import type { APIRoute } from 'astro';
import { STRIPE_SECRET_KEY } from 'astro:env/server';
import { applyPaymentEvent, stripeConfigured, stripeWebhookSecret } from '../../../lib/commerce.ts';
import { getDb } from '../../../lib/runtime.ts';
import { getStripe } from '../../../server/checkout/stripe-provider.ts';
import { handleStripeWebhook } from '../../../server/checkout/stripe-webhook.ts';

export const POST: APIRoute = async ({ request }) => {
  if (!stripeConfigured || !STRIPE_SECRET_KEY || !stripeWebhookSecret) {
    return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const db = await getDb();
  const answer = await handleStripeWebhook(db, {
    stripe: getStripe(STRIPE_SECRET_KEY),
    rawBody: await request.text(),
    signature: request.headers.get('stripe-signature'),
    secret: stripeWebhookSecret,
    apply: (event) => applyPaymentEvent(db, event),
  });
  return Response.json(answer.body, { status: answer.status, headers: { 'Cache-Control': 'no-store' } });
};
