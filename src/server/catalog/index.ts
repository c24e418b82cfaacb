/**
 * The catalog capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './admin-products.ts';
export * from './catalog.ts';
export * from './catalog-admin.ts';
export * from './catalog-store.ts';
export * from './money-input.ts';
export * from './picker.ts';
export * from './product-input.ts';
export * from './product-write.ts';
export * from './product-gallery.ts';
export * from './product-read.ts';
export * from './taxonomy.ts';
export * from './render-cache.ts';
export * from './shop-query.ts';
export * from './version-reader.ts';
export * from './replacements.ts';
export * from './admin-list.ts';
export * from './product-csv.ts';
export * from './product-csv-store.ts';
