// Moved to src/server/shared/money.ts (one money formatter for the app); kept as a re-export.
export * from '../shared/money.ts';
