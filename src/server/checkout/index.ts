/**
 * The checkout capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './admin-coupons.ts';
export * from './checkout-form.ts';
export * from './place-order.ts';
export * from './price-bag.ts';
export * from './pricing.ts';
export * from './quote.ts';
export * from './place-offer-order.ts';
