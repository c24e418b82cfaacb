/**
 * The content capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './content-check.ts';
export * from './json-ld.ts';
export * from './posts.ts';
export * from './product-refs.ts';
