/**
 * Bag persistence: carts and cart_lines. The cookie holds only the random cart id.
 */
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { brands, cardDaily, cartLines, carts, creators, products, variants } from '../../../db/schema/index.ts';
import { utcDay } from '../shared/index.ts';
import { availableSql } from '../catalog/index.ts';
import { loadSales, openPresale, ownPresaleHeld, priceVariant } from '../sales/index.ts';
import { variantLabel } from '../catalog/index.ts';
import { MAX_LINES_PER_BAG, mergeQty, type AddError, type AddToBagInput, type BagLineView } from './cart.ts';

/** 144 random bits, URL-safe: unguessable, so a bag cannot be read by enumerating ids. */
export function newCartId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return Buffer.from(bytes).toString('base64url');
}

export const CART_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

/**
 * Checks that a post's card at `card` shows `productSlug` (the page adapter answers from content).
 * Returns the post's creator handle (or true when the creator does not matter, e.g. in tests), or
 * false when the card is not in the post.
 */
export type SourceCheck = (post: string, card: number, productSlug: string) => string | boolean;

/** Where a wishlist, board or alert purchase came from, checked by the workflow that adds it. */
export interface TrustedCredit {
  post: string | null;
  card: number | null;
  boardId: number | null;
  creatorId: number | null;
  /** Set for a wishlist or alert purchase (the "saved" window); null for a board. */
  savedAt: number | null;
}

export type AddResult =
  | { ok: true; cartId: string; lineId: number; qty: number; created: boolean }
  | { ok: false; reason: AddError; available?: number };

/**
 * Adds a variant to the bag (creating the bag if `cartId` is missing or unknown). Adding a variant
 * already in the bag raises its quantity; the line keeps the source it was first added from.
 * Fails, writing nothing, on unknown/inactive variants, a card that is not in the post, the
 * per-line or per-bag limits, or not enough stock.
 */
export async function addToBag(
  db: Db,
  input: AddToBagInput,
  {
    cartId,
    now = Date.now(),
    checkSource,
    credit,
  }: {
    cartId?: string | null | undefined;
    now?: number;
    checkSource: SourceCheck;
    /**
     * A credit already verified by the caller (a saved item of this reader, a board, an alert's
     * token — src/server/flows/wishlist.ts): stored on a new line as is, instead of `input.source`.
     */
    credit?: TrustedCredit;
  },
): Promise<AddResult> {
  return db.transaction(async (tx) => {
    const v = await tx
      .select({ id: variants.id, productId: products.id, slug: products.slug, stockAvailable: availableSql(now) })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(and(eq(variants.sku, input.sku), eq(variants.active, true), eq(products.active, true)))
      .get();
    if (!v) return { ok: false, reason: 'unknown_variant' } as const;
    const presaleLeft = await presaleAvailable(tx, v.productId, cartId, now);
    const available = presaleLeft ?? v.stockAvailable;
    let sourceCreatorId: number | null = credit?.creatorId ?? null;
    if (!credit && input.source.kind === 'post') {
      const check = checkSource(input.source.post, input.source.card, v.slug);
      if (check === false) return { ok: false, reason: 'unknown_source' } as const;
      if (typeof check === 'string') {
        sourceCreatorId = (await tx.select({ id: creators.id }).from(creators).where(eq(creators.handle, check)).get())?.id ?? null;
      }
    }
    let id = cartId && CART_ID_PATTERN.test(cartId) ? cartId : null;
    if (id && !(await tx.select({ id: carts.id }).from(carts).where(eq(carts.id, id)).get())) id = null;
    const existing = id
      ? await tx.select().from(cartLines).where(and(eq(cartLines.cartId, id), eq(cartLines.variantId, v.id))).get()
      : undefined;
    const merged = mergeQty(existing?.qty ?? 0, input.qty);
    if (!merged.ok) return { ok: false, reason: merged.reason } as const;
    if (available <= 0) return { ok: false, reason: 'sold_out', available: 0 } as const;
    if (merged.qty > available) return { ok: false, reason: 'not_enough_stock', available } as const;
    if (!existing && id) {
      const lines = await tx.select({ n: count() }).from(cartLines).where(eq(cartLines.cartId, id)).get();
      if ((lines?.n ?? 0) >= MAX_LINES_PER_BAG) return { ok: false, reason: 'bag_full' } as const;
    }
    if (!credit && input.source.kind === 'post' && sourceCreatorId !== null) {
      // Card performance: one more add-to-bag for this post's card today.
      await tx
        .insert(cardDaily)
        .values({ creatorId: sourceCreatorId, post: input.source.post, card: input.source.card, day: utcDay(now), adds: 1 })
        .onConflictDoUpdate({ target: [cardDaily.creatorId, cardDaily.post, cardDaily.card, cardDaily.day], set: { adds: sql`${cardDaily.adds} + 1` } });
    }
    if (!id) {
      id = newCartId();
      await tx.insert(carts).values({ id, createdAt: now, updatedAt: now });
    } else {
      await tx.update(carts).set({ updatedAt: now }).where(eq(carts.id, id));
    }
    if (existing) {
      await tx.update(cartLines).set({ qty: merged.qty, updatedAt: now }).where(eq(cartLines.id, existing.id));
      return { ok: true, cartId: id, lineId: existing.id, qty: merged.qty, created: false } as const;
    }
    const row = await tx
      .insert(cartLines)
      .values({
        cartId: id,
        variantId: v.id,
        qty: merged.qty,
        sourcePost: credit ? credit.post : input.source.kind === 'post' ? input.source.post : null,
        sourceCard: credit ? credit.card : input.source.kind === 'post' ? input.source.card : null,
        sourceCreatorId,
        sourceBoardId: credit?.boardId ?? null,
        sourceSavedAt: credit?.savedAt ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: cartLines.id })
      .get();
    return { ok: true, cartId: id, lineId: row.id, qty: merged.qty, created: true } as const;
  });
}

