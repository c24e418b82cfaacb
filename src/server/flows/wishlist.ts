/**
 * Workflows of wishlists, alerts and boards (docs/decisions/0053-wishlists-alerts-boards.md):
 * saving an item (account or guest list), buying it later with the credit it was saved from
 * (source "saved" within SAVED_CREDIT_DAYS), restock and price-drop alerts sent once through the
 * outbox, the one-click unsubscribe, and creators' boards (source "board").
 *
 * Credit is resolved here, never taken from the form: a post's card is checked against content
 * (the page's `SourceCheck`), a board against its items, a saved item against its owner, an alert
 * against its token — then handed to the bag as a `TrustedCredit`.
 */
import type { SessionUser } from '../auth/index.ts';
import { addToBag, ADD_ERRORS, type SourceCheck, type TrustedCredit } from '../cart/index.ts';
import { getProductsBySlug, type ProductView } from '../catalog/index.ts';
import { alertEmail, ALERT_EMAIL_KIND, enqueueEmail } from '../mail/index.ts';
import { refuse, wishlistPaths, type Refusal, DAY_MS } from '../shared/index.ts';
import {
  addBoardProduct,
  boardByAddress,
  boardCredit,
  boardForCreator,
  boardLabel,
  boardsOfCreator,
  claimAlert,
  createBoard,
  deleteBoard,
  dueAlerts,
  findAlertByToken,
  getSavedItem,
  listSaved,
  moveBoardProduct,
  noteAlertEmail,
  NO_CREDIT,
  parseAlert,
  parseBoard,
  parseSave,
  postCredit,
  productIdBySlug,
  publicBoards,
  removeBoardProduct,
  removeItem,
  rotateAlertToken,
  saveItem,
  setAlert,
  unsubscribeAlert,
  updateBoard,
  type AlertRow,
  type BoardSummary,
  type BoardView,
  type Owner,
  type SavedCredit,
  type SavedItemView,
  type SaveSource,
} from '../wishlist/index.ts';
import { creators } from '../../../db/schema/index.ts';
import { inArray } from 'drizzle-orm';
import { deliverMailSoon, type App } from './app.ts';

type Fields = Record<string, string | undefined>;

/** The reader's list: their account when signed in, else the guest list named by the cookie (if any). */
export function ownerOf(user: SessionUser | null, guestListId: string | null): Owner | null {
  if (user) return { kind: 'user', userId: user.id };
  return guestListId ? { kind: 'guest', listId: guestListId } : null;
}

/** The credit a save or an alert from `source` carries, or false when the card/board does not show the product. */
async function creditFor(app: App, source: SaveSource, productSlug: string, checkSource: SourceCheck): Promise<SavedCredit | false> {
  if (source.kind === 'direct') return NO_CREDIT;
  if (source.kind === 'post') return postCredit(app.db, source, checkSource(source.post, source.card, productSlug));
  const productId = await productIdBySlug(app.db, productSlug);
  return productId === null ? false : boardCredit(app.db, source.boardId, productId);
}

export type SaveForLaterOutcome = { ok: true; created: boolean; productName: string; listId: string | null } | Refusal;

/**
 * "Save": to the account when signed in; else to the guest list (created on the first save — the
 * page then sets its cookie to `listId`). The item remembers the post/card or board it was saved
 * from; saving again keeps the first credit.
 */
export async function saveForLater(
  app: App,
  { user, guestListId, fields, checkSource, now = Date.now() }: { user: SessionUser | null; guestListId: string | null; fields: Fields; checkSource: SourceCheck; now?: number },
): Promise<SaveForLaterOutcome> {
  const parsed = parseSave(fields);
  if (!parsed.ok) return refuse('invalid', parsed.message);
  const credit = await creditFor(app, parsed.value.source, parsed.value.product, checkSource);
  if (credit === false) return refuse('unknown_source', 'That item is not shown where you saved it from. Go back and try again.');
  const owner = ownerOf(user, guestListId) ?? { kind: 'new_guest' as const };
  const r = await saveItem(app.db, { owner, product: parsed.value.product, sku: parsed.value.sku, credit, now });
  if (!r.ok) return r;
  return { ok: true, created: r.created, productName: r.productName, listId: r.listId };
}

