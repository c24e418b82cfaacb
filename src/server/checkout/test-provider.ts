// Moved to src/server/payments/test-provider.ts (the payments capability); kept as a re-export.
export * from '../payments/test-provider.ts';
