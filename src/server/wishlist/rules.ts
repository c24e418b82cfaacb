/**
 * Wishlist rules, pure (docs/decisions/0053-wishlists-alerts-boards.md): what a "Save" or an alert
 * form may carry, when a saved item still credits where it was saved from, "price dropped since
 * you saved", how a guest list merges into an account, and board names. No database here.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EMAIL_MAX } from '../auth/index.ts';

/** Whose wishlist: a signed-in account, or a guest's server-side list (its id is in a cookie). */
export type Owner = { kind: 'user'; userId: number } | { kind: 'guest'; listId: string };

/** Where an item was saved (or an alert set) from: a post's card, a board, or nowhere in particular. */
export type SaveSource = { kind: 'post'; post: string; card: number } | { kind: 'board'; boardId: number } | { kind: 'direct' };

/** The credit a saved item or an alert carries, in the shape of a bag line's source (db/schema/commerce.ts). */
export interface SavedCredit {
  post: string | null;
  card: number | null;
  boardId: number | null;
  creatorId: number | null;
}

export const NO_CREDIT: SavedCredit = { post: null, card: null, boardId: null, creatorId: null };

/** Most items one wishlist holds (a list, not a warehouse). */
export const MAX_SAVED_ITEMS = 200;
/** Most products on one board; most boards per creator. */
export const MAX_BOARD_ITEMS = 60;
export const MAX_BOARDS = 30;

const slug = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,119}$/);
const sku = z.string().trim().max(64).regex(/^[A-Za-z0-9._-]+$/);
const position = z.string().trim().regex(/^\d{1,3}$/).transform(Number);
const id = z.string().trim().regex(/^\d{1,12}$/).transform(Number);

/** Guest list and bag ids: 144 random bits, URL-safe. */
export const LIST_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export function newListId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');
}

export interface SaveRequest {
  product: string;
  sku: string | null;
  source: SaveSource;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function clean(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v.trim() !== '')) as Record<string, string>;
}

function sourceOf(f: { post?: string | undefined; card?: number | undefined; board?: number | undefined }): SaveSource {
  if (f.post !== undefined && f.card !== undefined) return { kind: 'post', post: f.post, card: f.card };
  if (f.board !== undefined) return { kind: 'board', boardId: f.board };
  return { kind: 'direct' };
}

const saveSchema = z.object({ product: slug, sku: sku.optional(), post: slug.optional(), card: position.optional(), board: id.optional() });

/**
 * The "Save" form: a product, optionally the size chosen, and where it sits (a post's card or a
 * board). A card needs both its post and its position.
 * @example parseSave({ product: 'wool-coat', post: 'autumn', card: '0' }) // ok, source post/card 0
 */
export function parseSave(fields: Record<string, string | undefined>): Parsed<SaveRequest> {
  const r = saveSchema.safeParse(clean(fields));
  if (!r.success) return { ok: false, message: 'That item could not be saved. Go back and try again.' };
  if ((r.data.post === undefined) !== (r.data.card === undefined)) return { ok: false, message: 'That item could not be saved. Go back and try again.' };
  return { ok: true, value: { product: r.data.product, sku: r.data.sku ?? null, source: sourceOf(r.data) } };
}

export interface AlertRequest {
  kind: 'restock' | 'price_drop';
  product: string;
  sku: string | null;
  /** Typed by a guest; null for a signed-in reader (their account's address is used). */
  email: string | null;
  source: SaveSource;
}

const alertSchema = z.object({
  kind: z.enum(['restock', 'price_drop']),
  product: slug,
  sku: sku.optional(),
  email: z.string().trim().max(EMAIL_MAX, 'That email address is too long.').pipe(z.email('Enter a valid email address, like name@example.com.')).optional(),
  post: slug.optional(),
  card: position.optional(),
  board: id.optional(),
});

/**
 * "Tell me when it's back" (a size: `sku` required) and "Tell me when the price drops". A guest
 * must give an email; a signed-in reader's account address is used (`needsEmail` false).
 */
export function parseAlert(fields: Record<string, string | undefined>, { needsEmail }: { needsEmail: boolean }): Parsed<AlertRequest> & { field?: string } {
  const f = clean(fields);
  if (needsEmail && !f.email) return { ok: false, message: 'Enter your email address so we can tell you.', field: 'email' };
  const r = alertSchema.safeParse(f);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = String(issue?.path[0] ?? 'form');
    if (field === 'email') return { ok: false, message: issue!.message.startsWith('Enter') || issue!.message.startsWith('That') ? issue!.message : 'Enter a valid email address, like name@example.com.', field };
    if (field === 'sku') return { ok: false, message: 'Choose the size you want.', field };
    return { ok: false, message: 'That alert could not be set. Go back and try again.', field: 'form' };
  }
  if (r.data.kind === 'restock' && !r.data.sku) return { ok: false, message: 'Choose the size you want.', field: 'sku' };
  if ((r.data.post === undefined) !== (r.data.card === undefined)) return { ok: false, message: 'That alert could not be set. Go back and try again.', field: 'form' };
  return { ok: true, value: { kind: r.data.kind, product: r.data.product, sku: r.data.kind === 'restock' ? r.data.sku! : (r.data.sku ?? null), email: needsEmail ? r.data.email! : null, source: sourceOf(r.data) } };
}

