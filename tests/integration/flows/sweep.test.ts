/** The sweeper tidies lapsed orders and retries late refunds; running it twice changes nothing more. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { fillBag, placeTestOrder } from '../../helpers/checkout.ts';
import { runSweepers } from '../../../src/server/flows/index.ts';
import { testApp } from '../../helpers/app.ts';
import { orders } from '../../../db/schema/index.ts';

let db: Db;
const T0 = Date.UTC(2026, 10, 1);
beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, { slug: 'tee', variants: [makeVariant({ sku: 'TEE', stock: 5 })] });
});
afterAll(() => db.$client.close());

it('cancels pending orders whose reservation lapsed, once', async () => {
  const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0), { now: T0 });
  if (!placed.ok) throw new Error('expected order');
  const app = testApp(db);
  // still within its reservation: left alone
  expect((await runSweepers(app, T0 + 10 * 60_000)).lapsedOrdersCanceled).toBe(0);
  const report = await runSweepers(app, T0 + 30 * 60_000);
  expect(report.lapsedOrdersCanceled).toBe(1);
  expect((await db.select().from(orders).where(eq(orders.id, placed.orderId)).get())?.status).toBe('canceled');
  expect((await runSweepers(app, T0 + 31 * 60_000)).lapsedOrdersCanceled).toBe(0);
});

it('retries a late refund that failed before', async () => {
  const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE', qty: 1 }], T0), { now: T0 });
  if (!placed.ok) throw new Error('expected order');
  await db.update(orders).set({ status: 'canceled', needsRefund: true }).where(eq(orders.id, placed.orderId));
  const report = await runSweepers(testApp(db), T0 + 60 * 60_000);
  expect(report.lateRefundsRetried).toBe(1);
  expect(await db.select().from(orders).where(eq(orders.id, placed.orderId)).get()).toMatchObject({ status: 'refunded', needsRefund: false });
});
