/**
 * Pure bag rules: quantity 1..10 per line, at most 50 lines, where a line came from.
 * A request carries SKUs and quantities only — prices always come from the server (rule 1).
 */
import type { AppliedSale } from '../sales/index.ts';
import { z } from 'zod';
import { safeNextPath } from '../shared/index.ts';

export const MAX_QTY_PER_LINE = 10;
export const MAX_LINES_PER_BAG = 50;

const qty = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/, 'Quantity must be a whole number.')
  .transform(Number)
  .pipe(z.number().int().min(1, 'Quantity must be at least 1.').max(MAX_QTY_PER_LINE, `At most ${MAX_QTY_PER_LINE} of one item per order.`));

const sku = z.string({ error: 'Choose a size or option.' }).trim().min(1, 'Choose a size or option.').max(64, 'Unknown product option.').regex(/^[A-Za-z0-9._-]+$/, 'Unknown product option.');

/** Where a line was added: a card in a post, or the product page / elsewhere. */
export type LineSource = { kind: 'post'; post: string; card: number } | { kind: 'direct' };

export const addToBagSchema = z
  .object({
    sku,
    qty: qty.default(1),
    post: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,120}$/, 'Unknown post.')
      .optional(),
    card: z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, 'Unknown card.')
      .transform(Number)
      .optional(),
  })
  .refine((v) => (v.post === undefined) === (v.card === undefined), { message: 'A card needs both its post and its position.', path: ['card'] });

export type AddToBagInput = { sku: string; qty: number; source: LineSource };

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: { field: string; message: string }[] };

function issues(err: z.ZodError) {
  return err.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message }));
}

/** Parses the "Add to bag" form (or JSON) fields. Empty strings count as missing. */
export function parseAddToBag(fields: Record<string, string | undefined>): Parsed<AddToBagInput> {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));
  const r = addToBagSchema.safeParse(clean);
  if (!r.success) return { ok: false, errors: issues(r.error) };
  const { sku: s, qty: q, post, card } = r.data;
  return { ok: true, value: { sku: s, qty: q, source: post !== undefined && card !== undefined ? { kind: 'post', post, card } : { kind: 'direct' } } };
}

/**
 * "Add to bag" without a size (cards preselect none, so a reader who did not pick one gets asked):
 * the card to ask again — its product, the colour it showed, where it sat, and the page the reader
 * was on (a path on this site only). Null when a size was sent or the card cannot be named.
 */
export interface SizeQuestion {
  product: string;
  colour: string | undefined;
  source: LineSource;
  back: string | undefined;
}
const sizeQuestionSchema = z.object({
  product: z.string().trim().regex(/^[a-z0-9-]{1,120}$/),
  colour: z.string().trim().min(1).max(60).optional().catch(undefined),
  post: z.string().trim().regex(/^[a-z0-9-]{1,120}$/).optional().catch(undefined),
  card: z.string().trim().regex(/^\d{1,3}$/).transform(Number).optional().catch(undefined),
  back: z.string().max(500).optional().catch(undefined),
});
export function sizeQuestion(fields: Record<string, string | undefined>): SizeQuestion | null {
  if ((fields.sku ?? '').trim() !== '') return null;
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));
  const r = sizeQuestionSchema.safeParse(clean);
  if (!r.success) return null;
  const { product, colour, post, card, back } = r.data;
  const safeBack = back === undefined ? undefined : safeNextPath(back, '');
  return {
    product,
    colour,
    source: post !== undefined && card !== undefined ? { kind: 'post', post, card } : { kind: 'direct' },
    back: safeBack || undefined,
  };
}

export const updateLineSchema = z.object({
  line: z.string().regex(/^\d{1,12}$/, 'Unknown bag line.').transform(Number),
  qty: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, 'Quantity must be a whole number.')
    .transform(Number)
    .pipe(z.number().int().min(0).max(MAX_QTY_PER_LINE, `At most ${MAX_QTY_PER_LINE} of one item per order.`)),
});

/** Parses a quantity change; 0 means remove. */
export function parseUpdateLine(fields: Record<string, string | undefined>): Parsed<{ line: number; qty: number }> {
  const r = updateLineSchema.safeParse(fields);
  if (!r.success) return { ok: false, errors: issues(r.error) };
  return { ok: true, value: r.data };
}

