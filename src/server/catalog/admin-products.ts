/**
 * The shop admin's product table: every product with its variants and their stock picture
 * (on hand, held by live reservations, available — docs/architecture.md, rule 2), and the edit forms'
 * parsing in front of `updateVariant` / `setProductActive` (catalog-admin.ts, which validate again
 * and bump the catalog version).
 *
 * Stock edits are guarded against lost updates: the form carries the on-hand number the admin saw
 * (`stockWas`). Stock is written only when the admin changed the field, and only if the shelf still
 * holds what they saw; otherwise nothing is written and they are told the new number. Saving a new
 * price therefore never overwrites sales that happened while the page was open.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../db.ts';
import { brands, products, stockReservations, variants } from '../../../db/schema/index.ts';
import { availableSql } from './catalog-store.ts';
import { MAX_PRICE_CENTS, MAX_STOCK, setProductActive, updateVariant, type VariantUpdate } from './catalog-admin.ts';
import { variantLabel } from './catalog.ts';
import { formatMoneyInput, parseMoneyInput, parseOptionalMoneyInput } from './money-input.ts';

export interface AdminVariantRow {
  id: number;
  sku: string;
  label: string;
  priceCents: number;
  compareAtCents: number | null;
  stockOnHand: number;
  /** Units held by live reservations (active, not expired). */
  reserved: number;
  available: number;
  active: boolean;
}

export interface AdminProductRow {
  id: number;
  slug: string;
  name: string;
  brand: string;
  active: boolean;
  variants: AdminVariantRow[];
}

/** All products (active or not) with all their variants, in catalog order. */
export async function listAdminProducts(db: DbOrTx, now = Date.now()): Promise<AdminProductRow[]> {
  const rows = await db
    .select({
      productId: products.id,
      slug: products.slug,
      name: products.name,
      brand: brands.name,
      productActive: products.active,
      variantId: variants.id,
      sku: variants.sku,
      size: variants.size,
      colour: variants.colour,
      priceCents: variants.priceCents,
      compareAtCents: variants.compareAtCents,
      stockOnHand: variants.stockOnHand,
      active: variants.active,
      reserved: sql<number>`coalesce((select sum(${stockReservations.qty}) from ${stockReservations} where ${stockReservations.variantId} = ${variants.id} and ${stockReservations.status} = 'active' and ${stockReservations.expiresAt} > ${now}), 0)`,
      available: availableSql(now),
    })
    .from(products)
    .innerJoin(brands, eq(brands.id, products.brandId))
    .leftJoin(variants, eq(variants.productId, products.id))
    .orderBy(asc(products.name), asc(products.id), asc(variants.position), asc(variants.id));
  const out: AdminProductRow[] = [];
  const byId = new Map<number, AdminProductRow>();
  for (const r of rows) {
    let p = byId.get(r.productId);
    if (!p) {
      p = { id: r.productId, slug: r.slug, name: r.name, brand: r.brand, active: r.productActive, variants: [] };
      byId.set(r.productId, p);
      out.push(p);
    }
    if (r.variantId !== null && r.sku !== null && r.priceCents !== null && r.stockOnHand !== null && r.active !== null) {
      p.variants.push({
        id: r.variantId,
        sku: r.sku,
        label: variantLabel({ size: r.size, colour: r.colour }),
        priceCents: r.priceCents,
        compareAtCents: r.compareAtCents,
        stockOnHand: r.stockOnHand,
        reserved: Number(r.reserved),
        available: Number(r.available),
        active: r.active,
      });
    }
  }
  return out;
}

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

export type SaveProductResult = { ok: true; active: boolean } | { ok: false; reason: 'invalid' | 'not_found'; message: string };

/** The product row's "Activate" / "Deactivate" form. */
export async function saveProductActiveForm(db: Db, form: FormLike): Promise<SaveProductResult> {
  const slug = str(form, 'slug').trim();
  const active = str(form, 'active');
  if (!/^[a-z0-9-]{1,80}$/.test(slug) || (active !== '1' && active !== '0')) return { ok: false, reason: 'invalid', message: 'The form is out of date: reload the page and try again.' };
  const res = await setProductActive(db, slug, active === '1');
  if (!res.ok) return { ok: false, reason: 'not_found', message: `There is no product ${slug}.` };
  return { ok: true, active: active === '1' };
}
