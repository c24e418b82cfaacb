// Moved to src/server/payments/provider.ts (the payments capability); kept as a re-export.
export type * from '../payments/provider.ts';
