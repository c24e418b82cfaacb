/**
 * The commissions capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './admin-creators.ts';
export * from './chart-ticks.ts';
export * from './commission.ts';
export * from './creator-codes.ts';
export * from './creator-emails.ts';
export * from './creator-profile.ts';
export * from './credit-reason.ts';
export * from './csv.ts';
export * from './dashboard.ts';
export * from './dashboard-range.ts';
export * from './invites.ts';
export * from './ledger.ts';
export * from './payouts.ts';
// Both dashboard.ts and payouts.ts name a row type PayoutRow; the face exposes the payouts one.
export type { PayoutRow } from './payouts.ts';