/**
 * Sets a line's quantity (0 removes it). Only lines of this bag can be changed, and never to more
 * than can be bought now (the bag offers no more; a hand-made request is refused, writing nothing).
 */
export async function setLineQty(
  db: Db,
  cartId: string,
  lineId: number,
  qty: number,
  now = Date.now(),
): Promise<{ ok: true } | { ok: false; reason: 'unknown_line' } | { ok: false; reason: 'not_enough_stock' | 'sold_out'; available: number }> {
  if (qty === 0) {
    const res = await db.delete(cartLines).where(and(eq(cartLines.id, lineId), eq(cartLines.cartId, cartId))).returning({ id: cartLines.id });
    return res.length ? { ok: true } : { ok: false, reason: 'unknown_line' };
  }
  const line = await db
    .select({ productId: variants.productId, stockAvailable: availableSql(now) })
    .from(cartLines)
    .innerJoin(variants, eq(variants.id, cartLines.variantId))
    .where(and(eq(cartLines.id, lineId), eq(cartLines.cartId, cartId)))
    .get();
  if (!line) return { ok: false, reason: 'unknown_line' };
  const available = (await presaleAvailable(db, line.productId, cartId, now)) ?? line.stockAvailable;
  if (qty > available) return { ok: false, reason: available <= 0 ? 'sold_out' : 'not_enough_stock', available: Math.max(0, available) };
  const res = await db
    .update(cartLines)
    .set({ qty, updatedAt: now })
    .where(and(eq(cartLines.id, lineId), eq(cartLines.cartId, cartId)))
    .returning({ id: cartLines.id });
  return res.length ? { ok: true } : { ok: false, reason: 'unknown_line' };
}

/**
 * Units of a product on pre-order that this bag can still take while its presale is open (ADR
 * 0055): the cap left plus what the bag's own pending order holds; null when no presale is open.
 */
async function presaleAvailable(db: DbOrTx, productId: number, cartId: string | null | undefined, now: number): Promise<number | null> {
  const open = openPresale((await loadSales(db, [productId], now)).get(productId), now);
  if (!open) return null;
  const own = cartId && CART_ID_PATTERN.test(cartId) ? ((await ownPresaleHeld(db, cartId, [open.presaleId], now)).get(open.presaleId) ?? 0) : 0;
  return open.unitsLeft + own;
}

/** Units of the variant held by live reservations of this bag's own pending orders. */
function ownHoldSql(cartId: string, now: number) {
  return sql<number>`coalesce((select sum(r."qty") from "stock_reservations" r join "orders" o on o."id" = r."order_id" where r."variant_id" = "variants"."id" and r."status" = 'active' and r."expires_at" > ${now} and o."status" = 'pending' and o."cart_id" = ${cartId}), 0)`;
}

