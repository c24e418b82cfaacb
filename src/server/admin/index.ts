/**
 * The admin capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './overview.ts';
export * from './home.ts';
export * from './customers.ts';
