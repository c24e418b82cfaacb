/**
 * The `App` the workflows receive, for tests: a real database, the built-in test payment provider
 * (or one the test passes), the outbox mail transport and the shop's default configuration — the
 * same composition src/lib/app.ts builds for pages and scripts/lib/app.ts for the seed.
 * @example const app = testApp(db); await applyPaymentEvent(app, event, { now });
 */
import type { Db } from '../../src/server/db.ts';
import { appConfigFrom, applyPaymentEvent, createApp, type App, type AppConfig } from '../../src/server/flows/index.ts';
import { createMailTransport } from '../../src/server/mail/index.ts';
import { createTestProvider, testPaymentEvent, type PaymentProvider } from '../../src/server/payments/index.ts';
import { addToBag } from '../../src/server/cart/index.ts';
import { placeOrder } from '../../src/server/checkout/index.ts';
import { makeProduct, makeVariant } from '../../db/factories/factories.ts';
import { loadConfig } from '../../src/server/shared/index.ts';
import { BUYER_FORM, TEST_CHECKOUT } from './checkout.ts';

const defaults = loadConfig({});
if (!defaults.ok) throw new Error(defaults.errors.join('; '));

/** The defaults, with the checkout of tests/helpers/checkout.ts (US, GB, DE). */
export const TEST_CONFIG: AppConfig = { ...appConfigFrom(defaults.values), checkout: TEST_CHECKOUT };

export function testApp(db: Db, { provider = createTestProvider(), config = {} }: { provider?: PaymentProvider; config?: Partial<AppConfig> } = {}): App {
  return createApp({ db, provider, mail: createMailTransport({ from: 'Lookbook <orders@lookbook.test>' }), config: { ...TEST_CONFIG, ...config }, deliverMailAfterCommit: false });
}

let saleSeq = 0;

/**
 * A paid order of one new product at `priceCents`, added from a card in `handle`'s post (or, with
 * `coupon`, bought directly with that code), paid through the payment workflow — so it is credited
 * and in the ledger exactly as a real sale. Returns the order id.
 */
export async function paidSale(
  app: App,
  handle: string,
  priceCents: number,
  at: number,
  { category, coupon }: { category?: string; coupon?: string } = {},
): Promise<number> {
  const { db } = app;
  const seq = ++saleSeq;
  const p = await makeProduct(db, { ...(category ? { category } : {}), variants: [makeVariant({ priceCents, stock: 100 })] });
  const source = coupon ? ({ kind: 'direct' } as const) : ({ kind: 'post', post: 'a-post', card: 0 } as const);
  const bag = await addToBag(db, { sku: p.variants[0]!.sku, qty: 1, source }, { now: at, checkSource: () => handle });
  if (!bag.ok) throw new Error(bag.reason);
  const form = { ...BUYER_FORM, email: `buyer${seq}@example.com`, couponCode: coupon ?? null };
  const placed = await placeOrder(db, { cartId: bag.cartId, form, config: TEST_CHECKOUT, provider: 'test', now: at });
  if (!placed.ok) throw new Error(placed.reason === 'coupon' ? placed.message : placed.reason);
  await applyPaymentEvent(app, testPaymentEvent(placed.orderId, `test_cs_sale_${String(seq).padStart(12, '0')}`, 'pay'), { now: at });
  return placed.orderId;
}
