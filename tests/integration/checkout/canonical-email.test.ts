/**
 * One email, one buyer (docs/decisions/0012-canonical-email.md): the checkout quote and placing
 * agree on the email whatever its capitals (no "your total changed" loop), once-per-email codes
 * count address variants (+tags, Gmail dots, googlemail.com) as one buyer, and a creator buying
 * through their own post or link is excluded — by a variant of their email, or signed in as
 * themselves with another one.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { schema, type Db } from '../../../src/server/db.ts';
import { addToBag } from '../../../src/server/cart/index.ts';
import { applyPaymentEvent, quoteBag, startCheckout, type App } from '../../../src/server/flows/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';

const { commissionEntries, coupons, orderLines, orders, users } = schema;
const ADDRESS = { name: 'Ada Lovelace', line1: '1 Loom Street', line2: '', city: 'Boston', region: 'MA', postcode: '02110', country: 'US', shippingMethod: 'standard' };

let db: Db;
let app: App;
let sku: string;
let creator: { id: number; handle: string };
let creatorUserId: number;

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  const p = await makeProduct(db, { variants: [makeVariant({ stock: 100, priceCents: 5000 })] });
  sku = p.variants[0]!.sku;
  await db.insert(coupons).values({ code: 'ONCE10', kind: 'percent', percentOff: 10, perEmailLimit: 1, createdAt: 0 });
  creator = await makeCreator(db);
  creatorUserId = (await db.insert(users).values({ email: 'maya.okafor@gmail.com', passwordHash: 'x', role: 'creator', creatorId: creator.id, createdAt: 0 }).returning().get()).id;
});

/** A bag with one unit, added from the creator's post card when `fromPost`. */
async function bag(fromPost = false) {
  const r = await addToBag(db, { sku, qty: 1, source: fromPost ? { kind: 'post', post: 'a-look', card: 0 } : { kind: 'direct' } }, { checkSource: () => creator.handle });
  if (!r.ok) throw new Error(r.reason);
  return r.cartId;
}

/** What the checkout page does: quote with the typed fields, then place with the total shown. */
async function checkout(cartId: string, email: string, { couponCode = '', user = null as { id: number } | null } = {}) {
  const quote = await quoteBag(app, { cartId, shippingMethod: 'standard', couponCode, email });
  const placed = await startCheckout(app, { cartId, fields: { ...ADDRESS, email, couponCode, expectedTotal: String(quote.totals.totalCents) }, ref: null, user });
  return { quote, placed };
}

async function pay(number: string) {
  const o = (await db.select().from(orders).where(eq(orders.number, number)).get())!;
  await applyPaymentEvent(app, testPaymentEvent(o.id, o.providerSessionId!, 'pay'));
  return o;
}

describe('the email case loop', () => {
  it('a once-per-email code already used shows as used for the same email in capitals, and the order goes through', async () => {
    const first = await checkout(await bag(), 'grace.hopper@example.com', { couponCode: 'ONCE10' });
    expect(first.quote.coupon).toMatchObject({ ok: true });
    expect(first.placed).toMatchObject({ ok: true });

    const again = await checkout(await bag(), 'Grace.Hopper@Example.COM', { couponCode: 'once10' });
    expect(again.quote.coupon).toMatchObject({ ok: false }); // not "applied" in the summary…
    expect(again.placed).toMatchObject({ ok: false, reason: 'coupon' }); // …and placing agrees: no "your total changed"
    const noCode = await checkout(await bag(), 'Grace.Hopper@Example.COM');
    expect(noCode.placed).toMatchObject({ ok: true });
    const stored = await db.select({ email: orders.email }).from(orders).where(eq(orders.number, noCode.placed.ok ? noCode.placed.orderNumber : '')).get();
    expect(stored?.email).toBe('grace.hopper@example.com');
  });
});

describe('once per email, by address variants', () => {
  it.each([
    ['a +tag', 'ada.lovelace@example.com', 'ada.lovelace+shop@example.com'],
    ['Gmail dots moved', 'adalovelace@gmail.com', 'a.da.love.lace@gmail.com'],
    ['googlemail.com with a +tag', 'ada.byron@gmail.com', 'AdaByron+again@googlemail.com'],
  ])('%s is the same buyer', async (_label, firstEmail, variant) => {
    expect((await checkout(await bag(), firstEmail, { couponCode: 'ONCE10' })).placed).toMatchObject({ ok: true });
    const again = await checkout(await bag(), variant, { couponCode: 'ONCE10' });
    expect(again.quote.coupon).toMatchObject({ ok: false });
    expect(again.placed).toMatchObject({ ok: false, reason: 'coupon' });
  });

  it('a different person at the same domain still gets the code', async () => {
    expect((await checkout(await bag(), 'someone.else@gmail.com', { couponCode: 'ONCE10' })).placed).toMatchObject({ ok: true });
  });
});

describe('self-referral', () => {
  const creditOf = async (orderId: number) => {
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId));
    const sales = await db.select().from(commissionEntries).where(and(eq(commissionEntries.orderId, orderId), eq(commissionEntries.kind, 'sale')));
    return { sources: lines.map((l) => l.attributionSource), sales: sales.length };
  };

  it('a creator buying through their own post with a +tag or dotted variant of their email earns nothing', async () => {
    for (const email of ['maya.okafor+shop@gmail.com', 'mayaokafor@googlemail.com']) {
      const { placed } = await checkout(await bag(true), email);
      if (!placed.ok) throw new Error(placed.message);
      const o = await pay(placed.orderNumber);
      expect(await creditOf(o.id)).toEqual({ sources: ['excluded'], sales: 0 });
    }
  });

  it('a creator signed in as themselves earns nothing whatever email they type; the account is recorded on the order', async () => {
    const { placed } = await checkout(await bag(true), 'studio-orders@example.com', { user: { id: creatorUserId } });
    if (!placed.ok) throw new Error(placed.message);
    const o = await pay(placed.orderNumber);
    expect((await db.select().from(orders).where(eq(orders.id, o.id)).get())!.buyerUserId).toBe(creatorUserId);
    expect(await creditOf(o.id)).toEqual({ sources: ['excluded'], sales: 0 });
    const reason = (await db.select().from(orderLines).where(eq(orderLines.orderId, o.id)).get())!.attributionReason;
    expect(reason).toContain('signed in as the creator');
  });

  it('another buyer through the same post credits the creator', async () => {
    const { placed } = await checkout(await bag(true), 'reader@example.com');
    if (!placed.ok) throw new Error(placed.message);
    const o = await pay(placed.orderNumber);
    expect(await creditOf(o.id)).toEqual({ sources: ['post'], sales: 1 });
  });
});
