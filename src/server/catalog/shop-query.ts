/**
 * The /shop query string: filters and sort as plain, shareable URL parameters (no JavaScript needed).
 * Pure parsing and validation; catalog-store.ts turns a ShopQuery into SQL.
 *
 *   /shop?category=knitwear&brand=atelier-nord&size=M&min=50&max=150&instock=1&sort=price-asc&page=2
 *
 * Prices in the URL are whole units of the shop currency (what a person types), converted to minor units here.
 */
import { z } from 'zod';

export const SHOP_SORTS = ['new', 'price-asc', 'price-desc', 'sale'] as const;
export type ShopSort = (typeof SHOP_SORTS)[number];
export const SHOP_PAGE_SIZE = 24;
const MAX_PRICE_UNITS = 100_000;

const slug = z.string().regex(/^[a-z0-9-]{1,60}$/, 'is not a valid name');
const units = z
  .string()
  .regex(/^\d{1,6}$/, 'must be a whole number')
  .transform(Number)
  .refine((n) => n <= MAX_PRICE_UNITS, `must be at most ${MAX_PRICE_UNITS}`);

const schema = z
  .object({
    category: z.array(slug).max(20).default([]),
    brand: z.array(slug).max(20).default([]),
    size: z.array(z.string().regex(/^[A-Za-z0-9 .\/-]{1,20}$/, 'is not a valid size')).max(20).default([]),
    min: units.optional(),
    max: units.optional(),
    instock: z.enum(['1', 'true', 'on']).optional(),
    sort: z.enum(SHOP_SORTS).default('new'),
    page: z
      .string()
      .regex(/^\d{1,4}$/, 'must be a page number')
      .transform(Number)
      .refine((n) => n >= 1, 'must be 1 or more')
      .default(1),
  })
  .refine((q) => q.min === undefined || q.max === undefined || q.min <= q.max, {
    message: 'minimum price must not be above the maximum',
    path: ['min'],
  });

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

export type ParsedShopQuery = { ok: true; query: ShopQuery } | { ok: false; errors: { field: string; message: string }[] };

const LABELS: Record<string, string> = {
  category: 'Category',
  brand: 'Brand',
  size: 'Size',
  min: 'Minimum price',
  max: 'Maximum price',
  instock: 'In stock',
  sort: 'Sort',
  page: 'Page',
};

export function parseShopQuery(params: URLSearchParams, minorPerUnit = 100): ParsedShopQuery {
  const raw: Record<string, unknown> = {};
  for (const key of ['category', 'brand', 'size']) {
    const values = params.getAll(key).filter((v) => v !== '');
    if (values.length) raw[key] = values;
  }
  for (const key of ['min', 'max', 'instock', 'sort', 'page']) {
    const v = params.get(key);
    if (v !== null && v !== '') raw[key] = v.trim();
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const field = String(i.path[0] ?? 'query');
        return { field, message: `${LABELS[field] ?? field} ${i.message}` };
      }),
    };
  }
  const q = parsed.data;
  return {
    ok: true,
    query: {
      categories: q.category,
      brands: q.brand,
      sizes: q.size,
      minCents: q.min === undefined ? undefined : q.min * minorPerUnit,
      maxCents: q.max === undefined ? undefined : q.max * minorPerUnit,
      inStockOnly: q.instock !== undefined,
      sort: q.sort,
      page: q.page,
    },
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
