/**
 * The payments capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './provider.ts';
export * from './stripe-provider.ts';
export * from './stripe-webhook.ts';
export * from './test-provider.ts';
