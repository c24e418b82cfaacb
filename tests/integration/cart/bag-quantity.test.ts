/**
 * The bag offers and accepts quantities only up to what can be bought: a change to more than is
 * left is refused with the number left, writing nothing; removing and lowering still work.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { addToBag, loadBag, setLineQty } from '../../../src/server/cart/index.ts';
import { qtyChoices, stockMessage } from '../../../src/server/cart/index.ts';
import { cartLines, variants } from '../../../db/schema/index.ts';

let db: Db;
const T0 = Date.UTC(2026, 10, 1, 12);
const checkSource = () => true;

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, { slug: 'three-left', variants: [makeVariant({ sku: 'THREE', priceCents: 5000, stock: 3 })] });
});
afterAll(() => db.$client.close());

async function bagWithOne() {
  const r = await addToBag(db, { sku: 'THREE', qty: 1, source: { kind: 'direct' } }, { now: T0, checkSource });
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe('bag quantities', () => {
  it('a change to more than is left is refused with the number left, and writes nothing', async () => {
    const { cartId, lineId } = await bagWithOne();
    expect(await setLineQty(db, cartId, lineId, 4, T0)).toEqual({ ok: false, reason: 'not_enough_stock', available: 3 });
    expect((await db.select({ qty: cartLines.qty }).from(cartLines).where(eq(cartLines.id, lineId)).get())?.qty).toBe(1);
    expect(await setLineQty(db, cartId, lineId, 3, T0)).toEqual({ ok: true });
    expect((await loadBag(db, cartId, T0))[0]?.qty).toBe(3);
    expect(stockMessage('not_enough_stock', 3)).toBe('Only 3 left — choose 3 or fewer.');
  });

  it('offers 1 up to the stock left, and the most there is when the line holds more', async () => {
    const { cartId, lineId } = await bagWithOne();
    await setLineQty(db, cartId, lineId, 3, T0);
    // Stock falls to 2 after the line was set (another buyer, an admin edit).
    await db.update(variants).set({ stockOnHand: 2 }).where(eq(variants.sku, 'THREE'));
    const [line] = await loadBag(db, cartId, T0);
    expect(qtyChoices(line!)).toEqual({ options: [1, 2], selected: 2 });
    expect(await setLineQty(db, cartId, lineId, 3, T0)).toMatchObject({ ok: false, available: 2 });
    expect(await setLineQty(db, cartId, lineId, 2, T0)).toEqual({ ok: true });
    // Sold out: only removing is left to do, and it works.
    await db.update(variants).set({ stockOnHand: 0 }).where(eq(variants.sku, 'THREE'));
    expect(await setLineQty(db, cartId, lineId, 1, T0)).toEqual({ ok: false, reason: 'sold_out', available: 0 });
    expect(await setLineQty(db, cartId, lineId, 0, T0)).toEqual({ ok: true });
    expect(await loadBag(db, cartId, T0)).toEqual([]);
    await db.update(variants).set({ stockOnHand: 3 }).where(eq(variants.sku, 'THREE'));
  });

  it('never more than the per-line limit, however much is in stock', () => {
    expect(qtyChoices({ qty: 4, available: 500 }).options).toHaveLength(10);
  });
});
