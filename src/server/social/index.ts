/**
 * The social capability's public face (help-cut, group buy): other capabilities, workflows,
 * pages and tests import from here, never from the files behind it (docs/architecture.md).
 */
export * from './cut-rules.ts';
export * from './cuts.ts';
export * from './group-rules.ts';
export * from './groups.ts';
