/**
 * The shop admin's product list (issue 10, "List"): search, filters, sort and pages of 50, each
 * product summarised from its variants (price range, stock, variant count, low stock), and the bulk
 * actions on a selection (activate, deactivate, set category).
 *
 * The address is the state: `?q=&category=&brand=&stock=&active=&sort=&page=`, read by the pure
 * `parseAdminListQuery`. A bad value never fails the page: it is dropped, and a sentence says what was
 * wrong (the page answers 400 and shows the list without that filter).
 *
 * Stock states (per product, over its ACTIVE variants' on-hand units — what the admin restocks):
 *   out — none on hand (or no active variant);
 *   low — some on hand, but at least one active variant at or below LOW_STOCK_THRESHOLD;
 *   in  — every active variant above the threshold.
 * Active states: on (in the shop), off (hidden, not archived), archived (off for good). With no
 * `active=` the list shows everything except archived products.
 *
 * One page costs three queries whatever its size: the count, the page of summaries (one aggregate
 * over variants joined to products), and the variants of those ≤ 50 products (no N+1).
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { brands, categories, products, variants } from '../../../db/schema/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { bumpCatalogVersion } from './catalog-store.ts';
import { LOW_STOCK_THRESHOLD, variantLabel } from './catalog.ts';

export const ADMIN_PRODUCTS_PER_PAGE = 50;
const MAX_Q = 100;
const MAX_PAGE_DIGITS = 6;

export const STOCK_STATES = ['in', 'low', 'out'] as const;
export const ACTIVE_STATES = ['on', 'off', 'archived'] as const;
export const LIST_SORTS = ['title', 'price', 'stock', 'updated'] as const;
export type ListStockState = (typeof STOCK_STATES)[number];
export type ActiveState = (typeof ACTIVE_STATES)[number];
export type ListSort = (typeof LIST_SORTS)[number];

export const STOCK_LABEL: Record<ListStockState, string> = { in: 'In stock', low: 'Low stock', out: 'Out of stock' };
export const ACTIVE_LABEL: Record<ActiveState, string> = { on: 'Active', off: 'Inactive', archived: 'Archived' };
export const SORT_LABEL: Record<ListSort, string> = { title: 'Title (A–Z)', price: 'Price (lowest first)', stock: 'Stock (fewest first)', updated: 'Last updated (newest first)' };

export interface AdminListQuery {
  q?: string;
  category?: string;
  brand?: string;
  stock?: ListStockState;
  active?: ActiveState;
  sort: ListSort;
  page: number;
}

export type AdminListField = 'q' | 'category' | 'brand' | 'stock' | 'active' | 'sort' | 'page';

export interface ParsedAdminListQuery {
  query: AdminListQuery;
  /** One sentence per value that was dropped, keyed by its parameter. Empty: the address was good. */
  problems: Partial<Record<AdminListField, string>>;
}

type ParamsLike = { get(name: string): string | null };
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const oneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

/**
 * Pure: the list's address → the query, with a sentence for every value that had to be dropped.
 * Empty parameters (what a GET form sends for "Any") mean "no filter".
 * @example parseAdminListQuery(new URLSearchParams('q=tee&stock=low&page=2')) // { query: { q: 'tee', stock: 'low', sort: 'title', page: 2 }, problems: {} }
 * @example parseAdminListQuery(new URLSearchParams('stock=lots')).problems.stock // 'Stock must be in stock, low stock or out of stock; showing every stock level.'
 */
