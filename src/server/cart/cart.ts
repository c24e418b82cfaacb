/**
 * Pure bag rules: quantity 1..10 per line, at most 50 lines, where a line came from.
 * A request carries SKUs and quantities only — prices always come from the server (rule 1).
 */
import { z } from 'zod';

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
}

export type LineWarning = { kind: 'unavailable' } | { kind: 'sold_out' } | { kind: 'short'; available: number };

export function lineWarning(line: Pick<BagLineView, 'qty' | 'available' | 'purchasable'>): LineWarning | null {
  if (!line.purchasable) return { kind: 'unavailable' };
  if (line.available <= 0) return { kind: 'sold_out' };
  if (line.qty > line.available) return { kind: 'short', available: line.available };
  return null;
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
