/**
 * Shared fixtures for checkout tests: a config like the shop's defaults, a valid form, and a
 * helper that fills a bag and places an order through the real domain functions.
 */
import type { Db } from '../../src/server/db.ts';
import { addToBag } from '../../src/server/cart/index.ts';
import type { CheckoutConfig } from '../../src/server/checkout/index.ts';
import type { CheckoutForm } from '../../src/server/checkout/index.ts';
import { placeOrder } from '../../src/server/checkout/index.ts';

export const TEST_CHECKOUT: CheckoutConfig = {
  currency: 'USD',
  countries: ['US', 'GB', 'DE'],
  reservationTtlMs: 15 * 60_000,
  shippingMethods: [
    { id: 'standard', label: 'Standard delivery', priceCents: 595, freeOverCents: 15000, days: '3–5 business days' },
    { id: 'express', label: 'Express delivery', priceCents: 1495, freeOverCents: null, days: '1–2 business days' },
  ],
};

export const BUYER_FORM: CheckoutForm = {
  email: 'reader@example.com',
  name: 'Ada Reader',
  line1: '1 Main Street',
  line2: null,
  city: 'Springfield',
  region: null,
  postcode: '12345',
  country: 'US',
  shippingMethod: 'standard',
  couponCode: null,
};

export const anySource = () => true;

/** Puts `items` in a new bag and returns its id. */
export async function fillBag(db: Db, items: { sku: string; qty: number; post?: string; card?: number }[], now = Date.now()): Promise<string> {
  let cartId: string | undefined;
  for (const it of items) {
    const r = await addToBag(
      db,
      { sku: it.sku, qty: it.qty, source: it.post !== undefined && it.card !== undefined ? { kind: 'post', post: it.post, card: it.card } : { kind: 'direct' } },
      { cartId, now, checkSource: anySource },
    );
    if (!r.ok) throw new Error(`fillBag: ${r.reason}`);
    cartId = r.cartId;
  }
  return cartId!;
}

export async function placeTestOrder(db: Db, cartId: string, { now = Date.now(), form = BUYER_FORM }: { now?: number; form?: Partial<CheckoutForm> } = {}) {
  return placeOrder(db, { cartId, form: { ...BUYER_FORM, ...form }, config: TEST_CHECKOUT, provider: 'test', now });
}
