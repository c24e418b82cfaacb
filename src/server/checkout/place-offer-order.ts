/**
 * An order for one unit at an offer's price — a help-cut bought at the price reached, or a seat in
 * a group buy (src/server/social). Like placeOrder (place-order.ts) it runs inside ONE write
 * transaction the caller owns, so the offer's own checks (the launch is still open, the seat is
 * still free) and the order, its line and its stock reservation commit together or not at all.
 * No coupon applies on top of an offer price. The line carries the card it came from and its
 * channel, so payment credits it "cut" or "group" to that post (src/server/attribution).
 */
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db.ts';
import { orderEvents, orderLines, orders, products, stockReservations, variants } from '../../../db/schema/index.ts';
import { availableSql, bumpCatalogVersion, variantLabel } from '../catalog/index.ts';
import { normaliseEmail } from '../shared/index.ts';
import { newOrderNumber } from '../orders/index.ts';
import type { CheckoutForm } from './checkout-form.ts';
import { shippingCost, type CheckoutConfig } from './pricing.ts';

export interface OfferOrderInput {
  form: CheckoutForm;
  config: CheckoutConfig;
  provider: 'test' | 'stripe';
  variantId: number;
  unitPriceCents: number;
  channel: 'group' | 'cut';
  source: { post: string | null; card: number | null; creatorId: number | null };
  buyerUserId: number | null;
  /** How long the reservation holds the unit (a group seat holds it until the group ends). */
  holdUntil: number;
  now: number;
  ref?: { clickId: string; creatorId: number; at: number } | null;
  note: string;
}

export type OfferOrderResult = { ok: true; orderId: number; number: string; totalCents: number; expiresAt: number } | { ok: false; reason: 'unavailable' | 'inactive' };

export async function placeOfferOrder(tx: Tx, o: OfferOrderInput): Promise<OfferOrderResult> {
  const method = o.config.shippingMethods.find((m) => m.id === o.form.shippingMethod);
  if (!method) throw new Error(`unknown shipping method ${o.form.shippingMethod} (validate the form first)`);
  if (!Number.isInteger(o.unitPriceCents) || o.unitPriceCents < 0) throw new Error(`offer price must be whole minor units, got ${o.unitPriceCents}`);
  const v = await tx
    .select({
      id: variants.id,
      sku: variants.sku,
      size: variants.size,
      colour: variants.colour,
      active: variants.active,
      productActive: products.active,
      slug: products.slug,
      title: products.name,
      image: sql<string | null>`coalesce(${variants.imagePath}, ${products.imagePath})`,
      available: availableSql(o.now),
    })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(eq(variants.id, o.variantId))
    .get();
  if (!v || !v.active || !v.productActive) return { ok: false, reason: 'inactive' };
  if (v.available < 1) return { ok: false, reason: 'unavailable' };
  const subtotal = o.unitPriceCents;
  const shipping = shippingCost(method, subtotal);
  const total = subtotal + shipping;
  let number = newOrderNumber();
  while (await tx.select({ id: orders.id }).from(orders).where(eq(orders.number, number)).get()) number = newOrderNumber();
  const order = await tx
    .insert(orders)
    .values({
      number,
      cartId: null,
      email: normaliseEmail(o.form.email),
      status: 'pending',
      currency: o.config.currency,
      subtotalCents: subtotal,
      discountCents: 0,
      shippingCents: shipping,
      totalCents: total,
      shippingMethod: method.id,
      shippingLabel: method.label,
      shipName: o.form.name,
      shipLine1: o.form.line1,
      shipLine2: o.form.line2,
      shipCity: o.form.city,
      shipRegion: o.form.region,
      shipPostcode: o.form.postcode,
      shipCountry: o.form.country,
      provider: o.provider,
      reservationExpiresAt: o.holdUntil,
      createdAt: o.now,
      updatedAt: o.now,
      refClickId: o.ref?.clickId ?? null,
      refCreatorId: o.ref?.creatorId ?? null,
      refClickedAt: o.ref?.at ?? null,
      buyerUserId: o.buyerUserId,
    })
    .returning({ id: orders.id })
    .get();
  await tx.insert(orderLines).values({
    orderId: order.id,
    variantId: v.id,
    productSlug: v.slug,
    sku: v.sku,
    title: v.title,
    variantLabel: variantLabel(v),
    imagePath: v.image,
    unitPriceCents: o.unitPriceCents,
    qty: 1,
    subtotalCents: subtotal,
    discountCents: 0,
    sourcePost: o.source.post,
    sourceCard: o.source.card,
    sourceCreatorId: o.source.creatorId,
    channel: o.channel,
  });
  await tx.insert(stockReservations).values({ orderId: order.id, variantId: v.id, qty: 1, status: 'active', expiresAt: o.holdUntil, createdAt: o.now });
  await tx.insert(orderEvents).values({ orderId: order.id, at: o.now, fromStatus: null, toStatus: 'pending', actor: 'buyer', note: o.note });
  await bumpCatalogVersion(tx);
  return { ok: true, orderId: order.id, number, totalCents: total, expiresAt: o.holdUntil };
}