export async function removeSaved(app: App, { owner, fields }: { owner: Owner | null; fields: Fields }): Promise<{ ok: true } | Refusal> {
  const id = Number(fields.item ?? '');
  if (!owner || !Number.isInteger(id) || id <= 0) return refuse('not_found', 'That item is no longer on your wishlist.');
  return removeItem(app.db, owner, id);
}

export interface WishlistEntry extends SavedItemView {
  creatorName: string | null;
  creatorHandle: string | null;
  boardName: string | null;
  /** Until when buying it credits where it was saved from (null: nothing to credit). */
  creditUntil: number | null;
}

export interface WishlistPage {
  items: WishlistEntry[];
  windowDays: number;
}

/** The wishlist page: items newest first with live price and stock, and whom buying them credits until when. */
export async function wishlistPage(app: App, owner: Owner | null, now = Date.now()): Promise<WishlistPage> {
  const windowMs = app.config.credit.savedWindowMs ?? 90 * DAY_MS;
  const windowDays = Math.round(windowMs / DAY_MS);
  if (!owner) return { items: [], windowDays };
  const items = await listSaved(app.db, owner, now);
  const creatorIds = [...new Set(items.map((i) => i.credit.creatorId).filter((x): x is number => x !== null))];
  const people = creatorIds.length ? await app.db.select({ id: creators.id, name: creators.displayName, handle: creators.handle }).from(creators).where(inArray(creators.id, creatorIds)) : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  const boardIds = [...new Set(items.map((i) => i.credit.boardId).filter((x): x is number => x !== null))];
  const boardNames = new Map<number, string>();
  for (const id of boardIds) {
    const b = await boardLabel(app.db, id);
    if (b) boardNames.set(id, b.name);
  }
  return {
    windowDays,
    items: items.map((i) => {
      const c = i.credit.creatorId !== null ? byId.get(i.credit.creatorId) : undefined;
      return {
        ...i,
        creatorName: c?.name ?? null,
        creatorHandle: c?.handle ?? null,
        boardName: i.credit.boardId !== null ? (boardNames.get(i.credit.boardId) ?? null) : null,
        creditUntil: c ? i.savedAt + windowMs : null,
      };
    }),
  };
}

export type CreditedAddOutcome = { ok: true; cartId: string; qty: number } | Refusal;

function variantOf(view: ProductView | undefined, sku: string): boolean {
  return Boolean(view && view.active && view.variants.some((v) => v.sku === sku));
}

/**
 * "Add to bag" from the wishlist (`from=saved`, `item`), a board (`from=board`, `board`) or an
 * alert's page (`from=alert`, `token`): the bag line carries the credit of where the item was
 * saved / the board / what the alert was set from. The SKU must be a size of that very product.
 */
