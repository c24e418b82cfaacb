/**
 * Products and variants as CSV (issue 10; docs/decisions/0044-product-csv.md). Pure: the columns,
 * reading a file into rows, checking every row against a snapshot of the catalog, and writing rows
 * back out. The database side (the snapshot, the export's read, the import's transaction) is
 * product-csv-store.ts.
 *
 * Format: UTF-8 (a BOM is accepted), comma-separated, RFC 4180 quoting (csv-parse / csv-stringify —
 * never hand-rolled), a header row naming the columns in any order. One row per variant, the
 * product's columns repeated on each; a product without variants is one row with the variant
 * columns empty. Money in shop units ("24.00", never cents). Yes/no columns read yes/no (also
 * true/false, 1/0). Tags are comma-separated inside their cell. Brand and category are slugs (a name
 * is accepted too, when it names exactly one).
 *
 * The check lists every problem as (line, column, why) and the import applies nothing until there
 * are none. Products are matched by handle (their slug), variants by SKU. What the file does not
 * mention is left as it is (another product, a variant of this product not in the file).
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { MAX_PRICE_CENTS, MAX_STOCK } from './catalog-admin.ts';
import { formatMoneyInput, parseMoneyInput, parseOptionalMoneyInput } from './money-input.ts';
import { PRODUCT_LIMITS, PRODUCT_SLUG, SKU_PATTERN, type DescriptionCheck } from './product-input.ts';
import { guardFormula, unguardFormula } from '../shared/index.ts';

/** The columns, in the order the export writes them. */
export const CSV_COLUMNS = [
  'handle',
  'title',
  'brand',
  'category',
  'tags',
  'description',
  'seo_title',
  'seo_description',
  'active',
  'archived',
  'sku',
  'size',
  'colour',
  'price',
  'compare_at',
  'stock',
  'variant_active',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
const PRODUCT_COLUMNS = ['title', 'brand', 'category', 'tags', 'description', 'seo_title', 'seo_description', 'active', 'archived'] as const satisfies readonly CsvColumn[];
const VARIANT_COLUMNS = ['sku', 'size', 'colour', 'price', 'compare_at', 'stock', 'variant_active'] as const satisfies readonly CsvColumn[];

/** The largest file the import reads: the export of 5,000 products × 10 variants is about 3 MB. */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;
export const MAX_CSV_ROWS = 100_000;
/** Problems listed at most (a file with more is mostly wrong anyway: the count is still given). */
export const MAX_LISTED_PROBLEMS = 500;

/** The product form's limits and patterns (product-input.ts): a file can say nothing the form cannot. */
export const CSV_LIMITS = { ...PRODUCT_LIMITS, option: PRODUCT_LIMITS.axisValue } as const;
const HANDLE = PRODUCT_SLUG;
const SKU = SKU_PATTERN;

export interface CsvProblem {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  /** The column, or null for the row or file as a whole. */
  column: CsvColumn | null;
  message: string;
}

export interface CsvRow {
  line: number;
  cells: Partial<Record<CsvColumn, string>>;
}

/**
 * `ok: false`: the file cannot be read at all. `ok: true` may still carry `problems` of single rows
 * (a wrong cell count): those rows are left out of `rows`, and the rest are still checked, so one
 * dry run lists every problem.
 */
export type ReadCsvResult = { ok: true; rows: CsvRow[]; columns: CsvColumn[]; problems: CsvProblem[] } | { ok: false; problems: CsvProblem[] };

/**
 * Pure: the file's text → rows keyed by column, or the problems that stop it being read at all
 * (not CSV, no header, unknown or missing columns, a row with the wrong number of cells).
 */
export function readProductCsv(text: string): ReadCsvResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return { ok: false, problems: [{ line: err.lines ?? 1, column: null, message: `This is not a readable CSV file: ${String(err.message ?? 'bad quoting').replace(/^[A-Za-z ]+: /, '').split(' at line')[0]}. Save it as CSV (comma-separated, UTF-8) and try again.` }] };
  }
  const [head, ...body] = records;
  if (!head) return { ok: false, problems: [{ line: 1, column: null, message: 'The file is empty: it needs a header row and one row per variant.' }] };
  const names = head.record.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const problems: CsvProblem[] = [];
  const known = new Set<string>(CSV_COLUMNS);
  names.forEach((n, i) => {
    if (!known.has(n)) problems.push({ line: 1, column: null, message: `Column ${i + 1} is “${head.record[i]}”, which is not a column of the product file (${CSV_COLUMNS.join(', ')}).` });
    else if (names.indexOf(n) !== i) problems.push({ line: 1, column: n as CsvColumn, message: `The column “${n}” appears twice.` });
  });
  const missing = CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) problems.push({ line: 1, column: null, message: `The header is missing ${missing.length === 1 ? 'the column' : 'the columns'} ${missing.join(', ')}.` });
  if (problems.length) return { ok: false, problems };
  if (body.length > MAX_CSV_ROWS) return { ok: false, problems: [{ line: 1, column: null, message: `The file has ${body.length} rows; at most ${MAX_CSV_ROWS} can be imported at once. Split it into smaller files.` }] };

  const rows: CsvRow[] = [];
  for (const r of body) {
    const newlines = r.record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    const line = r.info.lines - newlines;
    if (r.record.length !== names.length) {
      problems.push({ line, column: null, message: `This row has ${r.record.length} cells; the header has ${names.length}. Check for a missing or extra comma, or a quote that is not closed.` });
      continue;
    }
    const cells: Partial<Record<CsvColumn, string>> = {};
    // A cell the export guarded against formula injection ('=…) reads back as it was typed.
    names.forEach((n, i) => (cells[n as CsvColumn] = unguardFormula(r.record[i]!)));
    rows.push({ line, cells });
  }
  return { ok: true, rows, columns: names as CsvColumn[], problems };
}

