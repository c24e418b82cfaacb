/**
 * Group buy (拼团) on a real migrated database: authorise each seat, capture every seat when the
 * group fills (paid, credited 'group' to the post's creator, stock taken), void every seat when it
 * lapses (stock back), void an authorisation that comes too late, one winner for the last seat among
 * concurrent joins, the per-buyer limit on the canonical email, leaving, the sweeper run twice, and
 * the whole Stripe manual-capture path against the local Stripe stub.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import Stripe from 'stripe';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';
import { signStripeEvent, startStripeStub, stripeEvents, type StripeStub } from '../../helpers/stripe-stub.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { groupBuys, groupMembers, orderLines, orders, stockReservations, users, variants } from '../../../db/schema/index.ts';
import {
  applyPaymentEvent,
  joinGroup,
  leaveGroup,
  runSweepers,
  saveProductGroupOffer,
  settleLapsedGroups,
  showGroup,
  startGroup,
  type App,
  type JoinGroupResult,
} from '../../../src/server/flows/index.ts';
import { createStripeProvider, createTestProvider, handleStripeWebhook, testPaymentEvent, type PaymentProvider } from '../../../src/server/payments/index.ts';
import { getProduct } from '../../../src/server/catalog/index.ts';
import { groupsByPost, groupsForUser, openGroupsForProduct } from '../../../src/server/social/index.ts';

const T0 = Date.UTC(2026, 10, 2, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;
let db: Db;
let app: App;
let calls: { kind: 'capture' | 'void'; paymentId: string | null; key: string }[];
let creator: { id: number; handle: string };
let seq = 0;
/** When set, the provider refuses to release card holds (it is down). */
let voidsFail = false;

/** The test provider, with every capture and void it is asked for recorded. */
function spyProvider(inner: PaymentProvider): PaymentProvider {
  return {
    ...inner,
    name: inner.name,
    createCheckout: (...a) => inner.createCheckout(...a),
    capture: async (args) => {
      calls.push({ kind: 'capture', paymentId: args.paymentId, key: args.idempotencyKey });
      return inner.capture(args);
    },
    voidAuthorization: async (args) => {
      calls.push({ kind: 'void', paymentId: args.paymentId, key: args.idempotencyKey });
      if (voidsFail) return { ok: false, error: 'The payment provider is not answering' };
      return inner.voidAuthorization(args);
    },
  };
}

const ship = (email: string) => ({ email, name: `Reader ${++seq}`, line1: '1 Main Street', city: 'Springfield', region: 'IL', postcode: '62701', country: 'US', shippingMethod: 'standard' });
const OFFER = { groupSize: '2', groupPrice: '30.00', durationHours: '24', perBuyerLimit: '1', maxUnits: '', variantId: 'all', active: 'on' };

async function offered(sku: string, offer: Partial<typeof OFFER> = {}, stock = 20, on: App = app) {
  const p = await makeProduct(db, { slug: sku.toLowerCase(), variants: [makeVariant({ sku, priceCents: 5000, stock })] });
  const saved = await saveProductGroupOffer(on, { productId: p.id, fields: { ...OFFER, ...offer }, now: T0 });
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  return p;
}

const fromPost = (post: string, card: number) => (p: string, c: number) => (p === post && c === card ? creator.handle : false);

function ok(r: JoinGroupResult) {
  if (!r.ok) throw new Error(`expected a seat, got ${r.reason}: ${r.message}`);
  return r;
}

async function orderOf(number: string) {
  return (await db.select().from(orders).where(eq(orders.number, number)).get())!;
}

/** The buyer authorises their card on the test payment page. */
async function authorise(r: { orderNumber: string }, now: number, on: App = app) {
  const o = await orderOf(r.orderNumber);
  return applyPaymentEvent(on, testPaymentEvent(o.id, o.providerSessionId!, 'authorise'), { now });
}

const available = async (slug: string, now: number) => (await getProduct(db, slug, now))!.variants[0]!.available;
const member = async (id: number) => (await db.select().from(groupMembers).where(eq(groupMembers.id, id)).get())!;

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db, { provider: spyProvider(createTestProvider()) });
  creator = await makeCreator(db, { handle: 'lena', displayName: 'Lena' });
});
beforeEach(() => {
  calls = [];
});

