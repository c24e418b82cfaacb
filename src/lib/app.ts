/**
 * The composition root for pages: configuration from astro:env/server, the payment provider chosen
 * by configuration (Stripe when STRIPE_SECRET_KEY is set, else the built-in test provider —
 * ADR 0006), and the one `App` every workflow in src/server/flows receives. Pages call
 * `getApp()` and a workflow; they never wire capabilities together themselves.
 */
import * as env from 'astro:env/server';
import type { CheckoutConfig } from '../server/checkout/index.ts';
import { appConfigFrom, createApp, runSweepers, type App, type AppConfig } from '../server/flows/index.ts';
import { createTestProvider, type PaymentProvider } from '../server/payments/index.ts';
import { getDb, getMailTransport } from './runtime.ts';

const { SITE_URL, STRIPE_API_URL, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET } = env;

export const appConfig: AppConfig = appConfigFrom(env);
export const checkoutConfig: CheckoutConfig = appConfig.checkout;
export const creditSettings: AppConfig['credit'] = appConfig.credit;

export const siteUrl = SITE_URL;
export const stripeConfigured = Boolean(STRIPE_SECRET_KEY);
export const stripeWebhookSecret = STRIPE_WEBHOOK_SECRET;

let provider: Promise<PaymentProvider> | undefined;
/** The configured provider: Stripe when a key is set, else the built-in test provider. */
export function getPaymentProvider(): Promise<PaymentProvider> {
  provider ??= (async () => {
    if (!STRIPE_SECRET_KEY) return createTestProvider();
    const { createStripeProvider } = await import('../server/payments/index.ts');
    return createStripeProvider({ secretKey: STRIPE_SECRET_KEY, siteUrl: SITE_URL, apiUrl: STRIPE_API_URL });
  })().catch((err: unknown) => {
    provider = undefined; // do not cache a failed start
    throw err;
  });
  return provider;
}

let app: Promise<App> | undefined;
/** The process-wide application context for workflows. */
export function getApp(): Promise<App> {
  app ??= (async () => createApp({ db: await getDb(), provider: await getPaymentProvider(), mail: getMailTransport(), config: appConfig, deliverMailAfterCommit: true }))().catch((err: unknown) => {
    app = undefined;
    throw err;
  });
  return app;
}

/** The sweepers, for scripts/serve.mjs (registered on a well-known symbol when the app loads). */
export async function runSweep() {
  return runSweepers(await getApp());
}
(globalThis as Record<symbol, unknown>)[Symbol.for('lookbook.sweep')] = runSweep;
