/**
 * Back from the payment page: the buyer's own unpaid order holds the last unit. That hold is
 * theirs — their bag shows the unit as available and can be placed again (which supersedes the
 * earlier order) — while to everybody else the unit stays held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { fillBag } from '../../helpers/checkout.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { schema, type Db } from '../../../src/server/db.ts';
import { lineWarning, loadBag } from '../../../src/server/cart/index.ts';
import { quoteBag, startCheckout } from '../../../src/server/flows/index.ts';

const FORM = { email: 'ada@example.com', name: 'Ada Lovelace', line1: '1 Loom Street', line2: '', city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard', couponCode: '' };
let db: Db;

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.$client.close());

describe("the buyer's own hold", () => {
  it('counts as theirs in their bag and checkout, and as held for everybody else', async () => {
    const app = testApp(db);
    const p = await makeProduct(db, { variants: [makeVariant({ sku: 'LAST-ONE', stock: 1, priceCents: 3000 })] });
    const mine = await fillBag(db, [{ sku: 'LAST-ONE', qty: 1 }]);
    const theirs = await fillBag(db, [{ sku: 'LAST-ONE', qty: 1 }]);
    const q = await quoteBag(app, { cartId: mine, shippingMethod: 'standard', email: FORM.email });
    const first = await startCheckout(app, { cartId: mine, fields: { ...FORM, expectedTotal: String(q.totals.totalCents) }, ref: null });
    expect(first.ok).toBe(true);

    // Back from the payment page: the bag and the checkout are not blocked by the buyer's own order.
    const [line] = await loadBag(db, mine);
    expect(line).toMatchObject({ available: 1, qty: 1 });
    expect(lineWarning(line!)).toBeNull();
    const again = await quoteBag(app, { cartId: mine, shippingMethod: 'standard', email: FORM.email });
    expect(again.blocked).toBe(false);
    const second = await startCheckout(app, { cartId: mine, fields: { ...FORM, expectedTotal: String(again.totals.totalCents) }, ref: null });
    expect(second).toMatchObject({ ok: true });

    // Another buyer still sees the unit held.
    const [other] = await loadBag(db, theirs);
    expect(other!.available).toBe(0);
    expect(lineWarning(other!)).not.toBeNull();
    expect((await quoteBag(app, { cartId: theirs })).blocked).toBe(true);
    expect((await db.select().from(schema.variants).where(eq(schema.variants.id, p.variants[0]!.id)).get())!.stockOnHand).toBe(1);
  });
});
