/**
 * The admin's product form → a normalised `ProductInput`, or a message per field in people's words
 * (docs/decisions/0043-product-admin.md). Pure: no db, no I/O; what needs the database (a slug or
 * SKU used by another product, an unknown brand) is checked by product-write.ts in its transaction.
 *
 * Variants: the option axes are Size and Colour (either, both or neither), and the variant grid is
 * every combination of the values the admin lists for each axis (the `variants` table keeps one
 * size and one colour column; more axes would need a schema change — see the ADR). The grid rows
 * are posted as `v<i>_size`, `v<i>_colour`, `v<i>_id` (an existing variant), `v<i>_sku`,
 * `v<i>_price`, `v<i>_compareAt`, `v<i>_stock`, `v<i>_stockWas` (what the page showed) and
 * `v<i>_active`. A new combination left without a SKU is simply not sold.
 *
 * The description is Markdown under the studio's allow-list, with no shop blocks. The catalog
 * cannot import content (content imports catalog), so the check is passed in by the workflow
 * (`checkProductDescription` in src/server/flows/product-admin.ts).
 */
import { formatMoneyInput, parseMoneyInput, parseOptionalMoneyInput } from './money-input.ts';
import { MAX_PRICE_CENTS, MAX_STOCK } from './catalog-admin.ts';
import { slugFromText } from '../shared/index.ts';

/** One variant as the writes take it. */
export interface VariantInput {
  /** The existing variant this row edits; null: a new variant. */
  id: number | null;
  size: string | null;
  colour: string | null;
  /** Upper-case, unique across the shop (checked on write). */
  sku: string;
  priceCents: number;
  compareAtCents: number | null;
  stockOnHand: number;
  /**
   * Compare-and-set: the on-hand number the admin saw. Stock is written only when it differs from
   * `stockOnHand` and only if the shelf still holds this. Null: no comparison — the number is set
   * as given (a new variant, or an import that means "set stock to this").
   */
  stockWas: number | null;
  active: boolean;
  /**
   * The colour's swatch (#rrggbb), when the admin gave one ("Navy #1f2a44"). Absent: kept as stored
   * (a new variant takes its colour's existing swatch, if any).
   */
  colourHex?: string | null;
}

/** A whole product as createProduct / updateProduct take it. */
export interface ProductInput {
  title: string;
  slug: string;
  /** Markdown under the studio's allow-list (no shop blocks); '' allowed. */
  description: string;
  brandId: number;
  categoryId: number;
  tags: string[];
  seoTitle: string | null;
  seoDescription: string | null;
  /** Shown and sellable in the shop (an archived product is never active). */
  active: boolean;
  sizes: string[];
  colours: string[];
  variants: VariantInput[];
}

export const PRODUCT_LIMITS = {
  title: 120,
  description: 5000,
  seoTitle: 70,
  seoDescription: 160,
  tags: 20,
  tag: 30,
  axisValues: 20,
  axisValue: 24,
  variants: 100,
} as const;

/** 2–80 characters: lowercase letters, digits and single dashes, not starting or ending with one. */
export const PRODUCT_SLUG = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,79}$/;
/** Letters, digits and dashes, starting with a letter or digit (the same SKUs posts may name). */
export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,40}$/;

type FormLike = { get(name: string): unknown };
/** Returns a message for the description, or null when it is fine. */
export type DescriptionCheck = (markdown: string) => string | null;

export type ProductFormResult =
  | { ok: true; value: ProductInput }
  | { ok: false; fieldErrors: Record<string, string> };

/** A grid row: the combination it stands for. */
export interface GridCell {
  size: string | null;
  colour: string | null;
}

/**
 * Every combination of the axes, colour by colour, so a colour's sizes sit together (as the product
 * page shows them).
 * @example variantGrid(['S', 'M'], ['Black']) // [{ size: 'S', colour: 'Black' }, { size: 'M', colour: 'Black' }]
 * @example variantGrid([], []) // [{ size: null, colour: null }] — one variant, no options
 */
export function variantGrid(sizes: readonly string[], colours: readonly string[]): GridCell[] {
  const cs: (string | null)[] = colours.length > 0 ? [...colours] : [null];
  const ss: (string | null)[] = sizes.length > 0 ? [...sizes] : [null];
  return cs.flatMap((colour) => ss.map((size) => ({ size, colour })));
}

