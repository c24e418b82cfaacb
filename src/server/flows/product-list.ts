/**
 * Workflows of the admin product list and its CSV (issue 10; docs/decisions/0044-product-csv.md):
 * read a page of the list from its address, apply a bulk action, save a quick stock/price edit
 * (compare-and-set, admin-products.ts), export the list as CSV, check an uploaded file (the dry
 * run) and import it. Pages are adapters around these.
 */
import {
  adminListSearch,
  applyBulkAction,
  applyProductImport,
  bulkMessage,
  checkProductRows,
  listAdminProductIds,
  listAdminProductPage,
  listFacets,
  loadCatalogSnapshot,
  loadExportProducts,
  MAX_CSV_BYTES,
  MAX_LISTED_PROBLEMS,
  parseAdminListQuery,
  parseBulkForm,
  readProductCsv,
  saveVariantForm,
  sortProblems,
  summarisePlan,
  writeProductCsv,
  type AdminListField,
  type AdminListPage,
  type AdminListQuery,
  type CsvProblem,
  type ImportOutcome,
  type ImportSummary,
  type ListFacets,
  type VariantFormField,
} from '../catalog/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { App } from './app.ts';
import { checkProductDescription } from './product-admin.ts';

type ParamsLike = { get(name: string): string | null };
type FormLike = { get(name: string): unknown; getAll(name: string): unknown[]; has(name: string): boolean };

export interface ProductListView {
  query: AdminListQuery;
  /** Sentences for address values that were dropped (the page answers 400 and shows them). */
  problems: Partial<Record<AdminListField, string>>;
  /** The page, or why there is none (a page number past the end: 404). */
  list: ({ ok: true } & AdminListPage) | Refusal<'not_found'>;
  facets: ListFacets;
}

/** The list at an address. An unknown brand or category slug is a problem too (it would match nothing). */
export async function productListPage(app: App, params: ParamsLike): Promise<ProductListView> {
  const { query, problems } = parseAdminListQuery(params);
  const facets = await listFacets(app.db);
  if (query.brand && !facets.brands.some((b) => b.slug === query.brand)) {
    problems.brand = `There is no brand “${query.brand}”; showing every brand.`;
    delete query.brand;
  }
  if (query.category && !facets.categories.some((c) => c.slug === query.category)) {
    problems.category = `There is no category “${query.category}”; showing every category.`;
    delete query.category;
  }
  const list = await listAdminProductPage(app.db, query);
  return { query, problems, list, facets };
}

export type ProductListAction =
  /** `search`: the list's address to go back to, with what happened (read back by `listFlash`). */
  | { kind: 'done'; message: string; back: string; search: string; anchor?: string }
  | { kind: 'refused'; refusal: Refusal; back: string; sku?: string; errors?: Partial<Record<VariantFormField, string>>; values?: Record<string, string> };

/** The list's address a form came from (only our own query string is kept). */
export function listBack(raw: unknown): string {
  const s = typeof raw === 'string' && raw.startsWith('?') ? raw.slice(0, 600) : '';
  return adminListSearch(parseAdminListQuery(new URLSearchParams(s)).query);
}

/**
 * A POST on the list: `action=bulk` (bulk=activate|deactivate|set_category, id=…, category) or
 * `action=variant` (the quick stock/price edit of one variant, compare-and-set on stock).
 */
export async function runProductListAction(app: App, { form, now = Date.now() }: { form: FormLike | null; now?: number }): Promise<ProductListAction> {
  const back = listBack(form?.get('back'));
  const action = form?.get('action');
  if (form && action === 'bulk') {
    const parsed = parseBulkForm(form);
    if (!parsed.ok) return { kind: 'refused', refusal: parsed, back };
    const r = await applyBulkAction(app.db, parsed.value, now);
    if (!r.ok) return { kind: 'refused', refusal: r, back };
    const done = new URLSearchParams({ done: r.action, n: String(r.changed), of: String(parsed.value.ids.length), ...(parsed.value.category ? { to: parsed.value.category } : {}) });
    return { kind: 'done', message: bulkMessage(r, parsed.value.ids.length), back, search: withParams(back, done) };
  }
  if (form && action === 'variant') {
    const sku = String(form.get('sku') ?? '').slice(0, 64);
    const r = await saveVariantForm(app.db, form, { fractionDigits: app.fmt.fractionDigits });
    if (r.ok) {
      const done = new URLSearchParams({ saved: sku, changed: r.changed.join('.') });
      return { kind: 'done', message: savedMessage(sku, r.changed), back, search: withParams(back, done), anchor: `v-${sku}` };
    }
    const values = Object.fromEntries(['price', 'compareAt', 'stock', 'stockWas'].map((k) => [k, String(form.get(k) ?? '').slice(0, 40)]));
    values.active = form.has('active') ? '1' : '';
    // A stale on-hand number: the retry starts from the shelf as it is now (the page re-reads it).
    if (r.reason === 'stock_changed') delete values.stockWas;
    return { kind: 'refused', refusal: refuse(r.reason === 'stock_changed' ? 'conflict' : r.reason, r.message), back, sku, errors: r.errors, values };
  }
  return { kind: 'refused', refusal: refuse('invalid', 'Unknown action. Reload the page and try again.'), back };
}

