/**
 * The wishlist capability's public face (saved items, guest lists and their merge, restock and
 * price-drop alerts, creator boards): other capabilities, workflows, pages and tests import from
 * here, never from the files behind it (docs/architecture.md).
 */
export * from './rules.ts';
export * from './saved.ts';
export * from './alerts.ts';
export * from './boards.ts';
