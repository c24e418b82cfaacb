/**
 * Creator boards: named, ordered lists of products a creator picks ("Autumn capsule"), shown on
 * their page and at /creators/<handle>/boards/<slug>. Buying from a board credits its creator
 * (attribution source "board", docs/decisions/0053-wishlists-alerts-boards.md). Only the board's
 * creator may change it; every refusal writes nothing. Every write bumps the catalog version in its
 * own transaction, so a cached creator page never outlives a change to its boards.
 */
import { and, asc, count, eq, gt, inArray, lt, desc, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { boardItems, boards, creators, products } from '../../../db/schema/index.ts';
import { bumpCatalogVersion, getProductsBySlug, type ProductView } from '../catalog/index.ts';
import { refuse, slugFromText, type Refusal } from '../shared/index.ts';
import { MAX_BOARD_ITEMS, MAX_BOARDS, type BoardInput } from './rules.ts';

export interface BoardSummary {
  id: number;
  creatorId: number;
  name: string;
  slug: string;
  description: string;
  items: number;
  updatedAt: number;
}

export interface BoardView extends BoardSummary {
  handle: string;
  creatorName: string;
  /** Products still sold, in the creator's order (an archived product drops out of view). */
  products: ProductView[];
  /** Every product on the board, in order (the studio shows archived ones too, to remove them). */
  entries: { productId: number; slug: string; name: string; position: number; shown: boolean }[];
}

async function summaries(db: DbOrTx, where: ReturnType<typeof eq>): Promise<BoardSummary[]> {
  const rows = await db
    .select({
      id: boards.id,
      creatorId: boards.creatorId,
      name: boards.name,
      slug: boards.slug,
      description: boards.description,
      updatedAt: boards.updatedAt,
      // Table-qualified on purpose: in a select from `boards` alone Drizzle leaves column names
      // bare, and a bare "id" inside the subquery would mean the board item's own id.
      // Pieces a reader can see: products still on sale (an archived or withdrawn one drops out of view).
      items: sql<number>`(select count(*) from "board_items" bi join "products" p on p."id" = bi."product_id" where bi."board_id" = "boards"."id" and p."active" = 1 and p."archived_at" is null)`,
    })
    .from(boards)
    .where(where)
    .orderBy(desc(boards.updatedAt), desc(boards.id));
  return rows.map((r) => ({ ...r, items: Number(r.items) }));
}

export function boardsOfCreator(db: DbOrTx, creatorId: number): Promise<BoardSummary[]> {
  return summaries(db, eq(boards.creatorId, creatorId));
}

async function viewOf(db: Db, b: typeof boards.$inferSelect, now: number): Promise<BoardView> {
  const creator = (await db.select({ handle: creators.handle, name: creators.displayName }).from(creators).where(eq(creators.id, b.creatorId)).get())!;
  const entries = await db
    .select({ productId: boardItems.productId, slug: products.slug, name: products.name, position: boardItems.position })
    .from(boardItems)
    .innerJoin(products, eq(products.id, boardItems.productId))
    .where(eq(boardItems.boardId, b.id))
    .orderBy(asc(boardItems.position), asc(boardItems.id));
  const views = await getProductsBySlug(db, entries.map((e) => e.slug), now);
  const shown = entries.map((e) => ({ ...e, view: views.get(e.slug) })).map((e) => ({ ...e, shown: Boolean(e.view && e.view.active && e.view.variants.length > 0) }));
  return {
    id: b.id,
    creatorId: b.creatorId,
    name: b.name,
    slug: b.slug,
    description: b.description,
    updatedAt: b.updatedAt,
    items: entries.length,
    handle: creator.handle,
    creatorName: creator.name,
    products: shown.filter((e) => e.shown).map((e) => e.view!),
    entries: shown.map(({ view: _v, ...e }) => e),
  };
}

/** A board by its public address, or null. */
export async function boardByAddress(db: Db, handle: string, slug: string, now: number): Promise<BoardView | null> {
  const b = await db
    .select({ board: boards })
    .from(boards)
    .innerJoin(creators, eq(creators.id, boards.creatorId))
    .where(and(eq(creators.handle, handle), eq(boards.slug, slug)))
    .get();
  return b ? viewOf(db, b.board, now) : null;
}

/** A board by id for its creator (the studio), or null when it is not theirs. */
export async function boardForCreator(db: Db, creatorId: number, boardId: number, now: number): Promise<BoardView | null> {
  const b = await db.select().from(boards).where(and(eq(boards.id, boardId), eq(boards.creatorId, creatorId))).get();
  return b ? viewOf(db, b, now) : null;
}

/** A board's creator and name (for wording a credit), or null. */
export async function boardLabel(db: DbOrTx, boardId: number): Promise<{ name: string; slug: string; creatorId: number; handle: string; creatorName: string } | null> {
  return (
    (await db
      .select({ name: boards.name, slug: boards.slug, creatorId: boards.creatorId, handle: creators.handle, creatorName: creators.displayName })
      .from(boards)
      .innerJoin(creators, eq(creators.id, boards.creatorId))
      .where(eq(boards.id, boardId))
      .get()) ?? null
  );
}

/** Names of several boards at once (dashboard reasons). */
export async function boardNames(db: DbOrTx, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: boards.id, name: boards.name }).from(boards).where(inArray(boards.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A slug free among this creator's boards: the name's, then -2, -3 … */
async function freeSlug(db: DbOrTx, creatorId: number, name: string, exceptId?: number): Promise<string> {
  const base = slugFromText(name) || 'board';
  const taken = new Set(
    (await db.select({ slug: boards.slug, id: boards.id }).from(boards).where(eq(boards.creatorId, creatorId))).filter((r) => r.id !== exceptId).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export async function createBoard(db: Db, creatorId: number, input: BoardInput, now: number): Promise<{ ok: true; id: number; slug: string } | Refusal<'too_many'>> {
  return db.transaction(async (tx) => {
    const n = (await tx.select({ n: count() }).from(boards).where(eq(boards.creatorId, creatorId)).get())?.n ?? 0;
    if (n >= MAX_BOARDS) return refuse('too_many', `You can have at most ${MAX_BOARDS} boards. Delete one you no longer use first.`);
    const slug = await freeSlug(tx, creatorId, input.name);
    const row = await tx.insert(boards).values({ creatorId, name: input.name, slug, description: input.description, createdAt: now, updatedAt: now }).returning({ id: boards.id }).get();
    await bumpCatalogVersion(tx);
    return { ok: true as const, id: row.id, slug };
  });
}

/** Renames or redescribes a board; the address stays (links already shared keep working). */
export async function updateBoard(db: Db, creatorId: number, boardId: number, input: BoardInput, now: number): Promise<{ ok: true } | Refusal<'not_found'>> {
  return db.transaction(async (tx) => {
    const res = await tx
      .update(boards)
      .set({ name: input.name, description: input.description, updatedAt: now })
      .where(and(eq(boards.id, boardId), eq(boards.creatorId, creatorId)))
      .returning({ id: boards.id });
    if (!res.length) return refuse('not_found', 'That board is not one of yours.');
    await bumpCatalogVersion(tx);
    return { ok: true as const };
  });
}

export async function deleteBoard(db: Db, creatorId: number, boardId: number): Promise<{ ok: true } | Refusal<'not_found'>> {
  return db.transaction(async (tx) => {
    const b = await tx.select({ id: boards.id }).from(boards).where(and(eq(boards.id, boardId), eq(boards.creatorId, creatorId))).get();
    if (!b) return refuse('not_found', 'That board is not one of yours.');
    await tx.delete(boardItems).where(eq(boardItems.boardId, boardId));
    await tx.delete(boards).where(eq(boards.id, boardId));
    await bumpCatalogVersion(tx);
    return { ok: true as const };
  });
}

export async function addBoardProduct(
  db: Db,
  creatorId: number,
  boardId: number,
  productSlug: string,
  now: number,
): Promise<{ ok: true; name: string } | Refusal<'not_found' | 'unknown_variant' | 'taken' | 'too_many'>> {
  const view = (await getProductsBySlug(db, [productSlug], now)).get(productSlug);
  if (!view || !view.active || view.variants.length === 0) return refuse('unknown_variant', 'That product is not sold now, so it cannot go on a board.');
  return db.transaction(async (tx) => {
    const b = await tx.select({ id: boards.id }).from(boards).where(and(eq(boards.id, boardId), eq(boards.creatorId, creatorId))).get();
    if (!b) return refuse('not_found', 'That board is not one of yours.');
    const items = await tx.select({ productId: boardItems.productId, position: boardItems.position }).from(boardItems).where(eq(boardItems.boardId, boardId));
    if (items.some((i) => i.productId === view.id)) return refuse('taken', `${view.name} is already on this board.`);
    if (items.length >= MAX_BOARD_ITEMS) return refuse('too_many', `A board holds at most ${MAX_BOARD_ITEMS} products.`);
    const position = items.reduce((m, i) => Math.max(m, i.position + 1), 0);
    await tx.insert(boardItems).values({ boardId, productId: view.id, position, addedAt: now });
    await tx.update(boards).set({ updatedAt: now }).where(eq(boards.id, boardId));
    await bumpCatalogVersion(tx);
    return { ok: true as const, name: view.name };
  });
}

export async function removeBoardProduct(db: Db, creatorId: number, boardId: number, productId: number, now: number): Promise<{ ok: true } | Refusal<'not_found'>> {
  return db.transaction(async (tx) => {
    const b = await tx.select({ id: boards.id }).from(boards).where(and(eq(boards.id, boardId), eq(boards.creatorId, creatorId))).get();
    if (!b) return refuse('not_found', 'That board is not one of yours.');
    const res = await tx.delete(boardItems).where(and(eq(boardItems.boardId, boardId), eq(boardItems.productId, productId))).returning({ id: boardItems.id });
    if (!res.length) return refuse('not_found', 'That product is no longer on this board.');
    await tx.update(boards).set({ updatedAt: now }).where(eq(boards.id, boardId));
    await bumpCatalogVersion(tx);
    return { ok: true as const };
  });
}

/** Moves a product one place up or down the board (swapping with its neighbour). */
export async function moveBoardProduct(db: Db, creatorId: number, boardId: number, productId: number, direction: 'up' | 'down', now: number): Promise<{ ok: true } | Refusal<'not_found'>> {
  return db.transaction(async (tx) => {
    const b = await tx.select({ id: boards.id }).from(boards).where(and(eq(boards.id, boardId), eq(boards.creatorId, creatorId))).get();
    if (!b) return refuse('not_found', 'That board is not one of yours.');
    const item = await tx.select().from(boardItems).where(and(eq(boardItems.boardId, boardId), eq(boardItems.productId, productId))).get();
    if (!item) return refuse('not_found', 'That product is no longer on this board.');
    const neighbour = await tx
      .select()
      .from(boardItems)
      .where(and(eq(boardItems.boardId, boardId), direction === 'up' ? lt(boardItems.position, item.position) : gt(boardItems.position, item.position)))
      .orderBy(direction === 'up' ? desc(boardItems.position) : asc(boardItems.position))
      .limit(1)
      .get();
    if (!neighbour) return { ok: true as const }; // already first / last
    await tx.update(boardItems).set({ position: neighbour.position }).where(eq(boardItems.id, item.id));
    await tx.update(boardItems).set({ position: item.position }).where(eq(boardItems.id, neighbour.id));
    await tx.update(boards).set({ updatedAt: now }).where(eq(boards.id, boardId));
    await bumpCatalogVersion(tx);
    return { ok: true as const };
  });
}

/** Boards of the creator with a handle (their public page), newest change first. */
export async function publicBoards(db: Db, handle: string): Promise<BoardSummary[]> {
  const c = await db.select({ id: creators.id }).from(creators).where(eq(creators.handle, handle)).get();
  if (!c) return [];
  return (await boardsOfCreator(db, c.id)).filter((b) => b.items > 0);
}