const withParams = (back: string, extra: URLSearchParams) => {
  const sp = new URLSearchParams(back.slice(1));
  for (const [k, v] of extra) sp.set(k, v);
  return `?${sp.toString()}`;
};

const CHANGED_WORDS: Record<string, string> = { price: 'price', compareAt: 'compare-at price', stock: 'stock', active: 'on sale' };
function savedMessage(sku: string, changed: readonly string[]): string {
  const what = changed.map((c) => CHANGED_WORDS[c]).filter(Boolean);
  return what.length ? `Saved ${sku}: ${what.join(', ')}.` : `Nothing changed on ${sku}.`;
}

/**
 * What the list says after a POST-redirect-GET (`done=deactivate&n=3&of=3`, `saved=SKU&changed=…`),
 * rebuilt from numbers and known names only — never text from the address.
 */
export function listFlash(params: ParamsLike, facets: ListFacets): string | null {
  const done = params.get('done');
  const num = (k: string) => (/^\d{1,4}$/.test(params.get(k) ?? '') ? Number(params.get(k)) : null);
  if (done === 'activate' || done === 'deactivate' || done === 'set_category') {
    const n = num('n');
    const of = num('of');
    if (n === null || of === null || n > of) return null;
    const categoryName = done === 'set_category' ? facets.categories.find((c) => c.slug === params.get('to'))?.name : undefined;
    if (done === 'set_category' && !categoryName) return null;
    return bulkMessage({ changed: n, action: done, ...(categoryName ? { categoryName } : {}) }, of);
  }
  const sku = params.get('saved');
  if (sku && /^[A-Za-z0-9._-]{1,64}$/.test(sku)) return savedMessage(sku, (params.get('changed') ?? '').split('.').filter((c) => c in CHANGED_WORDS));
  return null;
}

/** The CSV of the whole shop (no filter) or of the filtered list (every page of it). */
export async function exportProductsCsv(app: App, params: ParamsLike, now = Date.now()): Promise<({ ok: true } & { filename: string; body: string }) | Refusal<'invalid'>> {
  const { query, problems } = parseAdminListQuery(params);
  // A bad filter is refused in words, never answered with a file of something else.
  const bad = Object.values(problems);
  if (bad.length) return refuse('invalid', bad.join(' '));
  const ids = await listAdminProductIds(app.db, query);
  const list = await loadExportProducts(app.db, ids);
  const day = new Date(now).toISOString().slice(0, 10);
  return { ok: true, filename: `products-${day}${ids ? '-filtered' : ''}.csv`, body: writeProductCsv(list, { fractionDigits: app.fmt.fractionDigits }) };
}

export type CsvCheck =
  | { kind: 'problems'; problems: CsvProblem[]; total: number }
  | { kind: 'clean'; summary: ImportSummary; outcome: ImportOutcome; csv: string; seen: string };

/** Reads an upload (a File from the form) as text, refusing what is not a small text file. */
export async function readUpload(file: unknown): Promise<{ ok: true; text: string } | Refusal<'invalid'>> {
  if (!file || typeof file !== 'object' || !('arrayBuffer' in file) || !('size' in file)) return refuse('invalid', 'Choose a CSV file to check.');
  const f = file as File;
  if (f.size === 0) return refuse('invalid', 'Choose a CSV file to check (the file chosen is empty).');
  if (f.size > MAX_CSV_BYTES) return refuse('invalid', `The file is ${(f.size / 1024 / 1024).toFixed(1)} MB; at most ${MAX_CSV_BYTES / 1024 / 1024} MB can be imported at once. Split it into smaller files.`);
  const bytes = new Uint8Array(await f.arrayBuffer());
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return refuse('invalid', 'The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.');
  }
}

/**
 * The dry run: every problem of the file (line, column, why), or — when there are none — what the
 * import would do, worked out in a transaction that is rolled back. `seen` carries the on-hand
 * numbers the check saw, so the import refuses if a sale moved one in between.
 */
