/**
 * Help-cut on a real migrated database: an offer, launches holding set-aside stock, helps that
 * follow the fixed schedule and every rule (self, twice, unverified, daily limit in the shop's
 * time zone, ended), 100 concurrent helpers, and the launcher buying at the floor — credited
 * "cut" to the post's creator once paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { cutHelps, cutLaunches, orderLines, orders, stockReservations, users } from '../../../db/schema/index.ts';
import { applyPaymentEvent, buyCut, helpWithCut, saveProductCutOffer, showCut, startCut, type App } from '../../../src/server/flows/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { getProduct } from '../../../src/server/catalog/index.ts';

const T0 = Date.UTC(2026, 10, 2, 12);
const DAY = 86_400_000;
const OLD = Date.UTC(2025, 0, 1);
let db: Db;
let app: App;
let creatorHandle: string;
let seq = 0;

const OFFER = { startPrice: '50.00', floorPrice: '0', helpsNeeded: '3', durationHours: '24', setAsideUnits: '50', perReaderLaunches: '1', onTimeout: 'buy_at_reached', active: 'on', variantId: 'all' };
const SHIP = { email: 'launcher@example.com', name: 'Lin Launcher', line1: '1 Main Street', city: 'Springfield', region: 'IL', postcode: '62701', country: 'US', shippingMethod: 'standard' };

async function reader(opts: { verified?: boolean; createdAt?: number } = {}): Promise<{ id: number; email: string }> {
  const email = `r${++seq}@example.com`;
  const [u] = await db.insert(users).values({ email, passwordHash: '', role: 'reader', createdAt: opts.createdAt ?? OLD, emailVerifiedAt: opts.verified === false ? null : OLD }).returning();
  return { id: u!.id, email };
}

async function product(sku: string, offer: Record<string, string> = OFFER, stock = 20) {
  const p = await makeProduct(db, { slug: sku.toLowerCase(), variants: [makeVariant({ sku, priceCents: 5000, stock })] });
  const saved = await saveProductCutOffer(app, { productId: p.id, fields: offer, now: T0 });
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  return p;
}

const fromPost = (post: string, card: number, slug: string) => (p: string, c: number, s: string) => (p === post && c === card && s === slug ? creatorHandle : false);

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db, { config: { shop: { ...testApp(db).config.shop, timeZone: 'Pacific/Auckland' } } });
  creatorHandle = (await makeCreator(db, { handle: 'maya', displayName: 'Maya' })).handle;
});
afterAll(() => db.$client.close());

describe('the admin offer', () => {
  it('refuses impossible terms field by field and writes nothing', async () => {
    const p = await makeProduct(db, { slug: 'bad-offer', variants: [makeVariant({ sku: 'BAD-1', priceCents: 5000, stock: 5 })] });
    const r = await saveProductCutOffer(app, { productId: p.id, fields: { ...OFFER, startPrice: '10.00', floorPrice: '12.00', durationHours: '200', setAsideUnits: '0', onTimeout: 'maybe' }, now: T0 });
    expect(r).toMatchObject({
      ok: false,
      reason: 'invalid',
      fieldErrors: {
        floorPrice: 'The lowest price must be below the starting price.',
        durationHours: 'Enter the time limit in hours, from 0.25 to 144 (6 days).',
        setAsideUnits: 'Enter how many units bargains may use: a whole number, at least 1.',
        onTimeout: 'Choose what happens when time runs out.',
      },
    });
    const tooMany = await saveProductCutOffer(app, { productId: p.id, fields: { ...OFFER, startPrice: '0.02', floorPrice: '0', helpsNeeded: '3' }, now: T0 });
    expect(tooMany).toMatchObject({ ok: false, fieldErrors: { helpsNeeded: expect.stringContaining('at least one cent') } });
  });
});

describe('a launch from a post card, helped to the floor and bought', () => {
  it('holds a unit, cuts by the fixed schedule (new helpers first take the largest), and credits the sale to the post', async () => {
    const p = await product('CUT-TEE');
    const launcher = await reader();
    const before = (await getProduct(db, p.slug, T0))!.variants[0]!.available;
    const started = await startCut(app, { user: launcher, sku: 'CUT-TEE', source: { post: 'maya-look', card: 2 }, checkSource: fromPost('maya-look', 2, p.slug), now: T0 });
    expect(started).toMatchObject({ ok: true, path: expect.stringMatching(/^\/cut\//) });
    if (!started.ok) return;
    expect((await getProduct(db, p.slug, T0))!.variants[0]!.available).toBe(before - 1);

    // 5000 over 3 helps, weights 3:2:1 → 2500, 1667, 833.
    const returning = await reader();
    const fresh = await reader({ createdAt: T0 - DAY });
    const third = await reader();
    expect(await helpWithCut(app, { user: returning, launchId: started.launchId, ip: '203.0.113.1', deviceId: 'dev-a', now: T0 + 1000 })).toMatchObject({ ok: true, amountCents: 833, priceCents: 4167, helpsLeft: 2, newHelper: false });
    expect(await helpWithCut(app, { user: fresh, launchId: started.launchId, ip: '203.0.113.2', deviceId: 'dev-b', now: T0 + 2000 })).toMatchObject({ ok: true, amountCents: 2500, priceCents: 1667, helpsLeft: 1, newHelper: true });

    // Refusals, none of which writes.
    expect(await helpWithCut(app, { user: launcher, launchId: started.launchId, ip: null, deviceId: null, now: T0 + 3000 })).toMatchObject({ ok: false, reason: 'self_help' });
    expect(await helpWithCut(app, { user: returning, launchId: started.launchId, ip: null, deviceId: null, now: T0 + 3000 })).toMatchObject({ ok: false, reason: 'help_given' });
    expect(await helpWithCut(app, { user: await reader({ verified: false }), launchId: started.launchId, ip: null, deviceId: null, now: T0 + 3000 })).toMatchObject({ ok: false, reason: 'not_verified' });
    expect(await buyCut(app, { user: launcher, launchId: started.launchId, fields: SHIP, now: T0 + 3000 })).toMatchObject({ ok: false, reason: 'not_yet' });
    expect(await db.select().from(cutHelps).where(eq(cutHelps.launchId, started.launchId))).toHaveLength(2);

    expect(await helpWithCut(app, { user: third, launchId: started.launchId, ip: null, deviceId: null, now: T0 + 4000 })).toMatchObject({ ok: true, amountCents: 1667, priceCents: 0, helpsLeft: 0 });
    expect(await helpWithCut(app, { user: await reader(), launchId: started.launchId, ip: null, deviceId: null, now: T0 + 5000 })).toMatchObject({ ok: false, reason: 'launch_ended' });
    const view = await showCut(app, started.launchId, T0 + 5000);
    expect(view).toMatchObject({ phase: 'floor', priceCents: 0, helpsLeft: 0, cutCents: 5000 });
    expect(view!.helpers.map((h) => h.label)).toEqual(['R•••', 'R•••', 'R•••']);
    expect(JSON.stringify(view)).not.toContain('@example.com');

    // Someone else cannot buy the launcher's bargain.
    expect(await buyCut(app, { user: third, launchId: started.launchId, fields: SHIP, now: T0 + 6000 })).toMatchObject({ ok: false, reason: 'not_allowed' });
    const bought = await buyCut(app, { user: launcher, launchId: started.launchId, fields: SHIP, now: T0 + 6000 });
    expect(bought).toMatchObject({ ok: true });
    if (!bought.ok) return;
    const order = (await db.select().from(orders).where(eq(orders.number, bought.orderNumber)))[0]!;
    expect(order).toMatchObject({ subtotalCents: 0, shippingCents: 595, totalCents: 595, buyerUserId: launcher.id });
    // The held unit became the order's reservation: still one unit out of stock, not two.
    expect((await getProduct(db, p.slug, T0 + 6000))!.variants[0]!.available).toBe(before - 1);
    const paid = await applyPaymentEvent(app, testPaymentEvent(order.id, `test_cs_cut_${'x'.repeat(20)}`, 'pay'), { now: T0 + 7000 });
    expect(paid.outcome).toBe('fulfilled');
    const [line] = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id));
    expect(line).toMatchObject({ channel: 'cut', attributionSource: 'cut', sourcePost: 'maya-look', sourceCard: 2, unitPriceCents: 0 });
    expect(line!.attributionReason).toContain('help-cut');
    expect((await showCut(app, started.launchId, T0 + 8000))!.phase).toBe('bought');
    expect(await buyCut(app, { user: launcher, launchId: started.launchId, fields: SHIP, now: T0 + 9000 })).toMatchObject({ ok: false, reason: 'already_paid' });
  });
});

describe('limits', () => {
  it('lets one reader launch only as often as the offer allows, and never past the set-aside units', async () => {
    const p = await product('CUT-CAP', { ...OFFER, setAsideUnits: '2' });
    const launcher = await reader();
    expect(await startCut(app, { user: launcher, sku: 'CUT-CAP', source: null, checkSource: () => false, now: T0 })).toMatchObject({ ok: true });
    expect(await startCut(app, { user: launcher, sku: 'CUT-CAP', source: null, checkSource: () => false, now: T0 })).toMatchObject({ ok: false, reason: 'launch_limit' });
    const others = await Promise.all(Array.from({ length: 5 }, () => reader()));
    const results = await Promise.all(others.map((u) => startCut(app, { user: u, sku: 'CUT-CAP', source: null, checkSource: () => false, now: T0 })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['used_up', 'used_up', 'used_up', 'used_up']);
    const held = await db.select().from(stockReservations).where(and(eq(stockReservations.variantId, p.variants[0]!.id), eq(stockReservations.status, 'active')));
    expect(held).toHaveLength(2);
  });

  it('counts the 3-a-day help limit by the shop’s day (Pacific/Auckland), not UTC', async () => {
    await product('CUT-DAY', { ...OFFER, helpsNeeded: '3' });
    const helper = await reader();
    const launches: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await startCut(app, { user: await reader(), sku: 'CUT-DAY', source: null, checkSource: () => false, now: T0 });
      if (!r.ok) throw new Error(r.message);
      launches.push(r.launchId);
    }
    // 10:30 UTC on 3 Nov is 23:30 on 3 Nov in Auckland (NZDT, UTC+13); an hour later it is 4 Nov there, still 3 Nov in UTC.
    const base = Date.UTC(2026, 10, 3, 10, 30);
    for (const id of launches.slice(0, 3)) expect(await helpWithCut(app, { user: helper, launchId: id, ip: null, deviceId: null, now: base })).toMatchObject({ ok: true });
    const fourth = await helpWithCut(app, { user: helper, launchId: launches[3]!, ip: null, deviceId: null, now: base + 60_000 });
    expect(fourth).toMatchObject({ ok: false, reason: 'daily_help_limit', message: expect.stringContaining('tomorrow') });
    // One hour later it is the next day in Auckland (still 3 Nov in UTC): allowed again.
    expect(await helpWithCut(app, { user: helper, launchId: launches[3]!, ip: null, deviceId: null, now: base + 3600_000 })).toMatchObject({ ok: true });
  });

  it('limits helps per connection and per device across accounts', async () => {
    await product('CUT-IP', { ...OFFER, helpsNeeded: '50', startPrice: '100.00' });
    const r = await startCut(app, { user: await reader(), sku: 'CUT-IP', source: null, checkSource: () => false, now: T0 });
    if (!r.ok) throw new Error(r.message);
    const device = [];
    for (let i = 0; i < 6; i++) device.push(await helpWithCut(app, { user: await reader(), launchId: r.launchId, ip: null, deviceId: 'one-phone', now: T0 + i }));
    expect(device.map((x) => x.ok)).toEqual([true, true, true, true, true, false]);
    expect(device[5]).toMatchObject({ reason: 'rate_limited' });
  });

  it('ends at its time: no more helps; with "buy at the price reached" the launcher may still buy, with "lapse" not', async () => {
    await product('CUT-END', { ...OFFER, helpsNeeded: '5', durationHours: '1' });
    await product('CUT-LAPSE', { ...OFFER, helpsNeeded: '5', durationHours: '1', onTimeout: 'lapse' });
    const a = await reader();
    const b = await reader();
    const ra = await startCut(app, { user: a, sku: 'CUT-END', source: null, checkSource: () => false, now: T0 });
    const rb = await startCut(app, { user: b, sku: 'CUT-LAPSE', source: null, checkSource: () => false, now: T0 });
    if (!ra.ok || !rb.ok) throw new Error('launch failed');
    await helpWithCut(app, { user: await reader(), launchId: ra.launchId, ip: null, deviceId: null, now: T0 + 1000 });
    const late = T0 + 3600_000;
    expect(await helpWithCut(app, { user: await reader(), launchId: ra.launchId, ip: null, deviceId: null, now: late })).toMatchObject({ ok: false, reason: 'launch_ended' });
    const reached = (await showCut(app, ra.launchId, late))!;
    expect(reached.phase).toBe('ended_buyable');
    const bought = await buyCut(app, { user: a, launchId: ra.launchId, fields: SHIP, now: late });
    expect(bought).toMatchObject({ ok: true });
    if (bought.ok) expect((await db.select().from(orders).where(eq(orders.number, bought.orderNumber)))[0]!.subtotalCents).toBe(reached.priceCents);
    expect((await showCut(app, rb.launchId, late))!.phase).toBe('lapsed');
    expect(await buyCut(app, { user: b, launchId: rb.launchId, fields: SHIP, now: late })).toMatchObject({ ok: false, reason: 'launch_ended' });
  });
});

describe('100 concurrent helpers', () => {
  it('loses and doubles no cut: exactly the schedule, the floor reached and never passed', async () => {
    await product('CUT-100', { ...OFFER, startPrice: '120.00', floorPrice: '20.00', helpsNeeded: '100' });
    const r = await startCut(app, { user: await reader(), sku: 'CUT-100', source: null, checkSource: () => false, now: T0 });
    if (!r.ok) throw new Error(r.message);
    const helpers = await Promise.all(Array.from({ length: 110 }, (_, i) => reader({ createdAt: i % 2 ? T0 - DAY : OLD })));
    const results = await Promise.all(helpers.map((u, i) => helpWithCut(app, { user: u, launchId: r.launchId, ip: null, deviceId: null, now: T0 + 10_000 + i })));
    const ok = results.filter((x) => x.ok);
    expect(ok).toHaveLength(100);
    expect(results.filter((x) => !x.ok).every((x) => !x.ok && x.reason === 'launch_ended')).toBe(true);
    const total = ok.reduce((s, x) => s + (x.ok ? x.amountCents : 0), 0);
    expect(total).toBe(10_000);
    const [launch] = await db.select().from(cutLaunches).where(eq(cutLaunches.id, r.launchId));
    expect(launch).toMatchObject({ cutCents: 10_000, helpsCount: 100 });
    const indexes = (await db.select().from(cutHelps).where(eq(cutHelps.launchId, r.launchId))).map((h) => h.cutIndex).sort((x, y) => x - y);
    expect(indexes).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect((await showCut(app, r.launchId, T0 + 20_000))!.priceCents).toBe(2000);
  });
});