export async function addCreditedToBag(
  app: App,
  { owner, cartId, fields, now = Date.now() }: { owner: Owner | null; cartId: string | null | undefined; fields: Fields; now?: number },
): Promise<CreditedAddOutcome> {
  const sku = (fields.sku ?? '').trim();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(sku)) return refuse('invalid', 'Choose a size.', { sku: 'Choose a size.' });
  const qty = /^\d{1,2}$/.test((fields.qty ?? '1').trim()) ? Number((fields.qty ?? '1').trim()) : NaN;
  if (!Number.isInteger(qty) || qty < 1 || qty > 10) return refuse('invalid', ADD_ERRORS.line_limit, { qty: ADD_ERRORS.line_limit });
  let credit: TrustedCredit;
  let productSlug: string;
  if (fields.from === 'saved') {
    const item = owner ? await getSavedItem(app.db, owner, Number(fields.item ?? '')) : null;
    if (!item) return refuse('not_found', 'That item is no longer on your wishlist.');
    productSlug = item.productSlug;
    credit = { ...item.credit, savedAt: item.credit.creatorId !== null ? item.savedAt : null };
  } else if (fields.from === 'board') {
    const boardId = Number(fields.board ?? '');
    const b = Number.isInteger(boardId) ? await boardLabel(app.db, boardId) : null;
    const slug = (fields.product ?? '').trim();
    const productId = b ? await productIdBySlug(app.db, slug) : null;
    const c = b && productId !== null ? await boardCredit(app.db, boardId, productId) : false;
    if (!c) return refuse('unknown_source', 'That product is no longer on this board.');
    productSlug = slug;
    credit = { ...c, savedAt: null };
  } else if (fields.from === 'alert') {
    const alert = await findAlertByToken(app.db, fields.token);
    if (!alert) return refuse('not_found', 'This alert link is not valid. Open it again from the email.');
    productSlug = alert.productSlug;
    // The alert email is the moment the saved credit is renewed: the window counts from it.
    credit = { ...alert.credit, savedAt: alert.credit.creatorId !== null ? (alert.sentAt ?? alert.createdAt) : null };
  } else {
    return refuse('invalid', 'That item could not be added. Go back and try again.');
  }
  const view = (await getProductsBySlug(app.db, [productSlug], now)).get(productSlug);
  if (!variantOf(view, sku)) return refuse('unknown_variant', ADD_ERRORS.unknown_variant);
  if (credit.creatorId === null) credit = { post: null, card: null, boardId: null, creatorId: null, savedAt: null };
  const r = await addToBag(app.db, { sku, qty, source: { kind: 'direct' } }, { cartId, now, checkSource: () => false, credit });
  if (!r.ok) {
    const message = r.reason === 'not_enough_stock' && r.available !== undefined ? `Only ${r.available} left — choose ${r.available} or fewer.` : ADD_ERRORS[r.reason];
    return refuse(r.reason, message);
  }
  return { ok: true, cartId: r.cartId, qty: r.qty };
}

export type SetAlertFlowOutcome = { ok: true; kind: 'restock' | 'price_drop'; email: string; productName: string; token: string } | Refusal;

/**
 * "Tell me when it's back in my size" / "Tell me when the price drops". A guest gives an email; a
 * signed-in reader's account address is used. "Already set" is a clear refusal that writes nothing.
 */
export async function setWishlistAlert(
  app: App,
  { user, fields, checkSource, now = Date.now() }: { user: SessionUser | null; fields: Fields; checkSource: SourceCheck; now?: number },
): Promise<SetAlertFlowOutcome> {
  const parsed = parseAlert(fields, { needsEmail: !user });
  if (!parsed.ok) return refuse('invalid', parsed.message, parsed.field ? { [parsed.field]: parsed.message } : undefined);
  const credit = await creditFor(app, parsed.value.source, parsed.value.product, checkSource);
  if (credit === false) return refuse('unknown_source', 'That item is not shown where you asked from. Go back and try again.');
  const email = user ? user.email : parsed.value.email!;
  const r = await setAlert(app.db, { kind: parsed.value.kind, product: parsed.value.product, sku: parsed.value.sku, email, userId: user?.id ?? null, credit, now });
  if (!r.ok) return r;
  const view = (await getProductsBySlug(app.db, [parsed.value.product], now)).get(parsed.value.product);
  return { ok: true, kind: parsed.value.kind, email: r.email, productName: view?.name ?? '', token: r.token };
}

/**
 * The alert check: every open alert whose condition holds now gets its one email. Each alert is
 * claimed (conditional UPDATE) in the same transaction as its outbox row, so concurrent checks —
 * the admin's save and the sweep, or two instances — send it once. Returns how many were sent.
 */