export async function checkProductCsv(app: App, text: string, now = Date.now()): Promise<CsvCheck> {
  const read = readProductCsv(text);
  if (!read.ok) return { kind: 'problems', problems: read.problems.slice(0, MAX_LISTED_PROBLEMS), total: read.problems.length };
  const checked = checkProductRows(read.rows, await loadCatalogSnapshot(app.db), { fractionDigits: app.fmt.fractionDigits, checkDescription: checkProductDescription, skipped: read.problems.length });
  if (!checked.ok || read.problems.length) {
    const all = sortProblems([...read.problems, ...(checked.ok ? [] : checked.problems)]);
    return { kind: 'problems', problems: all.slice(0, MAX_LISTED_PROBLEMS), total: all.length };
  }
  const outcome = await applyProductImport(app.db, checked.plan, { now, dryRun: true });
  if (!outcome.ok) return { kind: 'problems', problems: [{ line: 1, column: null, message: outcome.message }], total: 1 };
  const seen: Record<string, number> = {};
  for (const p of checked.plan) for (const v of p.variants) if (v.existing) seen[v.sku] = v.existing.stockSeen;
  const { ok: _ok, ...o } = outcome;
  return { kind: 'clean', summary: summarisePlan(checked.plan), outcome: o, csv: text, seen: JSON.stringify(seen) };
}

/**
 * The checked file as the confirm form carries it back: gzip + base64 (a 3 MB export is ~300 KB in
 * the page), and back — refusing anything that does not unpack to UTF-8 text within the size limit.
 */
export function packCheckedCsv(csv: string): string {
  return gzipSync(Buffer.from(csv, 'utf-8')).toString('base64');
}
export function unpackCheckedCsv(packed: string): string | null {
  try {
    const bytes = gunzipSync(Buffer.from(packed, 'base64'), { maxOutputLength: MAX_CSV_BYTES });
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export type CsvImport = ({ ok: true } & ImportOutcome) | { ok: false; refusal: Refusal; problems?: CsvProblem[] };

/**
 * The import of a checked file: checked again against the shop as it is now (nothing is written if
 * any problem appeared), refused when an on-hand number moved since the dry run, then applied in
 * one transaction.
 */
export async function importProductCsv(app: App, { csv, seen }: { csv: string; seen: string }, now = Date.now()): Promise<CsvImport> {
  const read = readProductCsv(csv);
  if (!read.ok || read.problems.length) return { ok: false, refusal: refuse('invalid', 'The file has problems; nothing was imported.'), problems: read.problems.slice(0, MAX_LISTED_PROBLEMS) };
  const checked = checkProductRows(read.rows, await loadCatalogSnapshot(app.db), { fractionDigits: app.fmt.fractionDigits, checkDescription: checkProductDescription });
  if (!checked.ok) return { ok: false, refusal: refuse('invalid', 'The file has problems (the shop may have changed since the check); nothing was imported.'), problems: checked.problems.slice(0, MAX_LISTED_PROBLEMS) };
  let seenBySku: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(seen);
    if (v && typeof v === 'object') seenBySku = v as Record<string, unknown>;
  } catch {
    return { ok: false, refusal: refuse('invalid', 'The form is out of date: check the file again.') };
  }
  for (const p of checked.plan) {
    for (const v of p.variants) {
      if (!v.existing) continue;
      const was = seenBySku[v.sku];
      if (typeof was !== 'number') return { ok: false, refusal: refuse('conflict', `${v.sku} was added to the shop since the check. Nothing was imported: check the file again.`) };
      if (was !== v.existing.stockSeen) {
        return { ok: false, refusal: refuse('conflict', `On hand of ${v.sku} changed from ${was} to ${v.existing.stockSeen} since the check (a sale, refund or another edit). Nothing was imported: check the file again.`) };
      }
    }
  }
  const r = await applyProductImport(app.db, checked.plan, { now });
  if (!r.ok) return { ok: false, refusal: r };
  return r;
}

/** "Imported 3 products (1 new, 2 updated) and 7 variants …" — what an import did, in words. */
export function importMessage(o: ImportOutcome): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  if (o.created + o.updated === 0) return 'Nothing to change: the shop already matches the file.';
  const parts = [`${n(o.created + o.updated, 'product')} (${o.created} new, ${o.updated} updated)`];
  if (o.variantsCreated + o.variantsUpdated) parts.push(`${n(o.variantsCreated + o.variantsUpdated, 'variant')} (${o.variantsCreated} new, ${o.variantsUpdated} updated)`);
  return `Imported ${parts.join(' and ')}${o.unchanged ? `; ${n(o.unchanged, 'product')} unchanged` : ''}.`;
}
