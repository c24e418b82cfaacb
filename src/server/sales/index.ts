/**
 * The sales capability's public face (flash sales, scheduled markdowns, presale): other
 * capabilities, workflows, pages and tests import from here, never from the files behind it
 * (docs/architecture.md). It depends on `shared` and the schema only, so catalog, cart and checkout
 * can all price through it without a circle.
 */
export * from './pricing.ts';
export * from './presale.ts';
export * from './sales-store.ts';
export * from './sale-input.ts';
export * from './sales-admin.ts';
