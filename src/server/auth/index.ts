/**
 * The auth capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './access.ts';
export * from './login.ts';
export * from './password.ts';
export * from './rate-limit.ts';
export * from './session.ts';
export * from './types.ts';
export * from './users.ts';
export * from './login-links.ts';
