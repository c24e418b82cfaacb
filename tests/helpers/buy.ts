/**
 * Real orders for tests (admin figures, customers, the admin e2e pages): a bag filled through the cart (a line from a creator's post, or
 * bought directly), placed through checkout and — unless told not to — paid through the payment
 * workflow, so lines are credited and priced exactly as in the shop.
 */
import { addToBag } from '../../src/server/cart/index.ts';
import { placeOrder } from '../../src/server/checkout/index.ts';
import { applyPaymentEvent, type App } from '../../src/server/flows/index.ts';
import { testPaymentEvent } from '../../src/server/payments/index.ts';
import { BUYER_FORM, TEST_CHECKOUT } from './checkout.ts';

let seq = 0;
/** Unique per process, so two runs against one database never repeat a payment event id. */
const RUN = Date.now().toString(36);

export interface BuyItem {
  sku: string;
  qty: number;
  /** Added from a card in this creator's post (credited "post"); without it, bought directly. */
  creator?: string;
}

export async function buy(app: App, items: BuyItem[], { email, at, pay = true }: { email: string; at: number; pay?: boolean }): Promise<{ orderId: number }> {
  let cartId: string | undefined;
  for (const it of items) {
    const source = it.creator ? ({ kind: 'post', post: `${it.creator}-look`, card: 0 } as const) : ({ kind: 'direct' } as const);
    const r = await addToBag(app.db, { sku: it.sku, qty: it.qty, source }, { cartId, now: at, checkSource: () => it.creator ?? true });
    if (!r.ok) throw new Error(`addToBag ${it.sku}: ${r.reason}`);
    cartId = r.cartId;
  }
  const placed = await placeOrder(app.db, { cartId: cartId!, form: { ...BUYER_FORM, email }, config: TEST_CHECKOUT, provider: 'test', now: at });
  if (!placed.ok) throw new Error(`placeOrder: ${JSON.stringify(placed)}`);
  if (pay) {
    const r = await applyPaymentEvent(app, testPaymentEvent(placed.orderId, `test_cs_admin_${RUN}_${String(++seq).padStart(6, '0')}`, 'pay'), { now: at });
    if (r.outcome !== 'fulfilled') throw new Error(`payment: ${r.outcome}`);
  }
  return { orderId: placed.orderId };
}
