import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { outboxEmails } from '../../../db/schema/index.ts';
import { fillBag, placeTestOrder } from '../../helpers/checkout.ts';
import { verifyOrderToken } from '../../../src/server/orders/index.ts';
import { ORDER_LINK_IP_POLICY, ORDER_LINK_PER_ORDER_PER_HOUR, parseOrderLinkForm, requestOrderLink } from '../../../src/server/orders/index.ts';

const ctx = { shopName: 'Lookbook', siteUrl: 'http://127.0.0.1:4321', linkSecret: 'test-secret' };
const T0 = Date.UTC(2026, 2, 10, 12);
let db: Db;
let order: { orderId: number; number: string };

const linkMails = () => db.select().from(outboxEmails).where(eq(outboxEmails.kind, 'order_link'));

beforeAll(async () => {
  db = await createTestDb();
  await makeProduct(db, { slug: 'tee', variants: [makeVariant({ sku: 'TEE-M', size: 'M', priceCents: 2610, stock: 10 })] });
  const placed = await placeTestOrder(db, await fillBag(db, [{ sku: 'TEE-M', qty: 1 }], T0), { now: T0, form: { email: 'ada@example.com' } });
  if (!placed.ok) throw new Error('placeOrder failed');
  order = placed;
});
afterAll(() => db.$client.close());

describe('find my order', () => {
  it('validates the form in people\'s words and accepts the number as typed', () => {
    expect(parseOrderLinkForm({ email: ' Ada@Example.com ', number: order.number.toLowerCase().replaceAll('-', ' ') })).toEqual({ ok: true, email: 'ada@example.com', number: order.number });
    expect(parseOrderLinkForm({ email: 'nope', number: '12' })).toEqual({
      ok: false,
      errors: { email: 'Enter an email address like name@example.com.', number: 'That is not an order number. It looks like LB-7KX4-M2QD and is in your confirmation email.' },
    });
  });

  it('emails a fresh signed link through the outbox when email and number match', async () => {
    expect(await requestOrderLink(db, { email: 'ADA@example.com', number: order.number, ip: '203.0.113.1', ctx, now: T0 })).toEqual({ ok: true });
    const mails = await linkMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe('ada@example.com');
    const url = new URL(/Open your order: (\S+)/.exec(mails[0]!.textBody)![1]!);
    expect(url.pathname).toBe(`/orders/${order.number}`);
    expect(verifyOrderToken(ctx.linkSecret, order.number, url.searchParams.get('t'))).toBe(true);
  });

  it('answers the same and sends nothing for a wrong email or an unknown number (no enumeration)', async () => {
    const before = (await linkMails()).length;
    expect(await requestOrderLink(db, { email: 'mallory@example.com', number: order.number, ip: '203.0.113.2', ctx, now: T0 })).toEqual({ ok: true });
    expect(await requestOrderLink(db, { email: 'ada@example.com', number: 'LB-2222-2222', ip: '203.0.113.2', ctx, now: T0 })).toEqual({ ok: true });
    expect((await linkMails()).length).toBe(before);
  });

  it(`sends at most ${ORDER_LINK_PER_ORDER_PER_HOUR} links an hour per order, then again after the hour`, async () => {
    for (let i = 0; i < 5; i++) await requestOrderLink(db, { email: 'ada@example.com', number: order.number, ip: `198.51.100.${i}`, ctx, now: T0 + 60_000 });
    expect((await linkMails()).length).toBe(ORDER_LINK_PER_ORDER_PER_HOUR);
    await requestOrderLink(db, { email: 'ada@example.com', number: order.number, ip: '198.51.100.9', ctx, now: T0 + 61 * 60_000 + 60_000 });
    expect((await linkMails()).length).toBe(ORDER_LINK_PER_ORDER_PER_HOUR + 1);
  });

  it('slows down one address that keeps asking, whatever it asks', async () => {
    const ask = () => requestOrderLink(db, { email: 'x@example.com', number: 'LB-3333-3333', ip: '192.0.2.7', ctx, now: T0 });
    const results = [];
    for (let i = 0; i < ORDER_LINK_IP_POLICY.freeAttempts + 2; i++) results.push(await ask());
    expect(results.slice(0, ORDER_LINK_IP_POLICY.freeAttempts - 1).every((r) => r.ok)).toBe(true);
    expect(results.at(-1)).toMatchObject({ ok: false });
  });
});
