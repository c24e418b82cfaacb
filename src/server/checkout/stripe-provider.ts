// Moved to src/server/payments/stripe-provider.ts (the payments capability); kept as a re-export.
export * from '../payments/stripe-provider.ts';
