// Moved to src/server/payments/stripe-webhook.ts (the payments capability); kept as a re-export.
export * from '../payments/stripe-webhook.ts';
