/**
 * The cart capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './cart.ts';
export * from './cart-store.ts';
