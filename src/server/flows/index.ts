/**
 * The application layer's face: one workflow per user action, composing the capabilities with
 * every dependency required (docs/architecture.md, docs/decisions/0011-application-layer.md).
 * Pages, scripts, the seed and tests call these; nothing else wires capabilities together.
 */
export * from './app.ts';
export * from './pay.ts';
export * from './checkout.ts';
export * from './order-admin.ts';
export * from './sweep.ts';
export * from './invites.ts';
export * from './sign-in.ts';
export * from './coupon-admin.ts';
export * from './creator-admin.ts';
export * from './home.ts';
export * from './studio.ts';
export * from './content-health.ts';
export * from './admin-home.ts';
export * from './customers.ts';
export * from './product-list.ts';
export * from './product-admin.ts';
export * from './reader-account.ts';
export * from './cuts.ts';
export * from './social-dashboard.ts';
export * from './groups.ts';
export * from './group-pages.ts';
export * from './share.ts';
export * from './reviews.ts';
export * from './sales.ts';
export * from './wishlist.ts';