export async function sendDueAlerts(app: App, { productIds, now = Date.now() }: { productIds?: readonly number[]; now?: number } = {}): Promise<{ sent: number }> {
  const due = await dueAlerts(app.db, { ...(productIds ? { productIds } : {}), now });
  let sent = 0;
  for (const a of due) {
    const done = await app.db.transaction(async (tx) => {
      if (!(await claimAlert(tx, a.id, { now, priceCents: a.priceNowCents }))) return false;
      const link = await rotateAlertToken(tx, a.id);
      const base = app.config.shop.siteUrl.replace(/\/$/, '');
      const mail = alertEmail({
        shopName: app.config.shop.name,
        to: a.sendTo,
        kind: a.kind,
        productName: a.product.name,
        brand: a.product.brand.name,
        variantLabel: a.variantLabel,
        priceNow: app.fmt.money(a.priceNowCents),
        priceWas: a.kind === 'price_drop' ? app.fmt.money(a.priceSeenCents) : null,
        alertUrl: `${base}${wishlistPaths.alert(link)}`,
        unsubscribeUrl: `${base}${wishlistPaths.unsubscribe(link)}`,
      });
      const id = await enqueueEmail(tx, { to: a.sendTo, subject: mail.subject, text: mail.text, html: mail.html, kind: ALERT_EMAIL_KIND }, now);
      await noteAlertEmail(tx, a.id, id);
      return true;
    });
    if (done) sent++;
  }
  if (sent > 0) deliverMailSoon(app);
  return { sent };
}

export type AlertPage =
  | { ok: true; alert: AlertRow; product: ProductView | null; creatorName: string | null; boardName: string | null }
  | Refusal<'not_found'>;

/** What an alert's link opens: the item now (live price and stock), with the credit it carries. */
export async function alertPage(app: App, token: string, now = Date.now()): Promise<AlertPage> {
  const alert = await findAlertByToken(app.db, token);
  if (!alert) return refuse('not_found', 'This link is not valid. It may have been copied only in part — open it again from the email.');
  const view = (await getProductsBySlug(app.db, [alert.productSlug], now)).get(alert.productSlug);
  const product = view && view.active && view.variants.length > 0 ? view : null;
  const c = alert.credit.creatorId !== null ? await app.db.select({ name: creators.displayName }).from(creators).where(inArray(creators.id, [alert.credit.creatorId])).get() : undefined;
  const b = alert.credit.boardId !== null ? await boardLabel(app.db, alert.credit.boardId) : null;
  return { ok: true, alert, product, creatorName: c?.name ?? null, boardName: b?.name ?? null };
}

/** "Stop this alert" (POST from the unsubscribe page; no sign-in — the token is the key). */
export async function unsubscribeFromAlert(app: App, token: string, now = Date.now()) {
  return unsubscribeAlert(app.db, token, now);
}

// ─── Boards ─────────────────────────────────────────────────────────────────────────────────────

function creatorOf(user: SessionUser | null): number | Refusal<'forbidden'> {
  if (!user || user.creatorId === null) return refuse('forbidden', 'Only creators can make boards. Sign in with your creator account.');
  return user.creatorId;
}

export async function studioBoards(app: App, user: SessionUser | null): Promise<{ ok: true; boards: BoardSummary[] } | Refusal<'forbidden'>> {
  const c = creatorOf(user);
  if (typeof c !== 'number') return c;
  return { ok: true, boards: await boardsOfCreator(app.db, c) };
}

export async function studioBoard(app: App, user: SessionUser | null, boardId: number, now = Date.now()): Promise<{ ok: true; board: BoardView } | Refusal<'forbidden' | 'not_found'>> {
  const c = creatorOf(user);
  if (typeof c !== 'number') return c;
  const board = Number.isInteger(boardId) ? await boardForCreator(app.db, c, boardId, now) : null;
  return board ? { ok: true, board } : refuse('not_found', 'That board is not one of yours.');
}

