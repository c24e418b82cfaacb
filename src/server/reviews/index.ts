/**
 * The reviews capability's public face: verified buyer reviews and buyer shows (晒单), their
 * photos, moderation and reports (docs/decisions/0052-verified-buyer-reviews.md). Callers import
 * from here, never the files behind it.
 */
export * from './review-rules.ts';
export * from './review-store.ts';
export * from './review-form.ts';
export * from './review-json-ld.ts';
