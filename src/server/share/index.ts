/**
 * The share capability's public face (ADR 0054): share-card content and layout, fonts, the PNG
 * renderer and the caches. Workflows (src/server/flows/share.ts) build a card's content from the
 * catalog, content and creators; pages call those workflows.
 */
export * from './card.ts';
export * from './cache.ts';
export * from './fonts.ts';
export * from './render.ts';
