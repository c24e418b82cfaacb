/**
 * The orders capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './admin-orders.ts';
export * from './admin-query.ts';
export * from './fulfil.ts';
export * from './order-emails.ts';
export * from './order-link-request.ts';
export * from './order-links.ts';
export * from './order-number.ts';
export * from './order-view.ts';
export * from './refund.ts';
export * from './release.ts';
export { OWED_HOLD_UNTIL } from './preorders.ts';
export * from './state.ts';
export * from './fulfilment.ts';
export * from './shipments.ts';
export * from './account-orders.ts';
