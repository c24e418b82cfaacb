// @ts-check
import { defineConfig, envField } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import mdx from '@astrojs/mdx';
import lookbookDirectives from './src/directives/integration.mjs';

const site = process.env.SITE_URL ?? 'http://127.0.0.1:4321';

// https://docs.astro.build/en/reference/configuration-reference/
export default defineConfig({
  site,
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [react(), mdx(), lookbookDirectives()],
  server: { host: '127.0.0.1', port: 4321 },
  security: { checkOrigin: true },
  trailingSlash: 'ignore',
  build: { inlineStylesheets: 'auto' },
  prefetch: false,
  devToolbar: { enabled: false },
  env: {
    // Every variable the app reads is declared here and read through astro:env/server only
    // (docs/architecture.md, rule 7). `secret` access = read at run time, never inlined into a bundle.
    validateSecrets: true,
    schema: {
      DATABASE_URL: envField.string({ context: 'server', access: 'secret', default: 'file:db/local.db' }),
      DATABASE_AUTH_TOKEN: envField.string({ context: 'server', access: 'secret', optional: true }),
      SHOP_NAME: envField.string({ context: 'server', access: 'secret', default: 'Lookbook', min: 1, max: 60 }),
      SHOP_CURRENCY: envField.enum({ context: 'server', access: 'secret', values: ['USD', 'EUR', 'GBP'], default: 'USD' }),
      SHOP_LOCALE: envField.enum({ context: 'server', access: 'secret', values: ['en-US', 'en-GB', 'de-DE', 'fr-FR'], default: 'en-US' }),
      RENDER_CACHE_ENTRIES: envField.number({ context: 'server', access: 'secret', default: 500, int: true, min: 0, max: 100000 }),
      SECURE_COOKIES: envField.boolean({ context: 'server', access: 'secret', default: false }),
      // Mail (ADR 0005): SMTP through nodemailer when set (smtp://user:pass@host:587), else the outbox at /dev/mail.
      SMTP_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      MAIL_FROM: envField.string({ context: 'server', access: 'secret', default: 'Lookbook <orders@lookbook.test>', min: 3 }),
      SITE_URL: envField.string({ context: 'server', access: 'secret', default: 'http://127.0.0.1:4321', url: true }),
      // Checkout
      STRIPE_SECRET_KEY: envField.string({ context: 'server', access: 'secret', optional: true, startsWith: 'sk_' }),
      STRIPE_WEBHOOK_SECRET: envField.string({ context: 'server', access: 'secret', optional: true, startsWith: 'whsec_' }),
      RESERVATION_TTL_MINUTES: envField.number({ context: 'server', access: 'secret', default: 15, int: true, min: 1, max: 120 }),
      SHIP_COUNTRIES: envField.string({ context: 'server', access: 'secret', default: 'US,CA,GB,IE,DE,FR,NL,AU' }),
      SHIPPING_STANDARD_CENTS: envField.number({ context: 'server', access: 'secret', default: 595, int: true, min: 0, max: 100000 }),
      SHIPPING_EXPRESS_CENTS: envField.number({ context: 'server', access: 'secret', default: 1495, int: true, min: 0, max: 100000 }),
      // Credit: attribution and commissions
      ATTRIBUTION_WINDOW_DAYS: envField.number({ context: 'server', access: 'secret', default: 30, int: true, min: 1, max: 90 }),
      COMMISSION_DEFAULT_RATE_BPS: envField.number({ context: 'server', access: 'secret', default: 1000, int: true, min: 0, max: 5000 }),
      COMMISSION_LOCK_DAYS: envField.number({ context: 'server', access: 'secret', default: 30, int: true, min: 14, max: 90 }),
      PAYOUT_THRESHOLD_CENTS: envField.number({ context: 'server', access: 'secret', default: 2500, int: true, min: 0, max: 10000000 }),
      FREE_SHIPPING_OVER_CENTS: envField.number({ context: 'server', access: 'secret', default: 15000, int: true, min: 0, max: 10000000 }),
    },
  },
});
