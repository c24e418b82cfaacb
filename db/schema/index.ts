export * from './catalog.ts';
export * from './auth.ts';
export * from './commerce.ts';