/** The quantity after adding to an existing line, or the reason it cannot be. */
export function mergeQty(existing: number, adding: number): { ok: true; qty: number } | { ok: false; reason: 'line_limit' } {
  const qtyAfter = existing + adding;
  return qtyAfter > MAX_QTY_PER_LINE ? { ok: false, reason: 'line_limit' } : { ok: true, qty: qtyAfter };
}

export interface BagLineView {
  id: number;
  sku: string;
  productSlug: string;
  title: string;
  brand: string;
  variantLabel: string;
  imagePath: string;
  unitPriceCents: number;
  compareAtCents: number | null;
  qty: number;
  available: number;
  /** False when the product or variant was deactivated since it was added. */
  purchasable: boolean;
  source: LineSource;
  /** The creator of the post the line was added from (for attribution), if any. */
  sourceCreatorId?: number | null;
  /** The flash sale or markdown pricing this line now (src/server/sales), if any. */
  sale?: AppliedSale | null;
  /**
   * The product's open presale (ADR 0055): the line is a pre-order shipping on `shipsOn`, and
   * `available` is the presale's units left (shared by all the product's sizes), not stock.
   */
  presale?: { presaleId: number; shipsOn: string } | null;
  variantId?: number;
  productId?: number;
  /** Added from a creator's board / from the wishlist at this saved time (ADR 0053). */
  sourceBoardId?: number | null;
  sourceSavedAt?: number | null;
}

export type LineWarning = { kind: 'unavailable' } | { kind: 'sold_out' } | { kind: 'short'; available: number };

export function lineWarning(line: Pick<BagLineView, 'qty' | 'available' | 'purchasable'>): LineWarning | null {
  if (!line.purchasable) return { kind: 'unavailable' };
  if (line.available <= 0) return { kind: 'sold_out' };
  if (line.qty > line.available) return { kind: 'short', available: line.available };
  return null;
}

/** What the bag (page and drawer) says about a line's warning, in one wording. */
export function lineWarningText(w: LineWarning): string {
  if (w.kind === 'unavailable') return 'This item is no longer sold — please remove it.';
  if (w.kind === 'sold_out') return 'Sold out — please remove it.';
  return `Only ${w.available} left — lower the quantity to continue.`;
}

/**
 * The quantities the bag offers for a line: 1 up to what can be bought (stock now, and the per-line
 * limit), with the line's quantity selected — or, when it is more than is left, the most there is.
 * @example qtyChoices({ qty: 3, available: 2 }) // { options: [1, 2], selected: 2 }
 */
export function qtyChoices(line: Pick<BagLineView, 'qty' | 'available'>): { options: number[]; selected: number } {
  const cap = Math.max(1, Math.min(MAX_QTY_PER_LINE, line.available));
  return { options: Array.from({ length: cap }, (_, i) => i + 1), selected: Math.min(line.qty, cap) };
}

/** An add or quantity change refused for stock, in people's words. */
export function stockMessage(reason: 'sold_out' | 'not_enough_stock', available: number | undefined): string {
  if (reason === 'sold_out' || available === 0) return ADD_ERRORS.sold_out;
  return available === undefined ? ADD_ERRORS.not_enough_stock : `Only ${available} left — choose ${available} or fewer.`;
}

export function bagSubtotal(lines: readonly Pick<BagLineView, 'unitPriceCents' | 'qty' | 'purchasable'>[]): number {
  return lines.reduce((sum, l) => (l.purchasable ? sum + l.unitPriceCents * l.qty : sum), 0);
}

export function bagCount(lines: readonly Pick<BagLineView, 'qty'>[]): number {
  return lines.reduce((n, l) => n + l.qty, 0);
}

export const ADD_ERRORS = {
  unknown_variant: 'That product option does not exist or is no longer sold.',
  unknown_source: 'That card is not in this post.',
  line_limit: `At most ${MAX_QTY_PER_LINE} of one item per order.`,
  bag_full: `Your bag can hold at most ${MAX_LINES_PER_BAG} different items.`,
  sold_out: 'Sorry, that is sold out.',
  not_enough_stock: 'There is not enough stock for that quantity.',
  unknown_line: 'That item is no longer in your bag.',
} as const;
export type AddError = keyof typeof ADD_ERRORS;