/** What the check needs to know about the shop (loaded once by product-csv-store.ts). */
export interface CatalogSnapshot {
  brands: { id: number; slug: string; name: string }[];
  categories: { id: number; slug: string; name: string }[];
  /** Products by slug. */
  products: Map<string, { id: number; name: string }>;
  /** A former slug → the product that now has another one. */
  formerSlugs: Map<string, { id: number; name: string; slug: string }>;
  /** Every variant by SKU (upper-case), with its product. */
  skus: Map<string, { id: number; productId: number; productSlug: string; productName: string; stockOnHand: number }>;
}

export interface PlannedVariant {
  line: number;
  sku: string;
  size: string | null;
  colour: string | null;
  priceCents: number;
  compareAtCents: number | null;
  stockOnHand: number;
  active: boolean;
  /** The existing variant (null: new), with the on-hand number it had when the file was checked. */
  existing: { id: number; stockSeen: number } | null;
}

export interface PlannedProduct {
  line: number;
  slug: string;
  title: string;
  brandId: number;
  categoryId: number;
  tags: string[];
  description: string;
  seoTitle: string | null;
  seoDescription: string | null;
  /** null: leave as it is (an existing product) or the default (a new one: active, not archived). */
  active: boolean | null;
  archived: boolean | null;
  existingId: number | null;
  variants: PlannedVariant[];
}

export type CheckResult = { ok: true; plan: PlannedProduct[] } | { ok: false; problems: CsvProblem[] };

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);
function yesNo(raw: string): boolean | null | 'bad' {
  const v = raw.trim().toLowerCase();
  if (v === '') return null;
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return 'bad';
}

