/**
 * Placing an order (docs/architecture.md, rules 1, 2 and 6): in ONE write transaction, price the
 * bag from the server's catalog, check the coupon, check that every line is available, create the
 * pending order with price/title snapshots, and reserve stock with a TTL. If anything is short,
 * nothing is written and the buyer learns which line. SQLite runs one write transaction at a time,
 * so two buyers can never both reserve the last unit (see ADR 0006).
 */
import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Db, Tx } from '../db.ts';
import { couponRedemptions, orderEvents, orderLines, orders, stockReservations, variants } from '../../../db/schema/index.ts';
import { bumpCatalogVersion } from '../catalog/index.ts';
import { loadBag } from '../cart/index.ts';
import { lineWarning } from '../cart/index.ts';
import type { CheckoutConfig } from './pricing.ts';
import { priceBag } from './price-bag.ts';
import { canonicalEmail, normaliseEmail } from '../shared/index.ts';
import type { CheckoutForm } from './checkout-form.ts';
import type { OrderForPayment } from '../payments/index.ts';
import { newOrderNumber } from '../orders/index.ts';
import { releaseOrder } from '../orders/index.ts';
import { checkFlashSales, recordFlashTakes, recordPresaleTakes, type SaleRefusalReason } from '../sales/index.ts';

export type PlaceOrderResult =
  | {
      ok: true;
      orderId: number;
      number: string;
      totalCents: number;
      expiresAt: number;
      /** Earlier unpaid orders of this bag that this one supersedes, with their checkout sessions to close. */
      superseded: { orderId: number; sessionId: string | null; provider: 'test' | 'stripe' }[];
    }
  | { ok: false; reason: 'empty_bag' }
  | { ok: false; reason: 'unavailable'; lines: { sku: string; title: string; variantLabel: string; available: number; wanted: number }[] }
  | { ok: false; reason: 'coupon'; message: string }
  | { ok: false; reason: SaleRefusalReason; message: string; title: string };

export { couponUsage, findCoupon } from './price-bag.ts';

/** How long after placing a canceled attempt could still be paid (Stripe's longest session, 24 h, plus margin). */
const SUPERSEDE_HORIZON_MS = 25 * 60 * 60_000;

