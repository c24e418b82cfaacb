/** Shared helpers used by every capability: results, time, secrets, formatting, email forms, URLs. */
export * from './result.ts';
export * from './time.ts';
export * from './secrets.ts';
export * from './format.ts';
export * from './money.ts';
export * from './email.ts';
export * from './paths.ts';
export * from './address.ts';
