/**
 * Wishlists and alerts on a real migrated database, through the workflows
 * (src/server/flows/wishlist.ts; docs/decisions/0053-wishlists-alerts-boards.md):
 * - restock alerts: refused for a size in stock, "already set" for the same canonical address,
 *   a bad email in people's words — each writing nothing; sent once by two concurrent checks;
 *   the emailed link opens the alert's page and adds to the bag with the alert's credit; the
 *   token set with the alert stops working once the email is sent; unsubscribe without a session;
 * - price-drop alerts: only a lower price sends (a higher or equal one does not), also when the
 *   admin lowers the price through the product form;
 * - saved credit: bought from the wishlist and paid, the line is "saved" to the post's creator;
 *   past SAVED_CREDIT_DAYS (default or configured) it is not; the creator's own purchase is excluded.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { TEST_CONFIG, testApp } from '../../helpers/app.ts';
import { BUYER_FORM, TEST_CHECKOUT } from '../../helpers/checkout.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { cartLines, commissionEntries, orderLines, outboxEmails, savedItems, stockAlerts, users, variants } from '../../../db/schema/index.ts';
import {
  addCreditedToBag,
  alertPage,
  applyPaymentEvent,
  saveForLater,
  saveProductForm,
  sendDueAlerts,
  setWishlistAlert,
  unsubscribeFromAlert,
  wishlistPage,
  type App,
} from '../../../src/server/flows/index.ts';
import { placeOrder } from '../../../src/server/checkout/index.ts';
import { testPaymentEvent } from '../../../src/server/payments/index.ts';
import { axesOf, getAdminProduct, rowsOf } from '../../../src/server/catalog/index.ts';
import type { SessionUser } from '../../../src/server/auth/index.ts';
import type { Owner } from '../../../src/server/wishlist/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 9);
const POST = 'maya-autumn-layers';
let db: Db;
let app: App;
let maya: { id: number; handle: string };
let mayaUser: SessionUser;
let seq = 0;

/** Content's answer for the test post: card 0 and card 1 show anything, and it is Maya's. */
const mayaPost = (post: string, card: number) => (post === POST && (card === 0 || card === 1) ? 'maya' : false);

beforeAll(async () => {
  db = await createTestDb();
  app = testApp(db);
  const c = await makeCreator(db, { handle: 'maya', displayName: 'Maya Lin' });
  maya = { id: c.id, handle: c.handle };
  const [u] = await db.insert(users).values({ email: 'maya@lookbook.test', passwordHash: '', role: 'creator', creatorId: c.id, createdAt: T0 - 100 * DAY, emailVerifiedAt: T0 - 100 * DAY }).returning();
  mayaUser = { id: u!.id, email: u!.email, role: 'creator', creatorId: c.id };
});

/** A two-size coat: S in stock (3), M sold out (0) unless told otherwise. */
async function coat({ s = 3, m = 0, priceCents = 12000 }: { s?: number; m?: number; priceCents?: number } = {}) {
  const n = ++seq;
  const slug = `wool-coat-${n}`;
  const made = await makeProduct(db, {
    slug,
    name: `Wool Coat ${n}`,
    variants: [makeVariant({ sku: `COAT${n}-S`, size: 'S', priceCents, stock: s }), makeVariant({ sku: `COAT${n}-M`, size: 'M', priceCents, stock: m })],
  });
  return { id: made.id, slug, name: `Wool Coat ${n}`, s: `COAT${n}-S`, m: `COAT${n}-M` };
}

async function reader(): Promise<SessionUser> {
  const email = `reader${++seq}@example.com`;
  const [u] = await db.insert(users).values({ email, passwordHash: '', role: 'reader', createdAt: T0 - 100 * DAY, emailVerifiedAt: T0 - 100 * DAY }).returning();
  return { id: u!.id, email, role: 'reader', creatorId: null };
}

const count = async (table: typeof stockAlerts | typeof outboxEmails) => Number((await db.select({ n: sql<number>`count(*)` }).from(table).get())!.n);
const alertMails = (to: string) => db.select().from(outboxEmails).where(and(eq(outboxEmails.kind, 'wishlist_alert'), eq(outboxEmails.toAddress, to)));
const setStock = (sku: string, n: number) => db.update(variants).set({ stockOnHand: n }).where(eq(variants.sku, sku));