export function parseAdminListQuery(params: ParamsLike): ParsedAdminListQuery {
  const problems: Partial<Record<AdminListField, string>> = {};
  const query: AdminListQuery = { sort: 'title', page: 1 };
  const get = (k: string) => (params.get(k) ?? '').trim();

  const q = get('q').replace(/\s+/g, ' ');
  if (q.length > MAX_Q) problems.q = `The search is too long (at most ${MAX_Q} characters); showing every product.`;
  else if (q) query.q = q;

  for (const k of ['category', 'brand'] as const) {
    const v = get(k).toLowerCase();
    if (!v) continue;
    if (SLUG.test(v)) query[k] = v;
    else problems[k] = `“${v.slice(0, 40)}” is not a ${k}; showing every ${k}.`;
  }

  const stock = get('stock');
  if (stock && oneOf(STOCK_STATES, stock)) query.stock = stock;
  else if (stock) problems.stock = 'Stock must be in stock, low stock or out of stock; showing every stock level.';

  const active = get('active');
  if (active && oneOf(ACTIVE_STATES, active)) query.active = active;
  else if (active) problems.active = 'Status must be active, inactive or archived; showing active and inactive products.';

  const sort = get('sort');
  if (sort && oneOf(LIST_SORTS, sort)) query.sort = sort;
  else if (sort) problems.sort = 'Sort by title, price, stock or last updated; sorted by title.';

  const page = get('page');
  if (page) {
    const digits = /^0*([0-9]+)$/.exec(page)?.[1];
    if (digits === undefined || digits === '0' || digits.length > MAX_PAGE_DIGITS) problems.page = 'That is not a page number (pages are counted 1, 2, 3 …); showing page 1.';
    else query.page = Number(digits);
  }
  return { query, problems };
}

/**
 * The address of a list query (defaults left out, so the plain list is `/admin/products`).
 * @example adminListSearch({ q: 'tee', sort: 'title', page: 2 }) // '?q=tee&page=2'
 */
