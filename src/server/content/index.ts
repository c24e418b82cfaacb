/**
 * The content capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './content-check.ts';
export * from './json-ld.ts';
export * from './pagination.ts';
export * from './posts.ts';
export * from './product-refs.ts';
export * from './preview-token.ts';
export * from './sitemap.ts';
export * from './studio-doc.ts';
export * from './studio-mdx.ts';
export * from './studio-profile.ts';
export * from './studio-rules.ts';
export * from './studio-store.ts';
export * from './content-health.ts';
export * from './health-store.ts';
export * from './studio-cards.ts';
