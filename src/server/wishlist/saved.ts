/**
 * Saved items: an account's wishlist, or a guest's server-side list (the cookie holds only its
 * random id), and the merge of a guest list into an account on sign-in. Live prices and stock come
 * from the catalog's public face (`getProductsBySlug`), so a flash sale or markdown shows as the
 * price now (docs/decisions/0053-wishlists-alerts-boards.md).
 */
import { and, asc, count, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { boardItems, boards, creators, products, savedItems, savedLists } from '../../../db/schema/index.ts';
import { getProductsBySlug, type ProductView, type VariantView } from '../catalog/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { LIST_ID_PATTERN, MAX_SAVED_ITEMS, mergePlan, newListId, priceDrop, type Owner, type SavedCredit, type SaveSource } from './rules.ts';

/** The price a reader sees for the item: the chosen size's, else the lowest of the product's sizes. */
export function itemPriceCents(product: Pick<ProductView, 'variants'>, variantId: number | null): number | null {
  const v = variantId !== null ? product.variants.find((x) => x.id === variantId) : undefined;
  if (v) return v.priceCents;
  if (product.variants.length === 0) return null;
  return Math.min(...product.variants.map((x) => x.priceCents));
}

function ownerWhere(owner: Owner) {
  return owner.kind === 'user' ? eq(savedItems.userId, owner.userId) : eq(savedItems.guestListId, owner.listId);
}

/** A guest list id from the cookie, if it names a list that exists. */
export async function findGuestList(db: DbOrTx, id: string | null | undefined): Promise<string | null> {
  if (!id || !LIST_ID_PATTERN.test(id)) return null;
  return (await db.select({ id: savedLists.id }).from(savedLists).where(eq(savedLists.id, id)).get())?.id ?? null;
}

/** Resolves where an item is saved from into the credit it carries (the post's or board's creator). */
export type CreditCheck = (source: SaveSource, productSlug: string) => Promise<SavedCredit | false>;

/**
 * The credit of a board: the board's creator, only if the product is on that board.
 */
export async function boardCredit(db: DbOrTx, boardId: number, productId: number): Promise<SavedCredit | false> {
  const row = await db
    .select({ creatorId: boards.creatorId })
    .from(boards)
    .innerJoin(boardItems, and(eq(boardItems.boardId, boards.id), eq(boardItems.productId, productId)))
    .where(eq(boards.id, boardId))
    .get();
  return row ? { post: null, card: null, boardId, creatorId: row.creatorId } : false;
}

/** The post's creator (content answers with a handle) as a credit, or false when the card is not in the post. */
export async function postCredit(db: DbOrTx, source: { post: string; card: number }, handle: string | boolean): Promise<SavedCredit | false> {
  if (handle === false) return false;
  const creatorId = typeof handle === 'string' ? ((await db.select({ id: creators.id }).from(creators).where(eq(creators.handle, handle)).get())?.id ?? null) : null;
  return { post: source.post, card: source.card, boardId: null, creatorId };
}

export type SaveOutcome = { ok: true; itemId: number; created: boolean; listId: string | null; productName: string } | Refusal<'unknown_variant' | 'unknown_source' | 'too_many'>;

/**
 * Saves a product (optionally one size) to the owner's list, creating the guest list if needed.
 * Saving an item already saved keeps its first credit and saved time (the earliest credit wins),
 * and only fills in a size if none was chosen. Refuses, writing nothing, on an unknown product or
 * size, a card or board that does not show the product, or a full list.
 */
export async function saveItem(
  db: Db,
  { owner, product: productSlug, sku, credit, now }: { owner: Owner | { kind: 'new_guest' }; product: string; sku: string | null; credit: SavedCredit; now: number },
): Promise<SaveOutcome> {
  const view = (await getProductsBySlug(db, [productSlug], now)).get(productSlug);
  if (!view || !view.active || view.variants.length === 0) return refuse('unknown_variant', 'That product is no longer sold, so it cannot be saved.');
  const variant: VariantView | undefined = sku ? view.variants.find((v) => v.sku === sku) : undefined;
  if (sku && !variant) return refuse('unknown_variant', 'That size is no longer sold. Choose another one.');
  const price = itemPriceCents(view, variant?.id ?? null)!;
  return db.transaction(async (tx) => {
    let o: Owner;
    let listId: string | null = null;
    if (owner.kind === 'new_guest') {
      listId = newListId();
      await tx.insert(savedLists).values({ id: listId, createdAt: now, updatedAt: now });
      o = { kind: 'guest', listId };
    } else {
      o = owner;
      if (o.kind === 'guest') {
        listId = o.listId;
        await tx.update(savedLists).set({ updatedAt: now }).where(eq(savedLists.id, o.listId));
      }
    }
    const existing = await tx.select().from(savedItems).where(and(ownerWhere(o), eq(savedItems.productId, view.id))).get();
    if (existing) {
      if (existing.variantId === null && variant) await tx.update(savedItems).set({ variantId: variant.id }).where(eq(savedItems.id, existing.id));
      return { ok: true as const, itemId: existing.id, created: false, listId, productName: view.name };
    }
    const n = (await tx.select({ n: count() }).from(savedItems).where(ownerWhere(o)).get())?.n ?? 0;
    if (n >= MAX_SAVED_ITEMS) return refuse('too_many', `Your wishlist holds at most ${MAX_SAVED_ITEMS} items. Remove some to save more.`);
    const row = await tx
      .insert(savedItems)
      .values({
        userId: o.kind === 'user' ? o.userId : null,
        guestListId: o.kind === 'guest' ? o.listId : null,
        productId: view.id,
        variantId: variant?.id ?? null,
        sourcePost: credit.post,
        sourceCard: credit.card,
        sourceBoardId: credit.boardId,
        sourceCreatorId: credit.creatorId,
        priceSeenCents: price,
        savedAt: now,
      })
      .returning({ id: savedItems.id })
      .get();
    return { ok: true as const, itemId: row.id, created: true, listId, productName: view.name };
  });
}

/** Removes one item of the owner's list; another reader's item is "not found". */
export async function removeItem(db: DbOrTx, owner: Owner, itemId: number): Promise<{ ok: true } | Refusal<'not_found'>> {
  const res = await db.delete(savedItems).where(and(ownerWhere(owner), eq(savedItems.id, itemId))).returning({ id: savedItems.id });
  return res.length ? { ok: true } : refuse('not_found', 'That item is no longer on your wishlist.');
}

export interface SavedRow {
  id: number;
  productId: number;
  productSlug: string;
  variantId: number | null;
  credit: SavedCredit;
  priceSeenCents: number;
  savedAt: number;
}

/** One of the owner's items (for buying it with its credit), or null. */
export async function getSavedItem(db: DbOrTx, owner: Owner, itemId: number): Promise<SavedRow | null> {
  const rows = await savedRows(db, owner, itemId);
  return rows[0] ?? null;
}

async function savedRows(db: DbOrTx, owner: Owner, itemId?: number): Promise<SavedRow[]> {
  const rows = await db
    .select({
      id: savedItems.id,
      productId: savedItems.productId,
      productSlug: products.slug,
      variantId: savedItems.variantId,
      post: savedItems.sourcePost,
      card: savedItems.sourceCard,
      boardId: savedItems.sourceBoardId,
      creatorId: savedItems.sourceCreatorId,
      priceSeenCents: savedItems.priceSeenCents,
      savedAt: savedItems.savedAt,
    })
    .from(savedItems)
    .innerJoin(products, eq(products.id, savedItems.productId))
    .where(itemId === undefined ? ownerWhere(owner) : and(ownerWhere(owner), eq(savedItems.id, itemId)))
    .orderBy(asc(savedItems.savedAt), asc(savedItems.id));
  return rows.map((r) => ({
    id: r.id,
    productId: r.productId,
    productSlug: r.productSlug,
    variantId: r.variantId,
    credit: { post: r.post, card: r.card, boardId: r.boardId, creatorId: r.creatorId },
    priceSeenCents: r.priceSeenCents,
    savedAt: r.savedAt,
  }));
}

export interface SavedItemView extends SavedRow {
  /** The product as a reader sees it now (live price and stock), or null if it is no longer sold. */
  product: ProductView | null;
  /** The size saved, if one was chosen and is still sold. */
  variant: VariantView | null;
  priceNowCents: number | null;
  drop: ReturnType<typeof priceDrop>;
}

/** The owner's list, newest first, with live price, stock and "price dropped since you saved". */
export async function listSaved(db: Db, owner: Owner, now: number): Promise<SavedItemView[]> {
  const rows = await savedRows(db, owner);
  const views = await getProductsBySlug(db, rows.map((r) => r.productSlug), now);
  return rows
    .map((r) => {
      const p = views.get(r.productSlug);
      const product = p && p.active && p.variants.length > 0 ? p : null;
      const variant = product && r.variantId !== null ? (product.variants.find((v) => v.id === r.variantId) ?? null) : null;
      const priceNowCents = product ? itemPriceCents(product, variant?.id ?? null) : null;
      return { ...r, product, variant, priceNowCents, drop: priceNowCents !== null ? priceDrop(r.priceSeenCents, priceNowCents) : null };
    })
    .reverse();
}

/** How many items the owner has saved (the header link). */
export async function savedCount(db: DbOrTx, owner: Owner | null): Promise<number> {
  if (!owner) return 0;
  return (await db.select({ n: count() }).from(savedItems).where(ownerWhere(owner)).get())?.n ?? 0;
}

/**
 * Moves a guest list into an account (inside the sign-in transaction): one item per product,
 * duplicates collapse keeping the earliest save and its credit (`mergePlan`); the guest list is
 * then deleted. Items beyond the list limit are dropped, oldest kept. Returns how many arrived.
 */
export async function mergeGuestList(tx: DbOrTx, listId: string | null | undefined, userId: number): Promise<number> {
  const id = await findGuestList(tx, listId);
  if (!id) return 0;
  const toItem = (r: typeof savedItems.$inferSelect) => ({
    productId: r.productId,
    variantId: r.variantId,
    credit: { post: r.sourcePost, card: r.sourceCard, boardId: r.sourceBoardId, creatorId: r.sourceCreatorId },
    priceSeenCents: r.priceSeenCents,
    savedAt: r.savedAt,
  });
  const account = (await tx.select().from(savedItems).where(eq(savedItems.userId, userId))).map((r) => ({ id: r.id, ...toItem(r) }));
  const guest = (await tx.select().from(savedItems).where(eq(savedItems.guestListId, id)).orderBy(asc(savedItems.savedAt))).map(toItem);
  const plan = mergePlan(account, guest);
  const room = Math.max(0, MAX_SAVED_ITEMS - account.length);
  const fields = (m: (typeof plan.insert)[number]) => ({
    variantId: m.variantId,
    sourcePost: m.credit.post,
    sourceCard: m.credit.card,
    sourceBoardId: m.credit.boardId,
    sourceCreatorId: m.credit.creatorId,
    priceSeenCents: m.priceSeenCents,
    savedAt: m.savedAt,
  });
  for (const u of plan.update) await tx.update(savedItems).set(fields(u)).where(eq(savedItems.id, u.id));
  const inserts = plan.insert.slice(0, room);
  // The guest list is used up: its items now live on the account.
  await tx.delete(savedItems).where(eq(savedItems.guestListId, id));
  await tx.delete(savedLists).where(eq(savedLists.id, id));
  for (const m of inserts) await tx.insert(savedItems).values({ userId, guestListId: null, productId: m.productId, ...fields(m) }).onConflictDoNothing();
  return inserts.length + plan.update.length;
}

/** Product ids by slug, for the alert and board stores. */
export async function productIdBySlug(db: DbOrTx, slug: string): Promise<number | null> {
  return (await db.select({ id: products.id }).from(products).where(eq(products.slug, slug)).get())?.id ?? null;
}