export function adminListSearch(query: Partial<AdminListQuery>, overrides: Partial<AdminListQuery> = {}): string {
  const merged = { ...query, ...overrides };
  const sp = new URLSearchParams();
  if (merged.q) sp.set('q', merged.q);
  if (merged.category) sp.set('category', merged.category);
  if (merged.brand) sp.set('brand', merged.brand);
  if (merged.stock) sp.set('stock', merged.stock);
  if (merged.active) sp.set('active', merged.active);
  if (merged.sort && merged.sort !== 'title') sp.set('sort', merged.sort);
  if (merged.page && merged.page > 1) sp.set('page', String(merged.page));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Pure: a product's stock state from its active variants' on-hand units. */
export function stockStateOf(activeStocks: readonly number[]): ListStockState {
  const total = activeStocks.reduce((n, s) => n + s, 0);
  if (total === 0) return 'out';
  return Math.min(...activeStocks) <= LOW_STOCK_THRESHOLD ? 'low' : 'in';
}

export interface AdminListVariant {
  id: number;
  sku: string;
  label: string;
  priceCents: number;
  compareAtCents: number | null;
  stockOnHand: number;
  active: boolean;
}

export interface AdminListRow {
  id: number;
  slug: string;
  name: string;
  brand: string;
  brandSlug: string;
  category: string;
  categorySlug: string;
  active: boolean;
  archived: boolean;
  updatedAt: number | null;
  variantCount: number;
  /** null when the product has no variant. */
  minPriceCents: number | null;
  maxPriceCents: number | null;
  /** On hand over active variants. */
  totalStock: number;
  stockState: ListStockState;
  /** An active variant is at or below the low-stock threshold (0 included). */
  lowStock: boolean;
  /** How many active variants are at or below it. */
  lowVariants: number;
  variants: AdminListVariant[];
}

export interface AdminListPage {
  items: AdminListRow[];
  page: number;
  pages: number;
  total: number;
}

/** Summaries of every product's variants: one GROUP BY, joined to products. */
function variantSummary(db: DbOrTx) {
  return db
    .select({
      productId: variants.productId,
      count: sql<number>`count(*)`.as('v_count'),
      minPrice: sql<number | null>`min(${variants.priceCents})`.as('v_min_price'),
      maxPrice: sql<number | null>`max(${variants.priceCents})`.as('v_max_price'),
      activeCount: sql<number>`sum(case when ${variants.active} then 1 else 0 end)`.as('v_active_count'),
      totalStock: sql<number>`coalesce(sum(case when ${variants.active} then ${variants.stockOnHand} else 0 end), 0)`.as('v_total_stock'),
      minStock: sql<number | null>`min(case when ${variants.active} then ${variants.stockOnHand} end)`.as('v_min_stock'),
      lowCount: sql<number>`sum(case when ${variants.active} and ${variants.stockOnHand} <= ${LOW_STOCK_THRESHOLD} then 1 else 0 end)`.as('v_low_count'),
    })
    .from(variants)
    .groupBy(variants.productId)
    .as('vs');
}

/** The WHERE of a list query (slugs of brand/category are compared on the joined tables). */
function whereOf(query: AdminListQuery, vs: ReturnType<typeof variantSummary>): SQL | undefined {
  const conds: SQL[] = [];
  if (query.q) {
    const needle = query.q.toLowerCase();
    // instr(), not LIKE: a % or _ in the search is a character, not a wildcard.
    conds.push(sql`(instr(lower(${products.name}), ${needle}) > 0 or instr(lower(${brands.name}), ${needle}) > 0 or instr(lower(${products.slug}), ${needle}) > 0
      or exists (select 1 from ${variants} where ${variants.productId} = ${products.id} and instr(lower(${variants.sku}), ${needle}) > 0))`);
  }
  if (query.category) conds.push(eq(categories.slug, query.category));
  if (query.brand) conds.push(eq(brands.slug, query.brand));
  const total = sql`coalesce(${vs.totalStock}, 0)`;
  if (query.stock === 'out') conds.push(sql`${total} = 0`);
  if (query.stock === 'low') conds.push(sql`${total} > 0 and ${vs.minStock} <= ${LOW_STOCK_THRESHOLD}`);
  if (query.stock === 'in') conds.push(sql`${total} > 0 and ${vs.minStock} > ${LOW_STOCK_THRESHOLD}`);
  if (query.active === 'archived') conds.push(isNotNull(products.archivedAt));
  else {
    conds.push(isNull(products.archivedAt));
    if (query.active === 'on') conds.push(eq(products.active, true));
    if (query.active === 'off') conds.push(eq(products.active, false));
  }
  return and(...conds);
}

export type AdminListResult = ({ ok: true } & AdminListPage) | Refusal<'not_found'>;

/**
 * One page of the admin list. A page past the last is refused with the number of pages (the page
 * links page 1); an unknown brand or category slug simply matches nothing — `listFacets` lets the
 * page say so.
 */
export async function listAdminProductPage(db: DbOrTx, query: AdminListQuery): Promise<AdminListResult> {
  const vs = variantSummary(db);
  const where = whereOf(query, vs);
  const base = () =>
    db
      .select({ n: sql<number>`count(*)` })
      .from(products)
      .innerJoin(brands, eq(brands.id, products.brandId))
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .leftJoin(vs, eq(vs.productId, products.id))
      .where(where);
  const total = Number((await base().get())?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / ADMIN_PRODUCTS_PER_PAGE));
  if (query.page > pages) return refuse('not_found', pages === 1 ? 'This list has only one page.' : `This list has ${pages} pages; there is no page ${query.page}.`);

  const order = {
    title: [asc(sql`lower(${products.name})`), asc(products.id)],
    price: [asc(sql`coalesce(${vs.minPrice}, 9e18)`), asc(sql`lower(${products.name})`), asc(products.id)],
    stock: [asc(sql`coalesce(${vs.totalStock}, 0)`), asc(sql`lower(${products.name})`), asc(products.id)],
    updated: [desc(sql`coalesce(${products.updatedAt}, ${products.createdAt})`), desc(products.id)],
  }[query.sort];

  const rows = await db
    .select({
      id: products.id,
      slug: products.slug,
      name: products.name,
      brand: brands.name,
      brandSlug: brands.slug,
      category: categories.name,
      categorySlug: categories.slug,
      active: products.active,
      archivedAt: products.archivedAt,
      updatedAt: products.updatedAt,
      count: vs.count,
      minPrice: vs.minPrice,
      maxPrice: vs.maxPrice,
      totalStock: vs.totalStock,
      minStock: vs.minStock,
      lowCount: vs.lowCount,
    })
    .from(products)
    .innerJoin(brands, eq(brands.id, products.brandId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .leftJoin(vs, eq(vs.productId, products.id))
    .where(where)
    .orderBy(...order)
    .limit(ADMIN_PRODUCTS_PER_PAGE)
    .offset((query.page - 1) * ADMIN_PRODUCTS_PER_PAGE);

  const ids = rows.map((r) => r.id);
  const vrows = ids.length
    ? await db.select().from(variants).where(inArray(variants.productId, ids)).orderBy(asc(variants.productId), asc(variants.position), asc(variants.id))
    : [];
  const byProduct = new Map<number, AdminListVariant[]>();
  for (const v of vrows) {
    const list = byProduct.get(v.productId) ?? [];
    list.push({ id: v.id, sku: v.sku, label: variantLabel({ size: v.size, colour: v.colour }), priceCents: v.priceCents, compareAtCents: v.compareAtCents, stockOnHand: v.stockOnHand, active: v.active });
    byProduct.set(v.productId, list);
  }

  const items: AdminListRow[] = rows.map((r) => {
    const totalStock = Number(r.totalStock ?? 0);
    const minStock = r.minStock === null || r.minStock === undefined ? null : Number(r.minStock);
    const stockState: ListStockState = totalStock === 0 ? 'out' : minStock !== null && minStock <= LOW_STOCK_THRESHOLD ? 'low' : 'in';
    return {
      id: r.id,
      slug: r.slug,
      name: r.name,
      brand: r.brand,
      brandSlug: r.brandSlug,
      category: r.category,
      categorySlug: r.categorySlug,
      active: r.active,
      archived: r.archivedAt !== null,
      updatedAt: r.updatedAt,
      variantCount: Number(r.count ?? 0),
      minPriceCents: r.minPrice === null || r.minPrice === undefined ? null : Number(r.minPrice),
      maxPriceCents: r.maxPrice === null || r.maxPrice === undefined ? null : Number(r.maxPrice),
      totalStock,
      stockState,
      lowStock: minStock !== null && minStock <= LOW_STOCK_THRESHOLD,
      lowVariants: Number(r.lowCount ?? 0),
      variants: byProduct.get(r.id) ?? [],
    };
  });
  return { ok: true, items, page: query.page, pages, total };
}

/**
 * Ids of every product the list's filters match (all pages), for "export the filtered list". With
 * no filter at all: every product, archived ones included (the whole shop round-trips).
 */
export async function listAdminProductIds(db: DbOrTx, query: AdminListQuery): Promise<number[] | undefined> {
  if (!query.q && !query.category && !query.brand && !query.stock && !query.active) return undefined;
  const vs = variantSummary(db);
  const rows = await db
    .select({ id: products.id })
    .from(products)
    .innerJoin(brands, eq(brands.id, products.brandId))
    .innerJoin(categories, eq(categories.id, products.categoryId))
    .leftJoin(vs, eq(vs.productId, products.id))
    .where(whereOf(query, vs));
  return rows.map((r) => r.id);
}

export interface ListFacets {
  brands: { slug: string; name: string }[];
  categories: { slug: string; name: string }[];
}

/** Every brand and category, for the filter form and the "set category" action. */
export async function listFacets(db: DbOrTx): Promise<ListFacets> {
  const [b, c] = await Promise.all([
    db.select({ slug: brands.slug, name: brands.name }).from(brands).orderBy(asc(sql`lower(${brands.name})`)),
    db.select({ slug: categories.slug, name: categories.name }).from(categories).orderBy(asc(categories.position), asc(sql`lower(${categories.name})`)),
  ]);
  return { brands: b, categories: c };
}

export const BULK_ACTIONS = ['activate', 'deactivate', 'set_category'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const MAX_BULK = 500;

export interface BulkRequest {
  action: BulkAction;
  ids: number[];
  /** For set_category. */
  category?: string;
}

export type BulkResult = { ok: true; changed: number; action: BulkAction; categoryName?: string } | Refusal<'invalid' | 'not_found'>;

/**
 * Pure: the bulk form → a request, or a sentence saying what is missing.
 * @example parseBulkForm({ get: (k) => ({ bulk: 'activate' })[k] ?? null, getAll: () => ['3', '4'] }) // { ok: true, value: { action: 'activate', ids: [3, 4] } }
 */
export function parseBulkForm(form: { get(name: string): unknown; getAll(name: string): unknown[] }): { ok: true; value: BulkRequest } | Refusal<'invalid'> {
  const action = String(form.get('bulk') ?? '');
  if (!oneOf(BULK_ACTIONS, action)) return refuse('invalid', 'Choose what to do with the selected products.');
  // "Select all on this page" works without JavaScript: the page lists its ids as `page_id`.
  const raw = [...form.getAll('id'), ...(form.get('all') === 'page' ? form.getAll('page_id') : [])].map(String);
  if (raw.length === 0) return refuse('invalid', 'Select at least one product first (tick its box in the list).');
  if (raw.length > MAX_BULK) return refuse('invalid', `Select at most ${MAX_BULK} products at a time.`);
  if (!raw.every((s) => /^\d{1,9}$/.test(s))) return refuse('invalid', 'The form is out of date: reload the page and try again.');
  const ids = [...new Set(raw.map(Number))];
  if (action === 'set_category') {
    const category = String(form.get('category') ?? '').trim();
    if (!category) return refuse('invalid', 'Choose the category to move the selected products to.');
    if (!SLUG.test(category)) return refuse('invalid', 'That category does not exist. Reload the page and try again.');
    return { ok: true, value: { action, ids, category } };
  }
  return { ok: true, value: { action, ids } };
}

/**
 * Applies a bulk action to the selected products in one transaction and bumps the catalog version
 * (cached pages showing those products stop being served at the commit). Archived products are left
 * alone by activate/deactivate (archiving is for good). A product that vanished is refused: nothing
 * is written.
 */
export async function applyBulkAction(db: Db, req: BulkRequest, now = Date.now()): Promise<BulkResult> {
  return db.transaction(async (tx): Promise<BulkResult> => {
    const found = await tx.select({ id: products.id, active: products.active, archivedAt: products.archivedAt, categoryId: products.categoryId }).from(products).where(inArray(products.id, req.ids));
    if (found.length !== req.ids.length) return refuse('not_found', 'Some of the selected products no longer exist. Reload the page and try again; nothing was changed.');
    let categoryName: string | undefined;
    let targets: number[];
    let set: Partial<typeof products.$inferInsert>;
    if (req.action === 'set_category') {
      const cat = await tx.select({ id: categories.id, name: categories.name }).from(categories).where(eq(categories.slug, req.category ?? '')).get();
      if (!cat) return refuse('invalid', 'That category does not exist. Reload the page and try again; nothing was changed.');
      categoryName = cat.name;
      targets = found.filter((p) => p.categoryId !== cat.id).map((p) => p.id);
      set = { categoryId: cat.id, updatedAt: now };
    } else {
      const active = req.action === 'activate';
      targets = found.filter((p) => p.archivedAt === null && p.active !== active).map((p) => p.id);
      set = { active, updatedAt: now };
    }
    if (targets.length === 0) return { ok: true, changed: 0, action: req.action, ...(categoryName ? { categoryName } : {}) };
    await tx.update(products).set(set).where(inArray(products.id, targets));
    await bumpCatalogVersion(tx);
    return { ok: true, changed: targets.length, action: req.action, ...(categoryName ? { categoryName } : {}) };
  });
}

/** "3 products deactivated", "1 product moved to Outerwear", "Nothing changed: …". */
export function bulkMessage(r: { changed: number; action: BulkAction; categoryName?: string }, selected: number): string {
  const n = (k: number) => `${k} product${k === 1 ? '' : 's'}`;
  if (r.changed === 0) {
    if (r.action === 'set_category') return `Nothing changed: the ${selected === 1 ? 'selected product was' : 'selected products were'} already in ${r.categoryName}.`;
    return `Nothing changed: the ${selected === 1 ? 'selected product was' : 'selected products were'} already ${r.action === 'activate' ? 'active' : 'inactive'} (archived products are left as they are).`;
  }
  const rest = selected > r.changed ? ` (${selected - r.changed} already ${r.action === 'set_category' ? 'there' : r.action === 'activate' ? 'active' : 'inactive'})` : '';
  if (r.action === 'set_category') return `${n(r.changed)} moved to ${r.categoryName}${rest}.`;
  return `${n(r.changed)} ${r.action === 'activate' ? 'activated' : 'deactivated'}${rest}.`;
}
