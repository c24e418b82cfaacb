/**
 * Named fixtures shared by the seed, the tests and the README (dev-only demo logins).
 */
export const DEMO_ADMIN = { email: 'admin@lookbook.test', password: 'lookbook-admin-demo' } as const;
/** Every seeded creator logs in with their CREATORS email and this password (dev only). */
export const DEMO_CREATOR_PASSWORD = 'lookbook-creator-demo';

/** A shop-wide welcome code in the demo (10% off, once per email). */
export const DEMO_SHOP_COUPON = {
  code: 'WELCOME10',
  kind: 'percent' as const,
  percentOff: 10,
  perEmailLimit: 1,
  createdAt: Date.UTC(2026, 9, 1),
};

/**
 * A creator's referral code in the demo: the first part of the handle, upper-case
 * (maya-okafor → MAYA). Their personal discount code is that plus "15" (MAYA15, 15% off).
 */
export function referralCodeFor(handle: string): string {
  return handle.split('-')[0]!.toUpperCase();
}