export async function placeOrder(
  db: Db,
  {
    cartId,
    form,
    config,
    provider,
    now = Date.now(),
    formatMoney,
    ref = null,
    buyerUserId = null,
    claimedSales = [],
    formatTime = (ms) => new Date(ms).toISOString(),
  }: {
    cartId: string;
    form: CheckoutForm;
    config: CheckoutConfig;
    provider: 'test' | 'stripe';
    now?: number;
    formatMoney?: (c: number) => string;
    /** The verified attribution cookie (last referral click), if any. */
    ref?: { clickId: string; creatorId: number; at: number } | null;
    /** The signed-in account placing the order, if any (self-referral, ADR 0012). */
    buyerUserId?: number | null;
    /** Flash sales the buyer was shown in the checkout summary: one that no longer prices their line is refused with the reason (ADR 0051). */
    claimedSales?: readonly number[];
    /** A moment in the shop's time zone, for "it starts at …". */
    formatTime?: (ms: number) => string;
  },
): Promise<PlaceOrderResult> {
  const method = config.shippingMethods.find((m) => m.id === form.shippingMethod);
  if (!method) throw new Error(`unknown shipping method ${form.shippingMethod} (validate the form first)`);
  return db.transaction(async (tx) => {
    // A buyer who goes back and places the order again (Back from the payment page, a second tab)
    // replaces their earlier unpaid attempts: their holds are released so they do not block this
    // one, and once this order exists they are marked superseded by it — the caller closes their
    // checkout sessions, and a payment that still lands on one is refunded (fulfil.ts). Canceled
    // attempts count too while their session could still be paid (a lapsed hold can be paid late;
    // Stripe keeps a session open up to 24 hours).
    const earlier = await tx
      .select({ id: orders.id, status: orders.status, sessionId: orders.providerSessionId, provider: orders.provider })
      .from(orders)
      .where(
        and(
          eq(orders.cartId, cartId),
          isNull(orders.paidAt),
          isNull(orders.supersededByOrderId),
          eq(orders.needsRefund, false),
          or(eq(orders.status, 'pending'), and(eq(orders.status, 'canceled'), gt(orders.createdAt, now - SUPERSEDE_HORIZON_MS))),
        ),
      );
    for (const o of earlier) if (o.status === 'pending') await releaseOrder(tx, o.id, { now, actor: 'buyer', note: 'Replaced by a new checkout attempt for the same bag' });

    const lines = await loadBag(tx, cartId, now);
    if (lines.length === 0) return { ok: false, reason: 'empty_bag' } as const;
    const short = lines
      .filter((l) => lineWarning(l) !== null)
      .map((l) => ({ sku: l.sku, title: l.title, variantLabel: l.variantLabel, available: l.purchasable ? l.available : 0, wanted: l.qty }));
    if (short.length) return { ok: false, reason: 'unavailable', lines: short } as const;
    // Pre-orders (ADR 0055): the sizes of a product share its presale cap, read in this transaction
    // (this bag's earlier attempts were released above), so no two orders can pass it together.
    const byPresale = new Map<number, { wanted: number; left: number; line: (typeof lines)[number] }>();
    for (const l of lines) {
      if (!l.presale) continue;
      const e = byPresale.get(l.presale.presaleId) ?? { wanted: 0, left: l.available, line: l };
      e.wanted += l.qty;
      byPresale.set(l.presale.presaleId, e);
    }
    const overCap = [...byPresale.values()].filter((e) => e.wanted > e.left);
    if (overCap.length)
      return {
        ok: false,
        reason: 'unavailable',
        lines: overCap.map((e) => ({ sku: e.line.sku, title: e.line.title, variantLabel: 'pre-orders, all sizes together', available: e.left, wanted: e.wanted })),
      } as const;

    const priced = await priceBag(tx, {
      lines,
      config,
      shippingMethod: method.id,
      couponCode: form.couponCode,
      email: form.email,
      now,
      formatMoney: formatMoney ?? ((c) => String(c)),
    });
    if (priced.coupon && !priced.coupon.ok) return { ok: false, reason: 'coupon', message: priced.coupon.message } as const;
    // Flash sales: live at this moment, units left, the buyer's own limit — read and recorded in
    // this transaction, so 500 buyers at the first second cannot take more than the allotment.
    const sales = await checkFlashSales(tx, {
      lines: lines.map((l) => ({ productId: l.productId ?? 0, variantId: l.variantId ?? 0, title: l.title, qty: l.qty, unitPriceCents: l.unitPriceCents, sale: l.sale })),
      claimed: claimedSales,
      buyer: { email: canonicalEmail(form.email), userId: buyerUserId },
      now,
      formatTime,
    });
    if (!sales.ok) return { ok: false, reason: sales.reason, message: sales.message, title: sales.title } as const;
    const coupon = priced.coupon?.ok ? priced.coupon.rule : undefined;
    const totals = priced.totals;
    const expiresAt = now + config.reservationTtlMs;

    let number = newOrderNumber();
    while (await tx.select({ id: orders.id }).from(orders).where(eq(orders.number, number)).get()) number = newOrderNumber();
    const order = await tx
      .insert(orders)
      .values({
        number,
        cartId,
        email: normaliseEmail(form.email),
        status: 'pending',
        currency: config.currency,
        subtotalCents: totals.subtotalCents,
        discountCents: totals.discountCents,
        shippingCents: totals.shippingCents,
        totalCents: totals.totalCents,
        couponId: coupon?.id ?? null,
        couponCode: coupon?.code ?? null,
        shippingMethod: method.id,
        shippingLabel: method.label,
        shipName: form.name,
        shipLine1: form.line1,
        shipLine2: form.line2,
        shipCity: form.city,
        shipRegion: form.region,
        shipPostcode: form.postcode,
        shipCountry: form.country,
        provider,
        reservationExpiresAt: expiresAt,
        createdAt: now,
        updatedAt: now,
        refClickId: ref?.clickId ?? null,
        refCreatorId: ref?.creatorId ?? null,
        refClickedAt: ref?.at ?? null,
        codeCreatorId: coupon?.creatorId ?? null,
        buyerUserId,
      })
      .returning({ id: orders.id })
      .get();

    const lineIds: number[] = [];
    for (const [i, l] of lines.entries()) {
      const variant = await tx.select({ id: variants.id }).from(variants).where(eq(variants.sku, l.sku)).get();
      if (!variant) throw new Error(`variant ${l.sku} vanished inside the transaction`);
      const line = await tx.insert(orderLines).values({
        orderId: order.id,
        variantId: variant.id,
        productSlug: l.productSlug,
        sku: l.sku,
        title: l.title,
        variantLabel: l.variantLabel,
        imagePath: l.imagePath,
        unitPriceCents: l.unitPriceCents,
        qty: l.qty,
        subtotalCents: l.unitPriceCents * l.qty,
        discountCents: totals.lineDiscounts[i] ?? 0,
        sourcePost: l.source.kind === 'post' ? l.source.post : null,
        sourceCard: l.source.kind === 'post' ? l.source.card : null,
        sourceCreatorId: l.sourceCreatorId ?? null,
        sourceBoardId: l.sourceBoardId ?? null,
        sourceSavedAt: l.sourceSavedAt ?? null,
      }).returning({ id: orderLines.id }).get();
      lineIds.push(line.id);
      await tx.insert(stockReservations).values({
        orderId: order.id,
        variantId: variant.id,
        qty: l.qty,
        status: 'active',
        expiresAt,
        createdAt: now,
      });
    }
    if (earlier.length > 0) {
      await tx.update(orders).set({ supersededByOrderId: order.id, updatedAt: now }).where(inArray(orders.id, earlier.map((o) => o.id)));
      for (const o of earlier) await tx.insert(orderEvents).values({ orderId: o.id, at: now, actor: 'buyer', note: `Superseded by order ${number} for the same bag` });
    }
    await recordPresaleTakes(
      tx,
      lines.flatMap((l, i) => (l.presale ? [{ presaleId: l.presale.presaleId, orderId: order.id, orderLineId: lineIds[i]!, qty: l.qty, shipsOn: l.presale.shipsOn }] : [])),
      now,
    );
    await recordFlashTakes(tx, sales.takes.map((t) => ({ scheduleId: t.scheduleId, orderId: order.id, orderLineId: lineIds[t.lineIndex]!, email: canonicalEmail(form.email), userId: buyerUserId, qty: t.qty })), now);
    if (coupon) await tx.insert(couponRedemptions).values({ couponId: coupon.id, orderId: order.id, email: canonicalEmail(form.email), createdAt: now });
    await tx.insert(orderEvents).values({ orderId: order.id, at: now, fromStatus: null, toStatus: 'pending', actor: 'buyer', note: 'Order placed; stock reserved' });
    await bumpCatalogVersion(tx);
    return {
      ok: true,
      orderId: order.id,
      number,
      totalCents: totals.totalCents,
      expiresAt,
      superseded: earlier.map((o) => ({ orderId: o.id, sessionId: o.sessionId, provider: o.provider })),
    } as const;
  });
}

