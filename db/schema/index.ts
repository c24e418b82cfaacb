export * from './catalog.ts';
export * from './auth.ts';
export * from './commerce.ts';
export * from './credit.ts';
export * from './content.ts';
export * from './social.ts';
export * from './reviews.ts';
export * from './sales.ts';