describe('the admin offer', () => {
  it('refuses impossible terms field by field, in words, and writes nothing', async () => {
    const p = await makeProduct(db, { slug: 'bad-group', variants: [makeVariant({ sku: 'BAD-G', priceCents: 5000, stock: 5 })] });
    const r = await saveProductGroupOffer(app, { productId: p.id, fields: { ...OFFER, groupSize: '11', groupPrice: '50.00', durationHours: '200', perBuyerLimit: '0', maxUnits: 'lots' }, now: T0 });
    expect(r).toMatchObject({
      ok: false,
      reason: 'invalid',
      fieldErrors: {
        groupSize: expect.stringContaining('2 to 10'),
        groupPrice: expect.stringContaining('below the regular price'),
        durationHours: expect.stringContaining('6 days'),
        perBuyerLimit: expect.any(String),
        maxUnits: expect.any(String),
      },
    });
    expect(JSON.stringify(r)).not.toMatch(/cents|5000/);
    expect(await startGroup(app, { user: null, sku: 'BAD-G', source: null, checkSource: () => false, fields: ship('x@example.com'), now: T0 })).toMatchObject({ ok: false, reason: 'inactive' });
  });
});

describe('a group of 2 started from a post card', () => {
  it('holds each authorised card, and when the last seat is authorised captures both: paid, credited "group", stock taken', async () => {
    const p = await offered('GRP-TEE');
    const before = await available(p.slug, T0);
    const onHand = (await db.select().from(variants).where(eq(variants.sku, 'GRP-TEE')).get())!.stockOnHand;
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-TEE', source: { post: 'lena-look', card: 1 }, checkSource: fromPost('lena-look', 1), fields: ship('ana@example.com'), now: T0 }));
    expect(a.path).toBe(`/group/${a.groupId}`);
    expect(a.groupId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a.redirectUrl).toMatch(/^\/pay\/test\//);
    const orderA = await orderOf(a.orderNumber);
    expect(orderA).toMatchObject({ status: 'pending', subtotalCents: 3000, reservationExpiresAt: T0 + 15 * MIN });
    expect(await available(p.slug, T0)).toBe(before - 1);

    // Authorised: held, not paid; the unit stays reserved until the group ends.
    expect((await authorise(a, T0 + MIN)).outcome).toBe('authorised');
    const endsAt = T0 + 24 * HOUR;
    expect(await member(a.memberId)).toMatchObject({ status: 'authorised', paymentId: expect.stringMatching(/^test_pi_/), authorisedAt: T0 + MIN });
    expect(await orderOf(a.orderNumber)).toMatchObject({ status: 'pending', paidAt: null, reservationExpiresAt: endsAt });
    expect(await db.select().from(stockReservations).where(eq(stockReservations.orderId, orderA.id)).get()).toMatchObject({ status: 'active', expiresAt: endsAt });
    expect(await available(p.slug, T0 + HOUR)).toBe(before - 1);
    expect(calls).toEqual([]);

    const view = await showGroup(app, a.groupId, T0 + 2 * MIN);
    expect(view).toMatchObject({ state: 'open', size: 2, seatsLeft: 1, priceCents: 3000, regularPriceCents: 5000, endsAt, productSlug: p.slug });
    expect(view!.members.map((m) => m.label)).toEqual(['R•••']);
    expect(JSON.stringify(view)).not.toContain('@example.com');
    expect((await openGroupsForProduct(db, p.id, T0 + 2 * MIN)).map((g) => g.id)).toEqual([a.groupId]);

    const b = ok(await joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-TEE', fields: ship('ben@example.com'), now: T0 + 3 * MIN }));
    expect((await authorise(b, T0 + 4 * MIN)).outcome).toBe('group_filled');

    // Both captured, once each, with the seat's own key; both orders paid through the ordinary path.
    expect(calls.map((c) => c.key).sort()).toEqual([`group-capture-${a.memberId}`, `group-capture-${b.memberId}`].sort());
    for (const r of [a, b]) {
      const o = await orderOf(r.orderNumber);
      expect(o).toMatchObject({ status: 'paid', paidAt: T0 + 4 * MIN });
      expect(await db.select().from(orderLines).where(eq(orderLines.orderId, o.id)).get()).toMatchObject({
        channel: 'group',
        attributionSource: 'group',
        creditedCreatorId: creator.id,
        sourcePost: 'lena-look',
        sourceCard: 1,
        unitPriceCents: 3000,
      });
      expect((await db.select().from(stockReservations).where(eq(stockReservations.orderId, o.id)).get())!.status).toBe('converted');
      expect(await member(r.memberId)).toMatchObject({ status: 'captured', capturedAt: T0 + 4 * MIN });
    }
    expect((await db.select().from(variants).where(eq(variants.sku, 'GRP-TEE')).get())!.stockOnHand).toBe(onHand - 2);
    expect(await available(p.slug, T0 + 5 * MIN)).toBe(before - 2);
    expect(await db.select().from(groupBuys).where(eq(groupBuys.id, a.groupId)).get()).toMatchObject({ status: 'filled', filledAt: T0 + 4 * MIN });
    expect((await showGroup(app, a.groupId, T0 + 48 * HOUR))!.state).toBe('filled');
    expect(await openGroupsForProduct(db, p.id, T0 + 5 * MIN)).toEqual([]);

    // A redelivered authorisation changes nothing and captures nothing more.
    calls = [];
    expect((await authorise(b, T0 + 6 * MIN)).outcome).toBe('duplicate');
    expect(calls).toEqual([]);
    expect((await groupsByPost(db, creator.id, T0 + 6 * MIN)).get('lena-look')).toMatchObject({ filled: 1 });
  });
});

describe('a group that does not fill in time', () => {
  it('reads as lapsed, is settled on read: every authorisation voided, every order released, stock back', async () => {
    const p = await offered('GRP-LAPSE', { groupSize: '3', durationHours: '2' });
    const before = await available(p.slug, T0);
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-LAPSE', source: null, checkSource: () => false, fields: ship('cat@example.com'), now: T0 }));
    const b = ok(await joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-LAPSE', fields: ship('dan@example.com'), now: T0 + MIN }));
    await authorise(a, T0 + 2 * MIN);
    await authorise(b, T0 + 3 * MIN);
    expect(await available(p.slug, T0 + HOUR)).toBe(before - 2);
    const pa = (await member(a.memberId)).paymentId;
    const pb = (await member(b.memberId)).paymentId;

    const view = await showGroup(app, a.groupId, T0 + 2 * HOUR);
    expect(view).toMatchObject({ state: 'lapsed', secondsLeft: 0 });
    expect(calls.sort((x, y) => x.key.localeCompare(y.key))).toEqual(
      [
        { kind: 'void', paymentId: pa, key: `group-void-${a.memberId}` },
        { kind: 'void', paymentId: pb, key: `group-void-${b.memberId}` },
      ].sort((x, y) => x.key.localeCompare(y.key)),
    );
    for (const r of [a, b]) {
      expect(await orderOf(r.orderNumber)).toMatchObject({ status: 'canceled', paidAt: null });
      expect((await member(r.memberId)).status).toBe('voided');
    }
    expect(await db.select().from(groupBuys).where(eq(groupBuys.id, a.groupId)).get()).toMatchObject({ status: 'lapsed', settledAt: T0 + 2 * HOUR });
    expect(await available(p.slug, T0 + 2 * HOUR)).toBe(before);

    // Read again: nothing more is voided.
    calls = [];
    expect((await showGroup(app, a.groupId, T0 + 3 * HOUR))!.state).toBe('lapsed');
    expect(calls).toEqual([]);
    // And the group can no longer be joined.
    expect(await joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-LAPSE', fields: ship('eve@example.com'), now: T0 + 3 * HOUR })).toMatchObject({ ok: false, reason: 'group_ended' });
  });

  it('voids an authorisation that arrives after the group ended, and releases its order', async () => {
    const p = await offered('GRP-LATE', { durationHours: '0.25' });
    const before = await available(p.slug, T0);
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-LATE', source: null, checkSource: () => false, fields: ship('fay@example.com'), now: T0 }));
    const late = await authorise(a, T0 + 16 * MIN);
    expect(late.outcome).toBe('authorisation_voided');
    expect(calls).toEqual([{ kind: 'void', paymentId: expect.stringMatching(/^test_pi_/), key: `group-void-${a.memberId}` }]);
    expect(await member(a.memberId)).toMatchObject({ status: 'voided', paymentId: calls[0]!.paymentId });
    expect(await orderOf(a.orderNumber)).toMatchObject({ status: 'canceled', paidAt: null });
    expect(await available(p.slug, T0 + 16 * MIN)).toBe(before);
  });
});

describe('seats and limits', () => {
  it('of 5 concurrent joins for the last seat exactly one wins; the others are refused group_full and write nothing', async () => {
    const p = await offered('GRP-RACE', { groupSize: '2' });
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-RACE', source: null, checkSource: () => false, fields: ship('gus@example.com'), now: T0 }));
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-RACE', fields: ship(`racer${i}@example.com`), now: T0 + MIN })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['group_full', 'group_full', 'group_full', 'group_full']);
    expect(await db.select().from(groupMembers).where(eq(groupMembers.groupId, a.groupId))).toHaveLength(2);
    const lines = await db.select({ id: orderLines.id }).from(orderLines).innerJoin(variants, eq(variants.id, orderLines.variantId)).where(eq(variants.productId, p.id));
    expect(lines).toHaveLength(2);
  });

  it('counts one buyer once, whatever +tag or Gmail dots their address carries', async () => {
    const p = await offered('GRP-LIMIT', { groupSize: '3', perBuyerLimit: '1' });
    ok(await startGroup(app, { user: null, sku: 'GRP-LIMIT', source: null, checkSource: () => false, fields: ship('hana.lee+shop@gmail.com'), now: T0 }));
    const other = ok(await startGroup(app, { user: null, sku: 'GRP-LIMIT', source: null, checkSource: () => false, fields: ship('ivo@example.com'), now: T0 }));
    const groupsBefore = await db.select().from(groupBuys).where(eq(groupBuys.productId, p.id));
    const join = await joinGroup(app, { user: null, groupId: other.groupId, sku: 'GRP-LIMIT', fields: ship('HanaLee@googlemail.com'), now: T0 + MIN });
    expect(join).toMatchObject({ ok: false, reason: 'buyer_limit', message: expect.stringContaining('regular price') });
    // Starting another group is refused too, and the group it would have opened is rolled back.
    const start = await startGroup(app, { user: null, sku: 'GRP-LIMIT', source: null, checkSource: () => false, fields: ship('h.a.n.a.l.e.e@gmail.com'), now: T0 + MIN });
    expect(start).toMatchObject({ ok: false, reason: 'buyer_limit' });
    expect(await db.select().from(groupBuys).where(eq(groupBuys.productId, p.id))).toHaveLength(groupsBefore.length);
    // A different person is welcome.
    ok(await joinGroup(app, { user: null, groupId: other.groupId, sku: 'GRP-LIMIT', fields: ship('hana.lea@gmail.com'), now: T0 + MIN }));
  });

  it('refuses a member joining their own group again (by email, or by account under another email)', async () => {
    await offered('GRP-TWICE', { groupSize: '3', perBuyerLimit: '3' });
    const [u] = await db.insert(users).values({ email: 'jo@example.com', passwordHash: '', role: 'reader', createdAt: T0, emailVerifiedAt: T0, displayName: 'Jo' }).returning();
    const a = ok(await startGroup(app, { user: { id: u!.id }, sku: 'GRP-TWICE', source: null, checkSource: () => false, fields: ship('jo@example.com'), now: T0 }));
    expect(await joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-TWICE', fields: ship('Jo+again@example.com'), now: T0 + MIN })).toMatchObject({ ok: false, reason: 'already_member' });
    expect(await joinGroup(app, { user: { id: u!.id }, groupId: a.groupId, sku: 'GRP-TWICE', fields: ship('other-jo@example.com'), now: T0 + MIN })).toMatchObject({ ok: false, reason: 'already_member' });
    expect((await showGroup(app, a.groupId, T0 + MIN))!.members.map((m) => m.label)).toEqual(['J•••']);
  });

  it('stops at the units the offer may use in all', async () => {
    const p = await offered('GRP-UNITS', { groupSize: '2', perBuyerLimit: '1', maxUnits: '2' });
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-UNITS', source: null, checkSource: () => false, fields: ship('kai@example.com'), now: T0 }));
    ok(await startGroup(app, { user: null, sku: 'GRP-UNITS', source: null, checkSource: () => false, fields: ship('lou@example.com'), now: T0 }));
    expect(await joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-UNITS', fields: ship('max@example.com'), now: T0 + MIN })).toMatchObject({ ok: false, reason: 'used_up' });
    expect(await db.select().from(groupBuys).where(eq(groupBuys.productId, p.id))).toHaveLength(2);
  });
});

describe('leaving', () => {
  it('voids the authorisation, releases the order and frees the seat; the starter may leave too', async () => {
    const p = await offered('GRP-LEAVE', { groupSize: '3' });
    const before = await available(p.slug, T0);
    const [u1, u2] = await db
      .insert(users)
      .values([
        { email: 'nia@example.com', passwordHash: '', role: 'reader', createdAt: T0, emailVerifiedAt: T0, displayName: 'Nia' },
        { email: 'oli@example.com', passwordHash: '', role: 'reader', createdAt: T0, emailVerifiedAt: T0, displayName: 'Oli' },
      ])
      .returning();
    const a = ok(await startGroup(app, { user: { id: u1!.id }, sku: 'GRP-LEAVE', source: null, checkSource: () => false, fields: ship('nia@example.com'), now: T0 }));
    const b = ok(await joinGroup(app, { user: { id: u2!.id }, groupId: a.groupId, sku: 'GRP-LEAVE', fields: ship('oli@example.com'), now: T0 + MIN }));
    await authorise(b, T0 + 2 * MIN);
    expect((await showGroup(app, a.groupId, T0 + 3 * MIN))!.seatsLeft).toBe(1);
    expect((await groupsForUser(db, u2!.id, T0 + 3 * MIN))[0]).toMatchObject({ memberId: b.memberId, groupId: a.groupId, seatStatus: 'authorised', canLeave: true, state: 'open' });

    // Only the seat's own account can give it up.
    expect(await leaveGroup(app, { memberId: b.memberId, userId: u1!.id, now: T0 + 4 * MIN })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await leaveGroup(app, { memberId: b.memberId, userId: u2!.id, now: T0 + 4 * MIN })).toEqual({ ok: true, groupId: a.groupId });
    expect(calls).toEqual([{ kind: 'void', paymentId: expect.stringMatching(/^test_pi_/), key: `group-void-${b.memberId}` }]);
    expect((await member(b.memberId)).status).toBe('left');
    expect((await orderOf(b.orderNumber)).status).toBe('canceled');
    expect((await showGroup(app, a.groupId, T0 + 4 * MIN))!.seatsLeft).toBe(2);
    expect(await leaveGroup(app, { memberId: b.memberId, userId: u2!.id, now: T0 + 5 * MIN })).toMatchObject({ ok: false, reason: 'not_allowed' });

    // The starter leaves (still checking out: nothing to void) and the group is empty, its stock back.
    expect(await leaveGroup(app, { memberId: a.memberId, userId: u1!.id, now: T0 + 5 * MIN })).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
    expect((await showGroup(app, a.groupId, T0 + 5 * MIN))!.seatsLeft).toBe(3);
    expect(await available(p.slug, T0 + 5 * MIN)).toBe(before);
    // A seat given up stays given up: its late authorisation is voided, not revived.
    expect((await authorise(a, T0 + 6 * MIN)).outcome).toBe('authorisation_voided');
    expect(calls.at(-1)).toMatchObject({ kind: 'void', key: `group-void-${a.memberId}` });
    expect((await member(a.memberId)).status).toBe('left');
  });
});

describe('the sweeper', () => {
  it('asks again to release card holds the provider did not confirm, until it does; never after the authorisation has lapsed', async () => {
    await offered('GRP-HOLD', { groupSize: '3', durationHours: '1' });
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-HOLD', source: { post: 'lena-hold', card: 0 }, checkSource: fromPost('lena-hold', 0), fields: ship('hold1@example.com'), now: T0 }));
    const b = ok(await joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-HOLD', fields: ship('hold2@example.com'), now: T0 }));
    await authorise(a, T0 + MIN);
    await authorise(b, T0 + MIN);
    voidsFail = true;
    try {
      expect(await settleLapsedGroups(app, T0 + HOUR)).toMatchObject({ voided: 0 });
      expect((await member(a.memberId)).holdReleasedAt).toBeNull();
      const down = await runSweepers(app, T0 + HOUR + MIN);
      expect(down).toMatchObject({ holdsReleased: 0 });
      expect(down.holdsStillHeld).toBeGreaterThanOrEqual(2);
    } finally {
      voidsFail = false;
    }
    calls = [];
    const up = await runSweepers(app, T0 + 2 * HOUR);
    expect(up.holdsReleased).toBeGreaterThanOrEqual(2);
    expect(calls.filter((c) => c.key === `group-void-${a.memberId}` || c.key === `group-void-${b.memberId}`)).toHaveLength(2);
    expect((await member(a.memberId)).holdReleasedAt).toBe(T0 + 2 * HOUR);
    expect((await member(b.memberId)).holdReleasedAt).toBe(T0 + 2 * HOUR);
    calls = [];
    await runSweepers(app, T0 + 3 * HOUR);
    expect(calls.filter((c) => c.key === `group-void-${a.memberId}` || c.key === `group-void-${b.memberId}`)).toEqual([]);
  });

  it('stops asking once the authorisation would have lapsed by itself (7 days)', async () => {
    await offered('GRP-OLDHOLD', { groupSize: '3', durationHours: '1' });
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-OLDHOLD', source: { post: 'lena-oldhold', card: 0 }, checkSource: fromPost('lena-oldhold', 0), fields: ship('oldhold1@example.com'), now: T0 }));
    await authorise(a, T0 + MIN);
    voidsFail = true;
    try {
      await settleLapsedGroups(app, T0 + HOUR);
    } finally {
      voidsFail = false;
    }
    calls = [];
    await runSweepers(app, T0 + MIN + 7 * 24 * HOUR + 1);
    expect(calls.filter((c) => c.key === `group-void-${a.memberId}`)).toEqual([]);
    expect((await member(a.memberId)).holdReleasedAt).toBeNull();
  });

  it('settles lapsed groups once: run twice, one void per member', async () => {
    const p = await offered('GRP-SWEEP', { groupSize: '3', durationHours: '1' });
    const a = ok(await startGroup(app, { user: null, sku: 'GRP-SWEEP', source: { post: 'lena-sweep', card: 0 }, checkSource: fromPost('lena-sweep', 0), fields: ship('pia@example.com'), now: T0 }));
    const b = ok(await joinGroup(app, { user: null, groupId: a.groupId, sku: 'GRP-SWEEP', fields: ship('quin@example.com'), now: T0 }));
    await authorise(a, T0 + MIN);
    await authorise(b, T0 + MIN);
    expect((await groupsByPost(db, creator.id, T0 + 2 * MIN)).get('lena-sweep')).toEqual({ open: 1, filled: 0, lapsed: 0 });
    // Lapsed by the clock before anyone settles it.
    expect((await groupsByPost(db, creator.id, T0 + HOUR)).get('lena-sweep')).toEqual({ open: 0, filled: 0, lapsed: 1 });

    const first = await runSweepers(app, T0 + HOUR);
    expect(first.groupsSettled).toBeGreaterThanOrEqual(1);
    const second = await settleLapsedGroups(app, T0 + HOUR + MIN);
    expect(second).toMatchObject({ settled: 0, voided: 0 });
    const mine = calls.filter((c) => c.key === `group-void-${a.memberId}` || c.key === `group-void-${b.memberId}`);
    expect(mine.map((c) => c.key).sort()).toEqual([`group-void-${a.memberId}`, `group-void-${b.memberId}`].sort());
    const ords = await db.select({ status: orders.status }).from(orders).where(inArray(orders.number, [a.orderNumber, b.orderNumber]));
    expect(ords.map((o) => o.status)).toEqual(['canceled', 'canceled']);
    expect((await showGroup(app, a.groupId, T0 + 2 * HOUR))!.state).toBe('lapsed');
    expect(p.id).toBeGreaterThan(0);
  });
});

describe('Stripe manual capture, end to end against the local Stripe stub', () => {
  const SECRET = 'whsec_test_group_buy';
  const KEY = 'sk_test_group_buy';
  let stub: StripeStub;
  let stripe: Stripe;
  let sapp: App;

  beforeAll(async () => {
    stub = await startStripeStub();
    stripe = new Stripe(KEY, { host: '127.0.0.1', port: stub.port, protocol: 'http', maxNetworkRetries: 0 });
    sapp = testApp(db, { provider: createStripeProvider({ secretKey: KEY, siteUrl: 'http://shop.test', stripe }) });
  });
  afterAll(async () => {
    await stub.close();
  });

  /** The buyer authorises at Stripe, and Stripe's signed checkout.session.completed reaches the webhook. */
  async function authoriseAtStripe(r: { orderNumber: string }) {
    const o = await orderOf(r.orderNumber);
    const intent = stub.authorise(o.providerSessionId!);
    const { payload, signature } = signStripeEvent(stripe, stripeEvents.manualSessionCompleted({ orderId: o.id, number: o.number, sessionId: o.providerSessionId!, paymentIntent: intent.id }), SECRET);
    const answer = await handleStripeWebhook(db, { stripe, rawBody: payload, signature, secret: SECRET, apply: (e) => applyPaymentEvent(sapp, e), log: { warn() {}, error() {} } });
    return { answer, intent };
  }

  it('authorises each seat, and captures both at the stub when the group fills', async () => {
    const p = await offered('GRP-STRIPE', {}, 20, sapp);
    const a = ok(await startGroup(sapp, { user: null, sku: 'GRP-STRIPE', source: { post: 'lena-look', card: 3 }, checkSource: fromPost('lena-look', 3), fields: ship('rio@example.com'), now: Date.now() }));
    const session = stub.sessions.get((await orderOf(a.orderNumber)).providerSessionId!);
    expect(session).toMatchObject({ captureMethod: 'manual', amountTotal: 3000 + 595 });

    const first = await authoriseAtStripe(a);
    expect(first.answer).toEqual({ status: 200, body: { received: true, outcome: 'authorised' } });
    expect(await member(a.memberId)).toMatchObject({ status: 'authorised', paymentId: first.intent.id });
    expect(stub.requests.filter((r) => r.path.startsWith('/v1/payment_intents/'))).toEqual([]);

    const b = ok(await joinGroup(sapp, { user: null, groupId: a.groupId, sku: 'GRP-STRIPE', fields: ship('sol@example.com'), now: Date.now() }));
    const second = await authoriseAtStripe(b);
    expect(second.answer).toEqual({ status: 200, body: { received: true, outcome: 'group_filled' } });

    const captures = stub.requests.filter((r) => r.path.endsWith('/capture'));
    expect(captures.map((r) => [r.path, r.idempotencyKey]).sort()).toEqual(
      [
        [`/v1/payment_intents/${first.intent.id}/capture`, `group-capture-${a.memberId}`],
        [`/v1/payment_intents/${second.intent.id}/capture`, `group-capture-${b.memberId}`],
      ].sort(),
    );
    for (const [r, intent] of [[a, first.intent], [b, second.intent]] as const) {
      expect(stub.paymentIntents.get(intent.id)).toMatchObject({ status: 'succeeded', amountReceived: 3595 });
      expect(await orderOf(r.orderNumber)).toMatchObject({ status: 'paid', providerPaymentId: intent.id });
      expect((await member(r.memberId)).status).toBe('captured');
    }
    expect(p.id).toBeGreaterThan(0);
  });

  it('a seat whose authorisation Stripe let lapse is not declared paid: expired, order released', async () => {
    await offered('GRP-STRIPE-X', {}, 20, sapp);
    const a = ok(await startGroup(sapp, { user: null, sku: 'GRP-STRIPE-X', source: null, checkSource: () => false, fields: ship('tia@example.com'), now: Date.now() }));
    const first = await authoriseAtStripe(a);
    stub.lapse(first.intent.id);
    const b = ok(await joinGroup(sapp, { user: null, groupId: a.groupId, sku: 'GRP-STRIPE-X', fields: ship('uma@example.com'), now: Date.now() }));
    expect((await authoriseAtStripe(b)).answer.body).toMatchObject({ outcome: 'group_filled' });
    expect(await member(a.memberId)).toMatchObject({ status: 'expired', capturedAt: null });
    expect(await orderOf(a.orderNumber)).toMatchObject({ status: 'canceled', paidAt: null });
    expect((await member(b.memberId)).status).toBe('captured');
    expect((await orderOf(b.orderNumber)).status).toBe('paid');
  });
});

afterAll(() => db.$client.close());
