export * from './catalog.ts';
export * from './auth.ts';