/** "New board": a name and a description; its address is made from the name. */
export async function createCreatorBoard(app: App, { user, fields, now = Date.now() }: { user: SessionUser | null; fields: Fields; now?: number }): Promise<{ ok: true; id: number } | Refusal> {
  const c = creatorOf(user);
  if (typeof c !== 'number') return c;
  const parsed = parseBoard(fields);
  if (!parsed.ok) return refuse('invalid', Object.values(parsed.fieldErrors).join(' '), parsed.fieldErrors);
  // A creator's page lists their boards and may be cached: every board write bumps the catalog
  // version in its own transaction (src/server/wishlist/boards.ts), so cached pages refresh.
  const r = await createBoard(app.db, c, parsed.value, now);
  if (!r.ok) return r;
  return { ok: true, id: r.id };
}

/**
 * The board editor's actions: `intent` = details (name, description) · add (product slug) ·
 * remove / up / down (product id) · delete. Only the board's creator; refusals write nothing.
 */
export async function editCreatorBoard(
  app: App,
  { user, boardId, fields, now = Date.now() }: { user: SessionUser | null; boardId: number; fields: Fields; now?: number },
): Promise<{ ok: true; done: string; deleted?: boolean } | Refusal> {
  return editBoard(app, user, boardId, fields, now);
}

async function editBoard(app: App, user: SessionUser | null, boardId: number, fields: Fields, now: number): Promise<{ ok: true; done: string; deleted?: boolean } | Refusal> {
  const c = creatorOf(user);
  if (typeof c !== 'number') return c;
  const productId = Number(fields.productId ?? '');
  switch (fields.intent) {
    case 'details': {
      const parsed = parseBoard(fields);
      if (!parsed.ok) return refuse('invalid', Object.values(parsed.fieldErrors).join(' '), parsed.fieldErrors);
      const r = await updateBoard(app.db, c, boardId, parsed.value, now);
      return r.ok ? { ok: true, done: 'Board saved.' } : r;
    }
    case 'add': {
      const slug = (fields.product ?? '').trim();
      if (!/^[a-z0-9][a-z0-9-]{0,119}$/.test(slug)) return refuse('invalid', 'Choose a product to add.', { product: 'Choose a product to add.' });
      const r = await addBoardProduct(app.db, c, boardId, slug, now);
      return r.ok ? { ok: true, done: `${r.name} added.` } : r;
    }
    case 'remove': {
      const r = await removeBoardProduct(app.db, c, boardId, productId, now);
      return r.ok ? { ok: true, done: 'Removed from the board.' } : r;
    }
    case 'up':
    case 'down': {
      const r = await moveBoardProduct(app.db, c, boardId, productId, fields.intent, now);
      return r.ok ? { ok: true, done: fields.intent === 'up' ? 'Moved up.' : 'Moved down.' } : r;
    }
    case 'delete': {
      const r = await deleteBoard(app.db, c, boardId);
      return r.ok ? { ok: true, done: 'Board deleted.', deleted: true } : r;
    }
    default:
      return refuse('invalid', 'That change could not be made. Try again.');
  }
}

/** A board's public page, or null. */
export function publicBoard(app: App, handle: string, slug: string, now = Date.now()): Promise<BoardView | null> {
  return boardByAddress(app.db, handle, slug, now);
}

/** The boards a creator's page lists (those with at least one product). */
export function creatorBoards(app: App, handle: string): Promise<BoardSummary[]> {
  return publicBoards(app.db, handle);
}

/** The signed-in creator's handle (for their boards' public links), or null. */
export async function creatorHandleOf(app: App, user: SessionUser | null): Promise<string | null> {
  if (!user || user.creatorId === null) return null;
  return (await app.db.select({ handle: creators.handle }).from(creators).where(inArray(creators.id, [user.creatorId])).get())?.handle ?? null;
}