/** What the payment provider needs to charge an order (server prices only). */
export async function orderForPayment(db: Db, orderId: number): Promise<OrderForPayment | undefined> {
  const o = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!o) return undefined;
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.id);
  return {
    id: o.id,
    number: o.number,
    email: o.email,
    currency: o.currency,
    totalCents: o.totalCents,
    shippingCents: o.shippingCents,
    discountCents: o.discountCents,
    shippingLabel: o.shippingLabel,
    expiresAt: o.reservationExpiresAt,
    lines: lines.map((l) => ({ title: l.title, variantLabel: l.variantLabel, unitPriceCents: l.unitPriceCents, qty: l.qty, discountCents: l.discountCents })),
  };
}

/** What deciding on a new payment for an order needs (retryPayment). */
export async function paymentState(db: Db, orderId: number, now: number) {
  const o = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!o) return undefined;
  const held = await db
    .select({ id: stockReservations.id })
    .from(stockReservations)
    .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'active'), gt(stockReservations.expiresAt, now)))
    .limit(1)
    .get();
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    provider: o.provider,
    sessionId: o.providerSessionId,
    wasPaid: o.paidAt !== null || o.needsRefund || o.refundedCents > 0,
    superseded: o.supersededByOrderId !== null,
    /** The order's stock is still reserved for it. */
    holdLive: o.status === 'pending' && o.reservationExpiresAt > now && held !== undefined,
    reservationExpiresAt: o.reservationExpiresAt,
  };
}

export async function setProviderSession(db: Db, orderId: number, sessionId: string): Promise<void> {
  await db.update(orders).set({ providerSessionId: sessionId }).where(eq(orders.id, orderId));
}
