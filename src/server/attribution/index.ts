/**
 * The attribution capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './attribution.ts';
export * from './card-events.ts';
export * from './click-queue.ts';
export * from './clicks.ts';
export * from './ref-cookie.ts';
export * from './referral.ts';
