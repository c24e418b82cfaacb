/** Shared helpers used by every capability: results, time, secrets, formatting, email forms, URLs. */
export * from './address.ts';
export * from './config.ts';
export * from './csv-guard.ts';
export * from './email.ts';
export * from './format.ts';
export * from './money.ts';
export * from './paths.ts';
export * from './result.ts';
export * from './secrets.ts';
export * from './time.ts';
export * from './tracking.ts';
export * from './slug.ts';