/** Pure: a tags cell → the tags ("a, b" → ['a', 'b']; empty pieces dropped, duplicates once). */
export function parseTags(raw: string): string[] {
  const out: string[] = [];
  for (const t of raw.split(',').map((s) => s.trim().replace(/\s+/g, ' '))) if (t && !out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  return out;
}

const pick = <T extends { slug: string; name: string }>(list: T[], raw: string): T | 'ambiguous' | undefined => {
  const v = raw.trim();
  const bySlug = list.find((x) => x.slug === v.toLowerCase());
  if (bySlug) return bySlug;
  const byName = list.filter((x) => x.name.toLowerCase() === v.toLowerCase());
  return byName.length === 1 ? byName[0] : byName.length > 1 ? 'ambiguous' : undefined;
};

/** Pure: the reader's and the checker's problems in file order (line, then column order). */
export function sortProblems(problems: readonly CsvProblem[]): CsvProblem[] {
  const col = (c: CsvColumn | null) => (c === null ? -1 : CSV_COLUMNS.indexOf(c));
  return [...problems].sort((a, b) => a.line - b.line || col(a.column) - col(b.column));
}

/**
 * Pure: every row checked against the catalog snapshot. Returns the plan only when there is no
 * problem at all; otherwise every problem found (line, column, why), in file order.
 */
export function checkProductRows(
  rows: readonly CsvRow[],
  snap: CatalogSnapshot,
  { fractionDigits = 2, checkDescription, skipped = 0 }: { fractionDigits?: number; checkDescription: DescriptionCheck; /** Rows the reader already refused. */ skipped?: number },
): CheckResult {
  const problems: CsvProblem[] = [];
  const add = (line: number, column: CsvColumn | null, message: string) => problems.push({ line, column, message });
  const byHandle = new Map<string, { first: CsvRow; plan: PlannedProduct | null }>();
  const plan: PlannedProduct[] = [];
  const skuLine = new Map<string, { line: number; handle: string }>();
  const money = (v: number) => formatMoneyInput(v, { fractionDigits });

  for (const row of rows) {
    const c = (k: CsvColumn) => (row.cells[k] ?? '').trim();
    const L = row.line;
    const handle = c('handle').toLowerCase();
    if (!handle) {
      add(L, 'handle', 'Missing handle: every row names its product by handle (the address slug, like organic-cotton-tee).');
      continue;
    }
    if (!HANDLE.test(handle)) {
      add(L, 'handle', `“${handle.slice(0, 80)}” is not a handle: use 2–80 lowercase letters, digits and single dashes, not at the start or end.`);
      continue;
    }

    // Product columns: the first row of a handle sets them; a later row leaves them empty or repeats them.
    let entry = byHandle.get(handle);
    if (!entry) {
      entry = { first: row, plan: null };
      byHandle.set(handle, entry);
      const before = problems.length;
      const former = snap.formerSlugs.get(handle);
      if (former) add(L, 'handle', `“${handle}” is a former address of ${former.name} (now ${former.slug}); use ${former.slug}, or another handle.`);
      const title = c('title').replace(/\s+/g, ' ');
      if (!title) add(L, 'title', 'Missing title.');
      else if (title.length > CSV_LIMITS.title) add(L, 'title', `The title is ${title.length} characters; at most ${CSV_LIMITS.title}.`);
      const brand = c('brand') ? pick(snap.brands, c('brand')) : undefined;
      if (!c('brand')) add(L, 'brand', 'Missing brand.');
      else if (brand === 'ambiguous') add(L, 'brand', `Several brands are called “${c('brand')}”: use the brand’s slug.`);
      else if (!brand) add(L, 'brand', `Unknown brand “${c('brand')}”: add it in the admin first, or use an existing brand’s slug.`);
      const category = c('category') ? pick(snap.categories, c('category')) : undefined;
      if (!c('category')) add(L, 'category', 'Missing category.');
      else if (category === 'ambiguous') add(L, 'category', `Several categories are called “${c('category')}”: use the category’s slug.`);
      else if (!category) add(L, 'category', `Unknown category “${c('category')}”: add it in the admin first, or use an existing category’s slug.`);
      const tags = parseTags(c('tags'));
      if (tags.length > CSV_LIMITS.tags) add(L, 'tags', `${tags.length} tags; at most ${CSV_LIMITS.tags}.`);
      const longTag = tags.find((t) => t.length > CSV_LIMITS.tag);
      if (longTag) add(L, 'tags', `The tag “${longTag.slice(0, 40)}…” is longer than ${CSV_LIMITS.tag} characters.`);
      // Kept exactly as written (only CRLF → LF), so a description round-trips byte for byte.
      const description = (row.cells.description ?? '').replace(/\r\n?/g, '\n');
      if (description.length > CSV_LIMITS.description) add(L, 'description', `The description is ${description.length} characters; at most ${CSV_LIMITS.description}.`);
      else {
        const why = description ? checkDescription(description) : null;
        if (why) add(L, 'description', why);
      }
      const seoTitle = c('seo_title');
      if (seoTitle.length > CSV_LIMITS.seoTitle) add(L, 'seo_title', `The SEO title is ${seoTitle.length} characters; at most ${CSV_LIMITS.seoTitle}.`);
      const seoDescription = c('seo_description');
      if (seoDescription.length > CSV_LIMITS.seoDescription) add(L, 'seo_description', `The SEO description is ${seoDescription.length} characters; at most ${CSV_LIMITS.seoDescription}.`);
      const active = yesNo(c('active'));
      if (active === 'bad') add(L, 'active', `“${c('active')}” is not yes or no.`);
      const archived = yesNo(c('archived'));
      if (archived === 'bad') add(L, 'archived', `“${c('archived')}” is not yes or no.`);
      if (active === true && archived === true) add(L, 'active', 'An archived product cannot be active: set active to no, or archived to no.');
      if (problems.length === before && brand && brand !== 'ambiguous' && category && category !== 'ambiguous' && active !== 'bad' && archived !== 'bad') {
        entry.plan = {
          line: L,
          slug: handle,
          title,
          brandId: brand.id,
          categoryId: category.id,
          tags,
          description,
          seoTitle: seoTitle || null,
          seoDescription: seoDescription || null,
          active,
          archived,
          existingId: snap.products.get(handle)?.id ?? null,
          variants: [],
        };
        plan.push(entry.plan);
      }
    } else {
      // Compared as they are read: "North" and "north" name one brand, "YES" is yes.
      const same = (k: (typeof PRODUCT_COLUMNS)[number], raw: string | undefined): string => {
        const v = (raw ?? '').trim();
        if (k === 'description') return (raw ?? '').replace(/\r\n?/g, '\n');
        if (k === 'brand' || k === 'category') {
          const found = pick(k === 'brand' ? snap.brands : snap.categories, v);
          return found && found !== 'ambiguous' ? `#${found.id}` : v;
        }
        if (k === 'active' || k === 'archived') return String(yesNo(v));
        if (k === 'tags') return parseTags(v).join('\u0000');
        if (k === 'title') return v.replace(/\s+/g, ' ');
        return v;
      };
      for (const k of PRODUCT_COLUMNS) {
        if (c(k) === '') continue;
        if (same(k, row.cells[k]) !== same(k, entry.first.cells[k])) add(L, k, `Differs from line ${entry.first.line}, the first row of ${handle}: leave it empty or repeat the same value.`);
      }
    }

    // Variant columns.
    // SKUs are upper-case in the shop (product-input.ts); a file may write them in any case.
    const sku = c('sku').toUpperCase();
    const anyVariant = VARIANT_COLUMNS.some((k) => c(k) !== '');
    if (!anyVariant) continue;
    if (!sku) {
      add(L, 'sku', 'Missing SKU: a row with a price, stock or option needs the variant’s SKU.');
      continue;
    }
    const before = problems.length;
    if (!SKU.test(sku)) add(L, 'sku', `“${c('sku').slice(0, 64)}” is not a SKU: use letters, digits and dashes, starting with a letter or digit (at most 41).`);
    const key = sku;
    const dup = skuLine.get(key);
    if (dup) add(L, 'sku', `The SKU ${sku} is already on line ${dup.line}${dup.handle === handle ? '' : ` (${dup.handle})`}: each variant has its own SKU.`);
    else skuLine.set(key, { line: L, handle });
    const owner = snap.skus.get(sku);
    if (owner && owner.productSlug !== handle) add(L, 'sku', `The SKU ${sku} belongs to another product, ${owner.productName} (${owner.productSlug}).`);
    const size = c('size');
    const colour = c('colour');
    if (size.length > CSV_LIMITS.option) add(L, 'size', `The size is ${size.length} characters; at most ${CSV_LIMITS.option}.`);
    if (colour.length > CSV_LIMITS.option) add(L, 'colour', `The colour is ${colour.length} characters; at most ${CSV_LIMITS.option}.`);
    const price = c('price') === '' ? ({ ok: false, message: 'Missing price.' } as const) : parseMoneyInput(c('price'), { fractionDigits });
    if (!price.ok) add(L, 'price', price.message === 'Missing price.' ? price.message : `Price “${c('price')}”: ${price.message}`);
    else if (price.cents > MAX_PRICE_CENTS) add(L, 'price', `The price is at most ${money(MAX_PRICE_CENTS)}.`);
    const compareAt = parseOptionalMoneyInput(c('compare_at'), { fractionDigits });
    if (!compareAt.ok) add(L, 'compare_at', `Compare-at “${c('compare_at')}”: ${compareAt.message}`);
    else if (compareAt.cents !== null && compareAt.cents > MAX_PRICE_CENTS) add(L, 'compare_at', `The compare-at price is at most ${money(MAX_PRICE_CENTS)}.`);
    else if (compareAt.cents !== null && price.ok && compareAt.cents <= price.cents) add(L, 'compare_at', `The compare-at price (${c('compare_at')}) must be above the price (${c('price')}), or empty when not on sale.`);
    const stockRaw = c('stock');
    const stock = /^\d{1,7}$/.test(stockRaw) ? Number(stockRaw) : null;
    if (stockRaw === '') add(L, 'stock', 'Missing stock (units on hand; 0 for none).');
    else if (stock === null) add(L, 'stock', `“${stockRaw}” is not a whole number of units (0 or more).`);
    else if (stock > MAX_STOCK) add(L, 'stock', `At most ${MAX_STOCK} units.`);
    const vActive = yesNo(c('variant_active'));
    if (vActive === 'bad') add(L, 'variant_active', `“${c('variant_active')}” is not yes or no.`);
    if (problems.length === before && entry.plan && price.ok && compareAt.ok && stock !== null && vActive !== 'bad') {
      entry.plan.variants.push({
        line: L,
        sku,
        size: size || null,
        colour: colour || null,
        priceCents: price.cents,
        compareAtCents: compareAt.cents,
        stockOnHand: stock,
        active: vActive ?? true,
        existing: owner && owner.productSlug === handle ? { id: owner.id, stockSeen: owner.stockOnHand } : null,
      });
    }
  }
  if (rows.length === 0 && !skipped) add(1, null, 'The file has a header but no rows.');
  return problems.length ? { ok: false, problems } : { ok: true, plan };
}

/** One product and its variants as the export reads them. */
export interface ExportProduct {
  slug: string;
  name: string;
  brandSlug: string;
  categorySlug: string;
  tags: string[];
  description: string;
  seoTitle: string | null;
  seoDescription: string | null;
  active: boolean;
  archived: boolean;
  variants: { sku: string; size: string | null; colour: string | null; priceCents: number; compareAtCents: number | null; stockOnHand: number; active: boolean }[];
}

/** Pure: products → the CSV file's text (header first; one row per variant; CRLF as RFC 4180). */
export function writeProductCsv(list: readonly ExportProduct[], { fractionDigits = 2 }: { fractionDigits?: number } = {}): string {
  const yn = (b: boolean) => (b ? 'yes' : 'no');
  const m = (c: number | null) => (c === null ? '' : formatMoneyInput(c, { fractionDigits }));
  const rows: string[][] = [];
  for (const p of list) {
    const product = [p.slug, p.name, p.brandSlug, p.categorySlug, p.tags.join(', '), p.description, p.seoTitle ?? '', p.seoDescription ?? '', yn(p.active), yn(p.archived)];
    if (p.variants.length === 0) rows.push([...product, '', '', '', '', '', '', '']);
    for (const v of p.variants) rows.push([...product, v.sku, v.size ?? '', v.colour ?? '', m(v.priceCents), m(v.compareAtCents), String(v.stockOnHand), yn(v.active)]);
  }
  // Rows end in CRLF; csv-stringify quotes a cell holding the record delimiter, but a bare LF (how
  // descriptions store line breaks) must be quoted too, or the reader would split the row there.
  // Text that a spreadsheet would run as a formula (=, +, -, @ first) gets an apostrophe; the import drops it.
  return stringify(rows.map((r) => r.map(guardFormula)), { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** Pure: what a clean plan would do, for the dry run's summary and the import's message. */
export interface ImportSummary {
  products: number;
  newProducts: number;
  variants: number;
  newVariants: number;
}
export function summarisePlan(plan: readonly PlannedProduct[]): ImportSummary {
  return {
    products: plan.length,
    newProducts: plan.filter((p) => p.existingId === null).length,
    variants: plan.reduce((n, p) => n + p.variants.length, 0),
    newVariants: plan.reduce((n, p) => n + p.variants.filter((v) => v.existing === null).length, 0),
  };
}
