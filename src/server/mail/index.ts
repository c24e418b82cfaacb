/**
 * The mail capability's public face: other capabilities, workflows, pages and tests import
 * from here, never from the files behind it (docs/architecture.md).
 */
export * from './alert-template.ts';
export * from './invite-template.ts';
export * from './outbox.ts';
export * from './templates.ts';
export * from './transport.ts';
