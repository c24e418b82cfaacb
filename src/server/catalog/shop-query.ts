/**
 * The /shop query string: filters and sort as plain, shareable URL parameters (no JavaScript needed).
 * Pure parsing; catalog-store.ts turns a ShopQuery into SQL. A value that cannot be used is dropped
 * (or the default taken) with a note, never an error page: shared links outlive the shop's options.
 *
 *   /shop?category=knitwear&brand=atelier-nord&size=M&min=50&max=150&instock=1&sort=price-asc&page=2
 *
 * Prices in the URL are whole units of the shop currency (what a person types), converted to minor units here.
 */
export const SHOP_SORTS = ['new', 'price-asc', 'price-desc', 'sale'] as const;
export type ShopSort = (typeof SHOP_SORTS)[number];
export const SHOP_PAGE_SIZE = 24;
const MAX_PRICE_UNITS = 100_000;

const SLUG = /^[a-z0-9-]{1,60}$/;
const SIZE = /^[A-Za-z0-9 .\/-]{1,20}$/;
const MAX_VALUES = 20;

export interface ShopQuery {
  categories: string[];
  brands: string[];
  sizes: string[];
  minCents?: number;
  maxCents?: number;
  inStockOnly: boolean;
  sort: ShopSort;
  page: number;
}

/** A value in the URL that could not be used, and what the page did instead (shown as a quiet note). */
export interface ShopQueryNote {
  field: 'category' | 'brand' | 'size' | 'min' | 'max' | 'instock' | 'sort' | 'page';
  message: string;
}

/**
 * Always a query: /shop links are shared and outlive the shop's options, so a value that cannot be
 * used falls back to the default with a note in people's words instead of an error page.
 */
export type ParsedShopQuery = { ok: true; query: ShopQuery; notes: ShopQueryNote[] };

/** Quotes what the visitor's URL said, shortened so a long value cannot flood the page. */
const quoted = (v: string) => `“${v.length > 40 ? `${v.slice(0, 40)}…` : v}”`;

/**
 * @example parseShopQuery(new URLSearchParams('sort=cheapest')).notes
 *   // [{ field: 'sort', message: 'We do not have the sort “cheapest”, so the newest pieces come first.' }]
 */
export function parseShopQuery(params: URLSearchParams, minorPerUnit = 100): ParsedShopQuery {
  const notes: ShopQueryNote[] = [];
  const list = (key: 'category' | 'brand' | 'size', pattern: RegExp, what: string) => {
    const values = [...new Set(params.getAll(key).map((v) => v.trim()).filter((v) => v !== ''))];
    const ok = values.filter((v) => pattern.test(v));
    for (const v of values.filter((x) => !pattern.test(x))) notes.push({ field: key, message: `There is no ${what} ${quoted(v)}, so it was left out.` });
    if (ok.length > MAX_VALUES) notes.push({ field: key, message: `Only the first ${MAX_VALUES} ${what} filters are used.` });
    return ok.slice(0, MAX_VALUES);
  };
  const one = (key: string) => {
    const v = params.get(key);
    return v === null || v.trim() === '' ? undefined : v.trim();
  };
  const price = (key: 'min' | 'max', label: string) => {
    const v = one(key);
    if (v === undefined) return undefined;
    const n = /^\d{1,6}(\.0+)?$/.test(v) ? Number.parseInt(v, 10) : NaN;
    if (!Number.isFinite(n) || n > MAX_PRICE_UNITS) {
      notes.push({ field: key, message: `The ${label} price ${quoted(v)} is not a whole amount we can use, so it was left out.` });
      return undefined;
    }
    return n;
  };

  const categories = list('category', SLUG, 'category');
  const brands = list('brand', SLUG, 'brand');
  const sizes = list('size', SIZE, 'size');
  let min = price('min', 'lowest');
  let max = price('max', 'highest');
  if (min !== undefined && max !== undefined && min > max) {
    [min, max] = [max, min];
    notes.push({ field: 'min', message: 'The lowest price was above the highest, so the two were swapped.' });
  }
  const instockRaw = one('instock');
  const inStockOnly = instockRaw !== undefined && ['1', 'true', 'on'].includes(instockRaw.toLowerCase());
  if (instockRaw !== undefined && !inStockOnly && !['0', 'false', 'off'].includes(instockRaw.toLowerCase())) {
    notes.push({ field: 'instock', message: 'The “in stock only” filter was not understood, so every piece is shown.' });
  }
  const sortRaw = one('sort');
  const sort: ShopSort = sortRaw === undefined ? 'new' : ((SHOP_SORTS as readonly string[]).includes(sortRaw) ? (sortRaw as ShopSort) : 'new');
  if (sortRaw !== undefined && sort !== sortRaw) notes.push({ field: 'sort', message: `We do not have the sort ${quoted(sortRaw)}, so the newest pieces come first.` });
  const pageRaw = one('page');
  let page = 1;
  if (pageRaw !== undefined) {
    if (/^\d{1,4}$/.test(pageRaw) && Number(pageRaw) >= 1) page = Number(pageRaw);
    else notes.push({ field: 'page', message: `There is no page ${quoted(pageRaw)}, so this is the first page.` });
  }
  return {
    ok: true,
    query: {
      categories,
      brands,
      sizes,
      minCents: min === undefined ? undefined : min * minorPerUnit,
      maxCents: max === undefined ? undefined : max * minorPerUnit,
      inStockOnly,
      sort,
      page,
    },
    notes,
  };
}

/** Back to URL parameters (for pagination and "remove filter" links). */
export function shopQueryToParams(q: ShopQuery, minorPerUnit = 100): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (q.categories.length) out.category = q.categories;
  if (q.brands.length) out.brand = q.brands;
  if (q.sizes.length) out.size = q.sizes;
  if (q.minCents !== undefined) out.min = String(q.minCents / minorPerUnit);
  if (q.maxCents !== undefined) out.max = String(q.maxCents / minorPerUnit);
  if (q.inStockOnly) out.instock = '1';
  if (q.sort !== 'new') out.sort = q.sort;
  if (q.page > 1) out.page = String(q.page);
  return out;
}

export function shopHref(params: Record<string, string | string[]>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  const s = qs.toString();
  return s ? `/shop?${s}` : '/shop';
}