/** The bag with live prices and availability, oldest line first. Unknown bag → no lines. */
export async function loadBag(db: DbOrTx, cartId: string | null | undefined, now = Date.now()): Promise<BagLineView[]> {
  if (!cartId || !CART_ID_PATTERN.test(cartId)) return [];
  const rows = await db
    .select({
      id: cartLines.id,
      qty: cartLines.qty,
      sourcePost: cartLines.sourcePost,
      sourceCard: cartLines.sourceCard,
      sourceCreatorId: cartLines.sourceCreatorId,
      sourceBoardId: cartLines.sourceBoardId,
      sourceSavedAt: cartLines.sourceSavedAt,
      variantId: variants.id,
      productId: products.id,
      sku: variants.sku,
      size: variants.size,
      colour: variants.colour,
      variantImage: variants.imagePath,
      priceCents: variants.priceCents,
      compareAtCents: variants.compareAtCents,
      stockOnHand: variants.stockOnHand,
      variantActive: variants.active,
      productSlug: products.slug,
      title: products.name,
      productImage: products.imagePath,
      productActive: products.active,
      brand: brands.name,
      available: availableSql(now),
      ownHeld: ownHoldSql(cartId, now),
      heldAll: sql<number>`coalesce((select sum(r."qty") from "stock_reservations" r where r."variant_id" = "variants"."id" and r."status" = 'active' and r."expires_at" > ${now}), 0)`,
    })
    .from(cartLines)
    .innerJoin(variants, eq(variants.id, cartLines.variantId))
    .innerJoin(products, eq(products.id, variants.productId))
    .innerJoin(brands, eq(brands.id, products.brandId))
    .where(eq(cartLines.cartId, cartId))
    .orderBy(asc(cartLines.createdAt), asc(cartLines.id));
  // The price at `now`, flash sales and markdowns applied (src/server/sales): the bag, the quote
  // and the order are priced by the same function as the cards.
  const sales = await loadSales(db, rows.map((r) => r.productId), now);
  const prices = new Map(rows.map((r) => [r.id, priceVariant({ id: r.variantId, priceCents: r.priceCents, compareAtCents: r.compareAtCents }, sales.get(r.productId)?.schedules ?? [], now, sales.get(r.productId)?.taken ?? new Map())]));
  // Pre-orders (ADR 0055): while a product's presale is open its units come from the cap, not stock.
  const presaleOf = new Map(rows.map((r) => [r.productId, openPresale(sales.get(r.productId), now)] as const));
  const openIds = [...presaleOf.values()].flatMap((p) => (p ? [p.presaleId] : []));
  const ownPresale = openIds.length ? await ownPresaleHeld(db, cartId, openIds, now) : new Map<number, number>();
  return rows.map((r) => {
    const presale = presaleOf.get(r.productId) ?? null;
    return {
      id: r.id,
      sku: r.sku,
      productSlug: r.productSlug,
      title: r.title,
      brand: r.brand,
      variantLabel: variantLabel(r),
      imagePath: r.variantImage ?? r.productImage,
      unitPriceCents: prices.get(r.id)!.priceCents,
      compareAtCents: prices.get(r.id)!.compareAtCents,
      sale: prices.get(r.id)!.sale,
      variantId: r.variantId,
      productId: r.productId,
      qty: r.qty,
      // The buyer's own unpaid order holds these units for them: they count as available to this bag
      // (placing again releases that hold first, place-order.ts).
      available: presale
        ? presale.unitsLeft + (ownPresale.get(presale.presaleId) ?? 0)
        : Number(r.ownHeld) > 0
          ? Math.max(0, r.stockOnHand - (Number(r.heldAll) - Number(r.ownHeld)))
          : Number(r.available),
      purchasable: r.variantActive && r.productActive,
      source: r.sourcePost !== null && r.sourceCard !== null ? ({ kind: 'post', post: r.sourcePost, card: r.sourceCard } as const) : ({ kind: 'direct' } as const),
      sourceCreatorId: r.sourceCreatorId,
      sourceBoardId: r.sourceBoardId,
      sourceSavedAt: r.sourceSavedAt,
      presale: presale ? { presaleId: presale.presaleId, shipsOn: presale.shipsOn } : null,
    };
  });
}

/** Units in the bag (for the header badge): one small query. */
export async function bagItemCount(db: Db, cartId: string | null | undefined): Promise<number> {
  if (!cartId || !CART_ID_PATTERN.test(cartId)) return 0;
  const row = await db.select({ n: sql<number>`coalesce(sum(${cartLines.qty}), 0)` }).from(cartLines).where(eq(cartLines.cartId, cartId)).get();
  return Number(row?.n ?? 0);
}

export async function clearBag(db: Db, cartId: string): Promise<void> {
  await db.delete(cartLines).where(eq(cartLines.cartId, cartId));
}