/**
 * Whether a saved item bought at `at` still credits its post or board (the "saved" window,
 * SAVED_CREDIT_DAYS), and until when. The attribution decision applies the same bound at payment
 * (src/server/attribution/attribution.ts); this is what the wishlist page says.
 * @example savedCreditUntil(0, 90 * 86_400_000) // 7776000000
 */
export function savedCreditUntil(savedAt: number, windowMs: number): number {
  return savedAt + windowMs;
}

/**
 * "Price dropped since you saved": the drop, when the price now is lower than the one seen.
 * @example priceDrop(12000, 9000) // { wasCents: 12000, nowCents: 9000, offCents: 3000 }
 * @example priceDrop(9000, 9000) // null
 */
export function priceDrop(seenCents: number, nowCents: number): { wasCents: number; nowCents: number; offCents: number } | null {
  return nowCents < seenCents ? { wasCents: seenCents, nowCents, offCents: seenCents - nowCents } : null;
}

export interface MergeItem {
  productId: number;
  variantId: number | null;
  credit: SavedCredit;
  priceSeenCents: number;
  savedAt: number;
}

/**
 * Merging a guest list into an account: one item per product; when both have it, the earliest
 * save wins with its credit and the price seen then (a later save never takes credit from an
 * earlier one); a size chosen on either is kept. Returns what to write on the account.
 */
export function mergePlan(account: readonly (MergeItem & { id: number })[], guest: readonly MergeItem[]): { insert: MergeItem[]; update: ({ id: number } & MergeItem)[] } {
  const byProduct = new Map(account.map((a) => [a.productId, a]));
  const insert: MergeItem[] = [];
  const update: ({ id: number } & MergeItem)[] = [];
  for (const g of guest) {
    const a = byProduct.get(g.productId);
    if (!a) {
      insert.push(g);
      continue;
    }
    if (g.savedAt < a.savedAt) update.push({ ...g, id: a.id, variantId: g.variantId ?? a.variantId });
    else if (a.variantId === null && g.variantId !== null) update.push({ ...a, variantId: g.variantId });
  }
  return { insert, update };
}

/** Alert tokens: 256 random bits in the link; only their SHA-256 is stored (like sign-in links). */
export function newAlertToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

export const ALERT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashAlertToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface BoardInput {
  name: string;
  description: string;
}

const boardSchema = z.object({
  name: z.string({ error: 'Give the board a name.' }).trim().min(2, 'Give the board a name of at least 2 characters.').max(60, 'Keep the name to 60 characters.'),
  description: z.string().trim().max(400, 'Keep the description to 400 characters.').default(''),
});

/** A board's name and description, with messages next to the field. */
export function parseBoard(fields: Record<string, string | undefined>): { ok: true; value: BoardInput } | { ok: false; fieldErrors: Record<string, string> } {
  const r = boardSchema.safeParse({ name: fields.name ?? '', description: fields.description ?? '' });
  if (!r.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of r.error.issues) fieldErrors[String(i.path[0] ?? 'name')] ??= i.message;
    return { ok: false, fieldErrors };
  }
  return { ok: true, value: r.data };
}

/**
 * Where a saved item came from, in words, for the wishlist page: never a handle or a slug.
 * @example savedFromText({ creatorName: 'Ana Lee', postTitle: 'Autumn layers', boardName: null, savedOn: '3 Nov' })
 *   // 'Saved from Ana Lee’s post “Autumn layers” on 3 Nov'
 */
export function savedFromText({ creatorName, postTitle, boardName, savedOn }: { creatorName: string | null; postTitle: string | null; boardName: string | null; savedOn: string }): string {
  const whose = creatorName ? `${creatorName}’s` : 'a creator’s';
  if (boardName !== null) return `Saved from ${whose} board “${boardName}” on ${savedOn}`;
  if (postTitle !== null) return `Saved from ${whose} post “${postTitle}” on ${savedOn}`;
  if (creatorName !== null) return `Saved from ${whose} post on ${savedOn}`;
  return `Saved on ${savedOn}`;
}