/** Same combination (values compared case-insensitively). */
export function sameCell(a: GridCell, b: GridCell): boolean {
  const eq = (x: string | null, y: string | null) => (x ?? '').toLowerCase() === (y ?? '').toLowerCase();
  return eq(a.size, b.size) && eq(a.colour, b.colour);
}

/**
 * "S, M, L" → ['S', 'M', 'L'] (trimmed, duplicates dropped case-insensitively, order kept).
 * @example parseAxisValues('S, m ,M,,L') // ['S', 'm', 'L']
 */
export function parseAxisValues(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,\n]/)) {
    const v = raw.trim().replace(/\s+/g, ' ');
    if (v && !out.some((o) => o.toLowerCase() === v.toLowerCase())) out.push(v);
  }
  return out;
}

const HEX = /^#[0-9a-f]{6}$/i;

/**
 * The colours field: names, each optionally followed by its swatch colour.
 * @example parseColourValues('Navy #1F2A44, Sand') // { names: ['Navy', 'Sand'], hex: Map { 'navy' => '#1f2a44' }, bad: [] }
 * @example parseColourValues('Red #f00') // { names: ['Red'], hex: Map {}, bad: ['#f00'] }
 */
export function parseColourValues(text: string): { names: string[]; hex: Map<string, string>; bad: string[] } {
  const names: string[] = [];
  const hex = new Map<string, string>();
  const bad: string[] = [];
  for (const value of parseAxisValues(text)) {
    const m = /^(.*?)\s*(#\S*)$/.exec(value);
    const name = (m ? m[1]! : value).trim();
    if (m) {
      if (HEX.test(m[2]!)) hex.set(name.toLowerCase(), m[2]!.toLowerCase());
      else bad.push(m[2]!);
    }
    if (name && !names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return { names, hex, bad };
}

/** The colours field's text for stored colours and their swatches: "Navy #1f2a44, Sand". */
export function formatColourValues(colours: readonly { colour: string; colourHex: string | null }[]): string {
  return colours.map((c) => (c.colourHex && HEX.test(c.colourHex) ? `${c.colour} ${c.colourHex}` : c.colour)).join(', ');
}

/**
 * A product address from its title.
 * @example slugFromTitle('Crème Linen Shirt — 2026!') // 'creme-linen-shirt-2026'
 */
export function slugFromTitle(title: string): string {
  return slugFromText(title);
}

/** The message for a slug that cannot be used, or null. */
export function productSlugProblem(slug: string): string | null {
  if (slug.length < 2 || slug.length > 80) return 'The address needs 2 to 80 characters.';
  if (!PRODUCT_SLUG.test(slug)) return 'Use lowercase letters, digits and single dashes in the address (for example "linen-shirt").';
  return null;
}

const str = (form: FormLike, name: string): string => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};
const on = (form: FormLike, name: string): boolean => {
  const v = str(form, name);
  return v === 'on' || v === '1' || v === 'true';
};
const ID = /^\d{1,9}$/;

/** How many grid rows the form carries (rows are numbered from 0 with no gaps). */
export function gridRowCount(form: FormLike): number {
  let n = 0;
  while (n < PRODUCT_LIMITS.variants + 1 && (form.get(`v${n}_sku`) !== null || form.get(`v${n}_size`) !== null || form.get(`v${n}_colour`) !== null)) n++;
  return n;
}

/** The grid rows as posted (strings), for re-rendering the form and for regenerating the grid. */
export interface PostedRow {
  id: string;
  size: string;
  colour: string;
  sku: string;
  price: string;
  compareAt: string;
  stock: string;
  stockWas: string;
  active: boolean;
}

export function postedRows(form: FormLike): PostedRow[] {
  const rows: PostedRow[] = [];
  const n = gridRowCount(form);
  for (let i = 0; i < n; i++) {
    rows.push({
      id: str(form, `v${i}_id`).trim(),
      size: str(form, `v${i}_size`).trim(),
      colour: str(form, `v${i}_colour`).trim(),
      sku: str(form, `v${i}_sku`).trim().slice(0, 80),
      price: str(form, `v${i}_price`).trim().slice(0, 40),
      compareAt: str(form, `v${i}_compareAt`).trim().slice(0, 40),
      stock: str(form, `v${i}_stock`).trim().slice(0, 40),
      stockWas: str(form, `v${i}_stockWas`).trim().slice(0, 40),
      active: on(form, `v${i}_active`),
    });
  }
  return rows;
}

/**
 * The grid for the axes, each row carrying what was posted (or stored) for its combination; new
 * combinations start empty and active. Rows whose combination left the axes are dropped here (the
 * write then takes those variants off sale — they are never deleted).
 * @example regridRows(['S', 'M'], [], [{ size: 'S', sku: 'TEE-S', … }]) // S keeps TEE-S, M is new
 */
export function regridRows(sizes: readonly string[], colours: readonly string[], rows: readonly PostedRow[]): PostedRow[] {
  return variantGrid(sizes, colours).map((cell) => {
    const had = rows.find((r) => sameCell(cell, { size: r.size || null, colour: r.colour || null }));
    return had
      ? { ...had, size: cell.size ?? '', colour: cell.colour ?? '' }
      : { id: '', size: cell.size ?? '', colour: cell.colour ?? '', sku: '', price: '', compareAt: '', stock: '0', stockWas: '', active: true };
  });
}

/**
 * Parses and validates the product form.
 * @example parseProductForm(formData, { fractionDigits: 2, checkDescription })
 */
export function parseProductForm(form: FormLike, { fractionDigits = 2, checkDescription }: { fractionDigits?: number; checkDescription: DescriptionCheck }): ProductFormResult {
  const errors: Record<string, string> = {};
  const L = PRODUCT_LIMITS;

  const title = str(form, 'title').trim().replace(/\s+/g, ' ');
  if (!title) errors.title = 'Give the product a title.';
  else if (title.length > L.title) errors.title = `The title can have at most ${L.title} characters (it has ${title.length}).`;

  const slugRaw = str(form, 'slug').trim().toLowerCase();
  const slug = slugRaw || slugFromTitle(title);
  if (!slug) errors.slug ??= 'Choose an address for the product page, like "linen-shirt".';
  else {
    const p = productSlugProblem(slug);
    if (p) errors.slug = p;
  }

  const description = str(form, 'description').replace(/\r\n?/g, '\n').trim();
  if (description.length > L.description) errors.description = `The description can have at most ${L.description.toLocaleString('en')} characters (it has ${description.length.toLocaleString('en')}).`;
  else if (description) {
    const p = checkDescription(description);
    if (p) errors.description = p;
  }

  const brand = str(form, 'brandId').trim();
  if (!ID.test(brand) || Number(brand) === 0) errors.brandId = 'Choose a brand.';
  const category = str(form, 'categoryId').trim();
  if (!ID.test(category) || Number(category) === 0) errors.categoryId = 'Choose a category.';

  const tags: string[] = [];
  for (const raw of str(form, 'tags').split(',')) {
    const t = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    if (!t || tags.includes(t)) continue;
    if (t.length > L.tag) errors.tags ??= `A tag can have at most ${L.tag} characters ("${t.slice(0, 20)}…" is longer).`;
    tags.push(t);
  }
  if (tags.length > L.tags) errors.tags ??= `Use at most ${L.tags} tags (there are ${tags.length}).`;

  const seoTitle = str(form, 'seoTitle').trim().replace(/\s+/g, ' ');
  if (seoTitle.length > L.seoTitle) errors.seoTitle = `Search engines show about ${L.seoTitle} characters of a title: shorten it to ${L.seoTitle} or fewer (it has ${seoTitle.length}).`;
  const seoDescription = str(form, 'seoDescription').trim().replace(/\s+/g, ' ');
  if (seoDescription.length > L.seoDescription) errors.seoDescription = `Search engines show about ${L.seoDescription} characters of a description: shorten it to ${L.seoDescription} or fewer (it has ${seoDescription.length}).`;

  const sizes = parseAxisValues(str(form, 'sizes'));
  const colourField = parseColourValues(str(form, 'colours'));
  const colours = colourField.names;
  if (colourField.bad.length > 0) errors.colours = `A swatch colour is written like #1f2a44 (six hex digits after #); "${colourField.bad[0]}" is not one.`;
  for (const [field, values, word] of [['sizes', sizes, 'size'], ['colours', colours, 'colour']] as const) {
    if (values.length > L.axisValues) errors[field] = `List at most ${L.axisValues} ${word}s.`;
    else if (values.some((v) => v.length > L.axisValue)) errors[field] = `A ${word} can have at most ${L.axisValue} characters.`;
  }
  const grid = variantGrid(sizes, colours);
  if (grid.length > L.variants) errors.sizes ??= `That makes ${grid.length} variants; a product can have at most ${L.variants}.`;

  // The posted rows must be the grid of the posted axes: the form regenerates it ("Update the
  // variant grid") before saving, so a mismatch means the axes were edited without that.
  const rows = postedRows(form);
  const variants: VariantInput[] = [];
  const gridMatches = rows.length === grid.length && grid.every((cell, i) => sameCell(cell, { size: rows[i]!.size || null, colour: rows[i]!.colour || null }));
  if (!errors.sizes && !errors.colours && !gridMatches) {
    errors.variants = 'The sizes or colours changed: press "Update the variant grid" to see the new rows, fill them in, then save.';
  } else if (gridMatches) {
    const seenSkus = new Map<string, number>();
    rows.forEach((r, i) => {
      const f = (name: string) => `v${i}_${name}`;
      const cell = grid[i]!;
      const name = variantName(cell);
      const id = ID.test(r.id) && Number(r.id) > 0 ? Number(r.id) : null;
      const sku = r.sku.toUpperCase();
      if (!sku) {
        // A new combination left without a SKU is not sold; an existing variant keeps its SKU.
        if (id !== null) errors[f('sku')] = `${name}: keep a SKU (untick Active to stop selling it).`;
        return;
      }
      if (!SKU_PATTERN.test(sku)) {
        errors[f('sku')] = `${name}: a SKU has up to 41 letters, digits and dashes, starting with a letter or digit (like TEE-M).`;
      } else if (seenSkus.has(sku)) {
        errors[f('sku')] = `${name}: SKU ${sku} is also used by ${variantName(grid[seenSkus.get(sku)!]!)} above — each variant needs its own.`;
      } else seenSkus.set(sku, i);

      const price = parseMoneyInput(r.price, { fractionDigits });
      if (!price.ok) errors[f('price')] = `${name}: price — ${lower(price.message)}`;
      else if (price.cents > MAX_PRICE_CENTS) errors[f('price')] = `${name}: the price can be at most ${formatMoneyInput(MAX_PRICE_CENTS, { fractionDigits })}.`;
      const compareAt = parseOptionalMoneyInput(r.compareAt, { fractionDigits });
      if (!compareAt.ok) errors[f('compareAt')] = `${name}: compare-at price — ${lower(compareAt.message)}`;
      else if (compareAt.cents !== null && compareAt.cents > MAX_PRICE_CENTS) errors[f('compareAt')] = `${name}: the compare-at price can be at most ${formatMoneyInput(MAX_PRICE_CENTS, { fractionDigits })}.`;
      else if (price.ok && compareAt.cents !== null && compareAt.cents <= price.cents) {
        errors[f('compareAt')] = `${name}: the compare-at price must be above the price (leave it empty when it is not on sale).`;
      }
      const stock = /^\d{1,7}$/.test(r.stock) ? Number(r.stock) : NaN;
      if (Number.isNaN(stock)) errors[f('stock')] = `${name}: stock on hand is a whole number of units (0 or more).`;
      else if (stock > MAX_STOCK) errors[f('stock')] = `${name}: stock on hand can be at most ${MAX_STOCK.toLocaleString('en')} units.`;
      let stockWas: number | null = null;
      if (id !== null) {
        if (!/^\d{1,7}$/.test(r.stockWas)) errors[f('stock')] ??= 'The form is out of date: reload the page and try again.';
        else stockWas = Number(r.stockWas);
      }
      if (price.ok && compareAt.ok && !Number.isNaN(stock)) {
        const hex = cell.colour === null ? undefined : colourField.hex.get(cell.colour.toLowerCase());
        variants.push({ id, size: cell.size, colour: cell.colour, sku, priceCents: price.cents, compareAtCents: compareAt.cents, stockOnHand: stock, stockWas, active: r.active, ...(hex ? { colourHex: hex } : {}) });
      }
    });
    if (!Object.keys(errors).some((k) => k.startsWith('v')) && variants.length === 0) {
      errors.variants = grid.length === 1 ? 'Give the product a SKU, a price and stock.' : 'Fill in at least one variant: a SKU, a price and stock.';
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    value: {
      title,
      slug,
      description,
      brandId: Number(brand),
      categoryId: Number(category),
      tags,
      seoTitle: seoTitle || null,
      seoDescription: seoDescription || null,
      active: on(form, 'active'),
      sizes,
      colours,
      variants,
    },
  };
}

/** What a person calls a variant: "M / Black", "M", "Black" or "The product". */
export function variantName(cell: GridCell): string {
  return [cell.size, cell.colour].filter(Boolean).join(' / ') || 'The product';
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