/** Places the bag as an order and pays it with the test provider; returns the order's one line. */
async function payBag(cartId: string, { email, at, buyerUserId = null }: { email: string; at: number; buyerUserId?: number | null }) {
  const placed = await placeOrder(db, { cartId, form: { ...BUYER_FORM, email }, config: TEST_CHECKOUT, provider: 'test', now: at, buyerUserId });
  if (!placed.ok) throw new Error(`placeOrder: ${JSON.stringify(placed)}`);
  const paid = await applyPaymentEvent(app, testPaymentEvent(placed.orderId, `test_cs_wishlist_${String(++seq).padStart(6, '0')}`, 'pay'), { now: at });
  expect(paid.outcome).toBe('fulfilled');
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.orderId));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('restock alerts', () => {
  it('refuses a size in stock, accepts a sold-out one, refuses the same alert again (same canonical address) — refusals write nothing', async () => {
    const p = await coat();
    const before = await count(stockAlerts);
    const inStock = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, sku: p.s, email: 'ines@example.com', post: POST, card: '0' }, checkSource: mayaPost, now: T0 });
    expect(inStock).toMatchObject({ ok: false, reason: 'not_sold_out', message: 'Good news: that size is in stock now, so you can add it to your bag straight away.' });
    expect(await count(stockAlerts)).toBe(before);

    const set = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, sku: p.m, email: ' Ines@Example.com ', post: POST, card: '0' }, checkSource: mayaPost, now: T0 });
    expect(set).toMatchObject({ ok: true, kind: 'restock', email: 'ines@example.com', productName: p.name });
    if (!set.ok) return;
    expect(set.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await count(stockAlerts)).toBe(before + 1);
    const row = await db.select().from(stockAlerts).where(eq(stockAlerts.productId, p.id)).get();
    expect(row).toMatchObject({ kind: 'restock', email: 'ines@example.com', sendTo: 'ines@example.com', priceSeenCents: 12000, sourcePost: POST, sourceCard: 0, sourceCreatorId: maya.id, sentAt: null, unsubscribedAt: null });
    expect(row!.tokenHash).not.toContain(set.token); // only the hash is stored
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    // The same size again, typed differently (a +tag): one open alert per canonical address.
    const again = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, sku: p.m, email: 'INES+coats@example.com' }, checkSource: mayaPost, now: T0 + 1 });
    expect(again).toMatchObject({ ok: false, reason: 'alert_exists' });
    expect(!again.ok && again.message).toBe(`An alert is already set for ${p.name} in M to this address. We'll email once when it's back.`);
    expect(await count(stockAlerts)).toBe(before + 1);
  });

  it('refuses a bad or missing email and a restock without a size, in people’s words, writing nothing', async () => {
    const p = await coat();
    const before = await count(stockAlerts);
    const bad = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, sku: p.m, email: 'ines-at-example' }, checkSource: mayaPost, now: T0 });
    expect(bad).toEqual({ ok: false, reason: 'invalid', message: 'Enter a valid email address, like name@example.com.', fieldErrors: { email: 'Enter a valid email address, like name@example.com.' } });
    const none = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, sku: p.m, email: '  ' }, checkSource: mayaPost, now: T0 });
    expect(none).toMatchObject({ ok: false, reason: 'invalid', message: 'Enter your email address so we can tell you.', fieldErrors: { email: 'Enter your email address so we can tell you.' } });
    const noSize = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, email: 'ines@example.com' }, checkSource: mayaPost, now: T0 });
    expect(noSize).toMatchObject({ ok: false, reason: 'invalid', message: 'Choose the size you want.', fieldErrors: { sku: 'Choose the size you want.' } });
    // A card that does not show the product is no credit to claim.
    const wrongCard = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, sku: p.m, email: 'ines@example.com', post: POST, card: '7' }, checkSource: mayaPost, now: T0 });
    expect(wrongCard).toMatchObject({ ok: false, reason: 'unknown_source' });
    expect(await count(stockAlerts)).toBe(before);
  });

  it('a signed-in reader’s alert goes to their account address, whatever the form says', async () => {
    const p = await coat();
    const u = await reader();
    const r = await setWishlistAlert(app, { user: u, fields: { kind: 'restock', product: p.slug, sku: p.m, email: 'someone-else@example.com' }, checkSource: mayaPost, now: T0 });
    expect(r).toMatchObject({ ok: true, email: u.email });
    expect(await db.select({ sendTo: stockAlerts.sendTo, userId: stockAlerts.userId }).from(stockAlerts).where(eq(stockAlerts.productId, p.id)).get()).toEqual({ sendTo: u.email, userId: u.id });
  });

  describe('restocked: sent once, the link buys with the alert’s credit, unsubscribe', () => {
    let p: Awaited<ReturnType<typeof coat>>;
    let setToken: string;
    let token: string;
    const to = 'noor@example.com';
    const SENT_AT = T0 + 3 * DAY;

    beforeAll(async () => {
      p = await coat();
      const set = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: p.slug, sku: p.m, email: to, post: POST, card: '1' }, checkSource: mayaPost, now: T0 });
      if (!set.ok) throw new Error(set.message);
      setToken = set.token;
    });

    it('nothing is sent while the size is still sold out', async () => {
      expect(await sendDueAlerts(app, { now: T0 + DAY })).toEqual({ sent: 0 });
      expect(await alertMails(to)).toHaveLength(0);
    });

    it('two concurrent checks after the restock send exactly one email; checking again sends nothing', async () => {
      await setStock(p.m, 4);
      const results = await Promise.all([sendDueAlerts(app, { now: SENT_AT }), sendDueAlerts(app, { productIds: [p.id], now: SENT_AT })]);
      expect(results.map((r) => r.sent).sort()).toEqual([0, 1]);
      const mails = await alertMails(to);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ subject: `Back in stock: ${p.name} (M)`, sentAt: null });
      expect(mails[0]!.textBody).toContain('is back in stock at $120.00');
      const row = await db.select().from(stockAlerts).where(eq(stockAlerts.productId, p.id)).get();
      expect(row).toMatchObject({ sentAt: SENT_AT, sentPriceCents: 12000, outboxEmailId: mails[0]!.id });

      expect(await sendDueAlerts(app, { now: SENT_AT + DAY })).toEqual({ sent: 0 });
      expect(await alertMails(to)).toHaveLength(1);

      const base = app.config.shop.siteUrl.replace(/\/$/, '');
      const open = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/alerts/([A-Za-z0-9_-]{43})\\n`).exec(mails[0]!.textBody);
      expect(open).not.toBeNull();
      token = open![1]!;
      expect(mails[0]!.textBody).toContain(`${base}/alerts/${token}/unsubscribe`);
      expect(mails[0]!.htmlBody).toContain(`/alerts/${token}`);
      expect(token).not.toBe(setToken); // rotated when sent
    });

    it('the token shown when the alert was set no longer opens it; the emailed one does, with the credit it was set from', async () => {
      expect(await alertPage(app, setToken)).toMatchObject({ ok: false, reason: 'not_found' });
      const page = await alertPage(app, token, SENT_AT + DAY);
      expect(page.ok).toBe(true);
      if (!page.ok) return;
      expect(page.creatorName).toBe('Maya Lin');
      expect(page.boardName).toBeNull();
      expect(page.alert).toMatchObject({ kind: 'restock', productSlug: p.slug, sendTo: to, sentAt: SENT_AT, credit: { post: POST, card: 1, boardId: null, creatorId: maya.id } });
      expect(page.product?.slug).toBe(p.slug);
      expect(page.product?.variants.find((v) => v.sku === p.m)?.available).toBe(4);
      for (const bad of ['', 'short', `${token.slice(0, 42)}!`, 'A'.repeat(43)]) expect(await alertPage(app, bad)).toMatchObject({ ok: false, reason: 'not_found' });
    });

    it('"Add to bag" from the alert’s page puts the alert’s post, card, creator and the email’s time on the bag line', async () => {
      const r = await addCreditedToBag(app, { owner: null, cartId: null, fields: { from: 'alert', token, sku: p.m, qty: '1' }, now: SENT_AT + DAY });
      expect(r).toMatchObject({ ok: true, qty: 1 });
      if (!r.ok) return;
      const line = await db.select().from(cartLines).where(eq(cartLines.cartId, r.cartId)).get();
      expect(line).toMatchObject({ sourcePost: POST, sourceCard: 1, sourceCreatorId: maya.id, sourceBoardId: null, sourceSavedAt: SENT_AT, qty: 1 });
      // Another size of the same product is fine; a SKU of another product is not.
      const other = await coat({ m: 5 });
      expect(await addCreditedToBag(app, { owner: null, cartId: r.cartId, fields: { from: 'alert', token, sku: other.m, qty: '1' }, now: SENT_AT + DAY })).toMatchObject({ ok: false, reason: 'unknown_variant' });
      const bad = await addCreditedToBag(app, { owner: null, cartId: null, fields: { from: 'alert', token: 'x'.repeat(43), sku: p.m, qty: '1' }, now: SENT_AT + DAY });
      expect(bad).toMatchObject({ ok: false, reason: 'not_found', message: 'This alert link is not valid. Open it again from the email.' });
      expect((await db.select().from(cartLines).where(eq(cartLines.cartId, r.cartId))).length).toBe(1);
    });

    it('bought from the alert’s link and paid: the order line is credited “saved” to the post the alert was set from', async () => {
      const r = await addCreditedToBag(app, { owner: null, cartId: null, fields: { from: 'alert', token, sku: p.m, qty: '1' }, now: SENT_AT + 2 * DAY });
      if (!r.ok) throw new Error(r.message);
      const line = await payBag(r.cartId, { email: to, at: SENT_AT + 2 * DAY });
      expect(line).toMatchObject({ sku: p.m, sourcePost: POST, sourceCard: 1, sourceSavedAt: SENT_AT, attributionSource: 'saved', creditedCreatorId: maya.id, attributionRef: POST });
    });

    it('unsubscribe by the emailed token needs no session, stops every waiting alert to that address, and a second time is harmless', async () => {
      // Two more alerts waiting for the same person (one typed with a +tag), one for somebody else.
      const q = await coat();
      const a = await setWishlistAlert(app, { user: null, fields: { kind: 'restock', product: q.slug, sku: q.m, email: 'Noor+winter@example.com' }, checkSource: mayaPost, now: SENT_AT });
      const b = await setWishlistAlert(app, { user: null, fields: { kind: 'price_drop', product: q.slug, email: to }, checkSource: mayaPost, now: SENT_AT });
      const c = await setWishlistAlert(app, { user: null, fields: { kind: 'price_drop', product: q.slug, email: 'kit@example.com' }, checkSource: mayaPost, now: SENT_AT });
      expect([a.ok, b.ok, c.ok]).toEqual([true, true, true]);

      const U = SENT_AT + 5 * DAY;
      const first = await unsubscribeFromAlert(app, token, U);
      expect(first).toMatchObject({ ok: true, stopped: 2, email: to });
      const mine = await db.select({ id: stockAlerts.id, unsubscribedAt: stockAlerts.unsubscribedAt, email: stockAlerts.email }).from(stockAlerts).where(eq(stockAlerts.email, to));
      expect(mine).toHaveLength(3);
      expect(mine.every((m) => m.unsubscribedAt === U)).toBe(true);
      expect((await db.select({ u: stockAlerts.unsubscribedAt }).from(stockAlerts).where(eq(stockAlerts.email, 'kit@example.com')).get())!.u).toBeNull();

      const second = await unsubscribeFromAlert(app, token, U + DAY);
      expect(second).toMatchObject({ ok: true, stopped: 0, email: to });
      expect((await db.select({ u: stockAlerts.unsubscribedAt }).from(stockAlerts).where(eq(stockAlerts.productId, p.id)).get())!.u).toBe(U);

      expect(await unsubscribeFromAlert(app, 'y'.repeat(43), U)).toMatchObject({ ok: false, reason: 'not_found' });
      expect(await unsubscribeFromAlert(app, 'not a token', U)).toMatchObject({ ok: false, reason: 'not_found' });

      // Stopped alerts are never sent, even when due.
      await setStock(q.m, 2);
      expect(await sendDueAlerts(app, { now: U + 2 * DAY })).toEqual({ sent: 0 });
      expect(await alertMails('noor+winter@example.com')).toHaveLength(0);
    });
  });
});

describe('price-drop alerts', () => {
  it('a higher or equal price sends nothing; a lower one sends one email, once', async () => {
    const p = await coat({ m: 2, priceCents: 10000 });
    const to = 'pia@example.com';
    const set = await setWishlistAlert(app, { user: null, fields: { kind: 'price_drop', product: p.slug, email: to, post: POST, card: '0' }, checkSource: mayaPost, now: T0 });
    expect(set).toMatchObject({ ok: true, kind: 'price_drop' });
    expect((await db.select({ seen: stockAlerts.priceSeenCents }).from(stockAlerts).where(eq(stockAlerts.productId, p.id)).get())!.seen).toBe(10000);

    await db.update(variants).set({ priceCents: 11000 }).where(eq(variants.productId, p.id));
    expect(await sendDueAlerts(app, { now: T0 + DAY })).toEqual({ sent: 0 });
    await db.update(variants).set({ priceCents: 10000 }).where(eq(variants.productId, p.id));
    expect(await sendDueAlerts(app, { now: T0 + 2 * DAY })).toEqual({ sent: 0 });
    expect(await alertMails(to)).toHaveLength(0);

    await db.update(variants).set({ priceCents: 8500 }).where(eq(variants.sku, p.s));
    expect(await sendDueAlerts(app, { now: T0 + 3 * DAY })).toEqual({ sent: 1 });
    const mails = await alertMails(to);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Price drop: ${p.name} is now $85.00`);
    expect(mails[0]!.textBody).toContain('is now $85.00, down from $100.00 when you asked us to tell you');
    expect(await db.select({ sentAt: stockAlerts.sentAt, sentPriceCents: stockAlerts.sentPriceCents }).from(stockAlerts).where(eq(stockAlerts.productId, p.id)).get()).toEqual({ sentAt: T0 + 3 * DAY, sentPriceCents: 8500 });

    await db.update(variants).set({ priceCents: 7000 }).where(eq(variants.productId, p.id));
    expect(await sendDueAlerts(app, { now: T0 + 4 * DAY })).toEqual({ sent: 0 });
    expect(await alertMails(to)).toHaveLength(1);
  });

  it('the admin lowering the price in the product form sends the waiting alert at once', async () => {
    const p = await coat({ m: 2, priceCents: 10000 });
    const to = 'ola@example.com';
    expect((await setWishlistAlert(app, { user: null, fields: { kind: 'price_drop', product: p.slug, email: to }, checkSource: mayaPost, now: T0 })).ok).toBe(true);
    const admin = await getAdminProduct(db, p.id);
    const form = new FormData();
    const fields: Record<string, string> = {
      intent: 'save',
      title: admin!.title,
      slug: admin!.slug,
      description: admin!.description,
      brandId: String(admin!.brandId),
      categoryId: String(admin!.categoryId),
      tags: '',
      seoTitle: '',
      seoDescription: '',
      sizes: axesOf(admin!.variants).sizes.join(', '),
      colours: '',
      active: 'on',
    };
    rowsOf(admin!.variants).forEach((r, i) => {
      Object.assign(fields, { [`v${i}_id`]: r.id, [`v${i}_size`]: r.size, [`v${i}_colour`]: r.colour, [`v${i}_sku`]: r.sku, [`v${i}_price`]: '79.00', [`v${i}_compareAt`]: r.compareAt, [`v${i}_stock`]: r.stock, [`v${i}_stockWas`]: r.stockWas, [`v${i}_active`]: 'on' });
    });
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const saved = await saveProductForm(app, { user: { id: 1, role: 'admin' }, id: p.id, form, now: T0 + DAY });
    expect(saved.kind).toBe('done');
    const mails = await alertMails(to);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Price drop: ${p.name} is now $79.00`);
  });
});

describe('the sweep', () => {
  it('finds a due alert behind more than 200 open alerts that still wait (none is starved)', async () => {
    const own = await createTestDb();
    const sweepApp = testApp(own);
    await makeProduct(own, { slug: 'still-full-price', variants: [makeVariant({ sku: 'FULL-M', size: 'M', priceCents: 9000, stock: 4 })] });
    await makeProduct(own, { slug: 'back-soon', name: 'Back Soon Tee', variants: [makeVariant({ sku: 'BACK-M', size: 'M', priceCents: 5000, stock: 0 })] });
    for (let i = 0; i < 201; i++) {
      const r = await setWishlistAlert(sweepApp, { user: null, fields: { kind: 'price_drop', product: 'still-full-price', email: `waiting${i}@example.com` }, checkSource: () => true, now: T0 });
      if (!r.ok) throw new Error(r.message);
    }
    expect((await setWishlistAlert(sweepApp, { user: null, fields: { kind: 'restock', product: 'back-soon', sku: 'BACK-M', email: 'due@example.com' }, checkSource: () => true, now: T0 })).ok).toBe(true);
    await own.update(variants).set({ stockOnHand: 3 }).where(eq(variants.sku, 'BACK-M'));
    expect(await sendDueAlerts(sweepApp, { now: T0 + DAY })).toEqual({ sent: 1 });
    const mails = await own.select({ to: outboxEmails.toAddress, subject: outboxEmails.subject }).from(outboxEmails).where(eq(outboxEmails.kind, 'wishlist_alert'));
    expect(mails).toEqual([{ to: 'due@example.com', subject: 'Back in stock: Back Soon Tee (M)' }]);
  });
});

describe('saved credit through a later purchase', () => {
  /** Saves the coat from card 0 of Maya's post, as `user`, at `at`; returns the owner and item id. */
  async function saveFromPost(user: SessionUser, p: Awaited<ReturnType<typeof coat>>, at: number): Promise<{ owner: Owner; itemId: number }> {
    const r = await saveForLater(app, { user, guestListId: null, fields: { product: p.slug, sku: p.s, post: POST, card: '0' }, checkSource: mayaPost, now: at });
    expect(r).toMatchObject({ ok: true, created: true, productName: p.name, listId: null });
    const owner: Owner = { kind: 'user', userId: user.id };
    const item = await db.select().from(savedItems).where(and(eq(savedItems.userId, user.id), eq(savedItems.productId, p.id))).get();
    expect(item).toMatchObject({ sourcePost: POST, sourceCard: 0, sourceCreatorId: maya.id, sourceBoardId: null, savedAt: at, priceSeenCents: 12000 });
    return { owner, itemId: item!.id };
  }

  it('bought from the wishlist within the window and paid: the line is “saved”, credited to the post’s creator, with a commission', async () => {
    const p = await coat();
    const u = await reader();
    const { owner, itemId } = await saveFromPost(u, p, T0);
    const list = await wishlistPage(app, owner, T0 + DAY);
    expect(list.windowDays).toBe(90);
    expect(list.items.map((i) => [i.id, i.creatorName, i.creatorHandle, i.creditUntil])).toEqual([[itemId, 'Maya Lin', 'maya', T0 + 90 * DAY]]);

    const BUY = T0 + 20 * DAY;
    const bag = await addCreditedToBag(app, { owner, cartId: null, fields: { from: 'saved', item: String(itemId), sku: p.s, qty: '1' }, now: BUY });
    if (!bag.ok) throw new Error(bag.message);
    expect(await db.select().from(cartLines).where(eq(cartLines.cartId, bag.cartId)).get()).toMatchObject({ sourcePost: POST, sourceCard: 0, sourceCreatorId: maya.id, sourceSavedAt: T0 });
    const line = await payBag(bag.cartId, { email: u.email, at: BUY, buyerUserId: u.id });
    expect(line).toMatchObject({ attributionSource: 'saved', creditedCreatorId: maya.id, attributionRef: POST, sourcePost: POST, sourceCard: 0, sourceSavedAt: T0 });
    expect(line.attributionReason).toContain('20 days before payment (window 90 days)');
    const sale = await db.select().from(commissionEntries).where(eq(commissionEntries.orderLineId, line.id)).get();
    expect(sale).toMatchObject({ creatorId: maya.id, kind: 'sale', baseCents: 12000 });
    expect(sale!.note).toContain('(saved)');
  });

  it('another reader’s item cannot be bought with its credit', async () => {
    const p = await coat();
    const owner = await reader();
    const { itemId } = await saveFromPost(owner, p, T0);
    const other = await reader();
    const r = await addCreditedToBag(app, { owner: { kind: 'user', userId: other.id }, cartId: null, fields: { from: 'saved', item: String(itemId), sku: p.s, qty: '1' }, now: T0 + DAY });
    expect(r).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await addCreditedToBag(app, { owner: null, cartId: null, fields: { from: 'saved', item: String(itemId), sku: p.s }, now: T0 + DAY })).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('past SAVED_CREDIT_DAYS (default 90) no saved credit is given, and the reason says the window lapsed', async () => {
    const p = await coat();
    const u = await reader();
    const { owner, itemId } = await saveFromPost(u, p, T0);
    const LATE = T0 + 91 * DAY;
    expect((await wishlistPage(app, owner, LATE)).items[0]!.creditUntil).toBeLessThan(LATE);
    const bag = await addCreditedToBag(app, { owner, cartId: null, fields: { from: 'saved', item: String(itemId), sku: p.s, qty: '1' }, now: LATE });
    if (!bag.ok) throw new Error(bag.message);
    const line = await payBag(bag.cartId, { email: u.email, at: LATE, buyerUserId: u.id });
    expect(line).toMatchObject({ attributionSource: 'none', creditedCreatorId: null });
    expect(line.attributionReason).toContain('outside the 90-day window for saved items');
    expect(await db.select().from(commissionEntries).where(eq(commissionEntries.orderLineId, line.id))).toHaveLength(0);
  });

  it('honours a configured window (SAVED_CREDIT_DAYS=7): 8 days later is too late', async () => {
    const week = testApp(db, { config: { credit: { ...TEST_CONFIG.credit, savedWindowMs: 7 * DAY } } });
    const p = await coat();
    const u = await reader();
    const { owner, itemId } = await saveFromPost(u, p, T0);
    expect((await wishlistPage(week, owner, T0)).windowDays).toBe(7);
    const bag = await addCreditedToBag(week, { owner, cartId: null, fields: { from: 'saved', item: String(itemId), sku: p.s, qty: '1' }, now: T0 + 8 * DAY });
    if (!bag.ok) throw new Error(bag.message);
    const placed = await placeOrder(db, { cartId: bag.cartId, form: { ...BUYER_FORM, email: u.email }, config: TEST_CHECKOUT, provider: 'test', now: T0 + 8 * DAY, buyerUserId: u.id });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    expect((await applyPaymentEvent(week, testPaymentEvent(placed.orderId, `test_cs_wishlist_week_${++seq}`, 'pay'), { now: T0 + 8 * DAY })).outcome).toBe('fulfilled');
    const line = await db.select().from(orderLines).where(eq(orderLines.orderId, placed.orderId)).get();
    expect(line).toMatchObject({ attributionSource: 'none', creditedCreatorId: null });
    expect(line!.attributionReason).toContain('outside the 7-day window for saved items');
  });

  it('the creator buying an item saved from her own post gets no credit (self-referral)', async () => {
    const p = await coat();
    const { owner, itemId } = await saveFromPost(mayaUser, p, T0);
    const bag = await addCreditedToBag(app, { owner, cartId: null, fields: { from: 'saved', item: String(itemId), sku: p.s, qty: '1' }, now: T0 + DAY });
    if (!bag.ok) throw new Error(bag.message);
    const line = await payBag(bag.cartId, { email: 'maya@lookbook.test', at: T0 + DAY, buyerUserId: mayaUser.id });
    expect(line).toMatchObject({ attributionSource: 'excluded', creditedCreatorId: null, attributionRef: POST });
    expect(line.attributionReason).toContain('Self-referral');
    expect(line.attributionReason).toContain('Would have been “saved”');
    expect(await db.select().from(commissionEntries).where(eq(commissionEntries.orderLineId, line.id))).toHaveLength(0);
  });
});
