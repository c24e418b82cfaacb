/**
 * Named fixtures shared by the seed, the tests and the README (dev-only demo logins).
 */
export const DEMO_ADMIN = { email: 'admin@lookbook.test', password: 'lookbook-admin-demo' } as const;
/** Every seeded creator logs in with their CREATORS email and this password (dev only). */
export const DEMO_CREATOR_PASSWORD = 'lookbook-creator-demo';
