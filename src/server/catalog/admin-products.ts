/**
 * The quick variant edit of the admin product list (price, compare-at, stock, on sale): the form's
 * parsing in front of `updateVariant` (catalog-admin.ts, which validates again and bumps the catalog
 * version). The list itself is admin-list.ts.
 *
 * Stock edits are guarded against lost updates: the form carries the on-hand number the admin saw
 * (`stockWas`). Stock is written only when the admin changed the field, and only if the shelf still
 * holds what they saw; otherwise nothing is written and they are told the new number. Saving a new
 * price therefore never overwrites sales that happened while the page was open.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db.ts';
import { variants } from '../../../db/schema/index.ts';
import { MAX_PRICE_CENTS, MAX_STOCK, updateVariant, type VariantUpdate } from './catalog-admin.ts';
import { formatMoneyInput, parseMoneyInput, parseOptionalMoneyInput } from './money-input.ts';

type FormLike = { get(name: string): unknown; has(name: string): boolean };
const str = (form: FormLike, name: string): string => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

export type VariantFormField = 'price' | 'compareAt' | 'stock' | 'form';

export interface VariantForm {
  sku: string;
  priceCents: number;
  compareAtCents: number | null;
  stockOnHand: number;
  /** The on-hand number shown when the form was rendered. */
  stockWas: number;
  active: boolean;
}

const stockNumber = z
  .string()
  .trim()
  .regex(/^\d{1,7}$/, 'must be a whole number of units (0 or more)')
  .transform(Number);

/** Pure: the variant row's form fields → typed values, or a message per field. */
export function parseVariantForm(
  form: FormLike,
  { fractionDigits = 2 }: { fractionDigits?: number } = {},
): { ok: true; value: VariantForm } | { ok: false; errors: Partial<Record<VariantFormField, string>> } {
  const errors: Partial<Record<VariantFormField, string>> = {};
  const sku = str(form, 'sku').trim();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(sku)) errors.form = 'Unknown variant.';
  const price = parseMoneyInput(str(form, 'price'), { fractionDigits });
  if (!price.ok) errors.price = `Price: ${price.message}`;
  else if (price.cents > MAX_PRICE_CENTS) errors.price = `Price: must be at most ${formatMoneyInput(MAX_PRICE_CENTS, { fractionDigits })}`;
  const compareAt = parseOptionalMoneyInput(str(form, 'compareAt'), { fractionDigits });
  if (!compareAt.ok) errors.compareAt = `Compare-at price: ${compareAt.message}`;
  else if (compareAt.cents !== null && compareAt.cents > MAX_PRICE_CENTS) errors.compareAt = `Compare-at price: must be at most ${formatMoneyInput(MAX_PRICE_CENTS, { fractionDigits })}`;
  const stock = stockNumber.safeParse(str(form, 'stock'));
  if (!stock.success) errors.stock = `On hand ${stock.error.issues[0]?.message ?? 'is not valid'}.`;
  else if (stock.data > MAX_STOCK) errors.stock = `On hand must be at most ${MAX_STOCK} units.`;
  const stockWas = stockNumber.safeParse(str(form, 'stockWas'));
  if (!stockWas.success) errors.form ??= 'The form is out of date: reload the page and try again.';
  if (price.ok && compareAt.ok && compareAt.cents !== null && compareAt.cents <= price.cents) {
    errors.compareAt = 'Compare-at price: must be above the price (leave it empty when the variant is not on sale).';
  }
  if (Object.keys(errors).length || !price.ok || !compareAt.ok || !stock.success || !stockWas.success) return { ok: false, errors };
  return {
    ok: true,
    value: { sku, priceCents: price.cents, compareAtCents: compareAt.cents, stockOnHand: stock.data, stockWas: stockWas.data, active: form.has('active') },
  };
}

export type SaveVariantResult =
  | { ok: true; changed: ('price' | 'compareAt' | 'stock' | 'active')[] }
  | { ok: false; reason: 'invalid' | 'not_found' | 'stock_changed'; message: string; errors: Partial<Record<VariantFormField, string>> };

const FIELD_OF: Record<string, VariantFormField> = { priceCents: 'price', compareAtCents: 'compareAt', stockOnHand: 'stock' };

/** Parses the variant row's form and writes what changed through updateVariant. */
export async function saveVariantForm(db: Db, form: FormLike, opts: { fractionDigits?: number } = {}): Promise<SaveVariantResult> {
  const parsed = parseVariantForm(form, opts);
  if (!parsed.ok) return { ok: false, reason: 'invalid', message: 'Nothing was saved: fix the highlighted fields.', errors: parsed.errors };
  const v = parsed.value;
  const current = await db
    .select({ priceCents: variants.priceCents, compareAtCents: variants.compareAtCents, active: variants.active })
    .from(variants)
    .where(eq(variants.sku, v.sku))
    .get();
  if (!current) return { ok: false, reason: 'not_found', message: `There is no variant ${v.sku}.`, errors: { form: 'Unknown variant.' } };

  const patch: VariantUpdate = {};
  const changed: ('price' | 'compareAt' | 'stock' | 'active')[] = [];
  if (v.priceCents !== current.priceCents) {
    patch.priceCents = v.priceCents;
    changed.push('price');
  }
  if (v.compareAtCents !== current.compareAtCents) {
    patch.compareAtCents = v.compareAtCents;
    changed.push('compareAt');
  }
  if (v.stockOnHand !== v.stockWas) {
    // Written only if the shelf still holds what the admin saw (compare-and-set in the UPDATE).
    patch.stockOnHand = v.stockOnHand;
    patch.stockWas = v.stockWas;
    changed.push('stock');
  }
  if (v.active !== current.active) {
    patch.active = v.active;
    changed.push('active');
  }
  if (changed.length === 0) return { ok: true, changed };
  const res = await updateVariant(db, v.sku, patch);
  if (res.ok) return { ok: true, changed };
  if (res.reason === 'not_found') return { ok: false, reason: 'not_found', message: `There is no variant ${v.sku}.`, errors: { form: 'Unknown variant.' } };
  if (res.reason === 'stock_changed') {
    const message = `On hand changed from ${v.stockWas} to ${res.stockOnHand} while the page was open (a sale, refund or another edit). Nothing was saved; check the new number and try again.`;
    return { ok: false, reason: 'stock_changed', message, errors: { stock: message } };
  }
  const errors: Partial<Record<VariantFormField, string>> = {};
  for (const [key, message] of Object.entries(res.fieldErrors)) errors[FIELD_OF[key] ?? 'form'] ??= message;
  return { ok: false, reason: 'invalid', message: 'Nothing was saved: fix the highlighted fields.', errors };
}
