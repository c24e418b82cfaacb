/**
 * Customers: the shop's buyers, one per email address as stored on orders — the normalised form
 * (trimmed, lower-cased; shared/email.ts, ADR 0012), so "Ana@Example.com " and "ana@example.com"
 * are one customer. A customer is an address with at least one paid order; checkouts never paid
 * (pending, expired) do not make a buyer, but they are listed on the customer's page.
 *
 * Figures:
 * - Orders: paid orders.
 * - Total spent: what the customer paid on those orders (total with shipping and tax) minus what was
 *   refunded to them.
 * - Last order: the latest payment.
 * - Attributed creators: every creator credited with a line of theirs (ADR 0008).
 *
 * Speed: one grouped read of paid orders by email (`orders_email_idx`) for the page of 50, one
 * count, and one read of the credited lines of the 50 addresses on the page.
 *
 * Address: /admin/customers/<the email, URL-encoded> — readable, no internal id, and an encoded
 * address cannot break out of its path segment ("/", "?", "#" and "%" are all escaped).
 */
import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db.ts';
import { creators, orderLines, orders } from '../../../db/schema/index.ts';
import type { FulfilmentStatus, OrderStatus } from '../../../db/schema/commerce.ts';
import { normaliseEmail } from '../shared/index.ts';

export const CUSTOMERS_PAGE_SIZE = 50;
export const ADMIN_CUSTOMERS_PATH = '/admin/customers';
export const CUSTOMER_SORTS = ['last', 'orders', 'spent', 'email'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const CUSTOMER_SORT_LABELS: Record<CustomerSort, string> = { last: 'Last order', orders: 'Orders', spent: 'Total spent', email: 'Email' };
const Q_MAX = 100;

export interface CustomerQuery {
  /** Part of the email, trimmed and lower-cased. */
  q?: string;
  sort: CustomerSort;
  page: number;
}

export type CustomerQueryError = { field: string; message: string };

const schema = z.object({
  q: z
    .string()
    .max(Q_MAX, `Search must be at most ${Q_MAX} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Search contains characters that cannot be searched')
    .optional(),
  sort: z.enum(CUSTOMER_SORTS, { error: `Sort must be one of: ${CUSTOMER_SORTS.join(', ')}` }).default('last'),
  page: z.string().regex(/^\d{1,5}$/, 'Page must be a page number').transform(Number).refine((n) => n >= 1, 'Page must be 1 or more').default(1),
});

/**
 * @example parseCustomerQuery(new URLSearchParams('q=Ana&sort=spent')) // { ok: true, query: { q: 'ana', sort: 'spent', page: 1 } }
 */
export function parseCustomerQuery(params: URLSearchParams): { ok: true; query: CustomerQuery } | { ok: false; errors: CustomerQueryError[] } {
  const raw: Record<string, string> = {};
  for (const key of ['q', 'sort', 'page']) {
    const v = params.get(key)?.trim();
    if (v) raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'query'), message: i.message })) };
  const query: CustomerQuery = { sort: parsed.data.sort, page: parsed.data.page };
  if (parsed.data.q) query.q = parsed.data.q.toLowerCase();
  return { ok: true, query };
}

/** The list's URL for a query (sort links, pagination, "clear"). */
export function adminCustomersHref(q: Partial<CustomerQuery> = {}): string {
  const qs = new URLSearchParams();
  if (q.q) qs.set('q', q.q);
  if (q.sort && q.sort !== 'last') qs.set('sort', q.sort);
  if (q.page && q.page > 1) qs.set('page', String(q.page));
  const s = qs.toString();
  return s ? `${ADMIN_CUSTOMERS_PATH}?${s}` : ADMIN_CUSTOMERS_PATH;
}

/**
 * One customer's page; the address is normalised first, so every spelling lands on one URL.
 * @example adminCustomerHref('Ana+shop@example.com') // '/admin/customers/ana%2Bshop%40example.com'
 */
export function adminCustomerHref(email: string): string {
  return `${ADMIN_CUSTOMERS_PATH}/${encodeURIComponent(normaliseEmail(email))}`;
}

/**
 * The email from the path segment after /admin/customers/ (still percent-encoded, as in the URL),
 * or null when it cannot be an address (malformed escapes, no "@", too long).
 */
export function customerEmailFromSegment(segment: string): { email: string; canonicalPath: boolean } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (decoded.length > 254 || !decoded.includes('@') || /[\u0000-\u001f\u007f]/.test(decoded)) return null;
  const email = normaliseEmail(decoded);
  return { email, canonicalPath: adminCustomerHref(email) === `${ADMIN_CUSTOMERS_PATH}/${segment}` };
}

export interface CreatorRef {
  id: number;
  handle: string;
  displayName: string;
}

export interface CustomerRow {
  email: string;
  orders: number;
  spentCents: number;
  lastOrderAt: number;
  firstOrderAt: number;
  creators: CreatorRef[];
}

export interface CustomerPage {
  query: CustomerQuery;
  total: number;
  pages: number;
  rows: CustomerRow[];
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const spent = sql<number>`coalesce(sum(max(${orders.totalCents} - ${orders.refundedCents}, 0)), 0)`;
const lastAt = sql<number>`max(${orders.paidAt})`;

function searchCond(q: string | undefined): SQL | undefined {
  return q ? sql`instr(${orders.email}, ${q}) > 0` : undefined;
}

/** Credited creators of these addresses' paid lines, by email. */
async function creatorsByEmail(db: DbOrTx, emails: readonly string[]): Promise<Map<string, CreatorRef[]>> {
  const out = new Map<string, CreatorRef[]>();
  if (emails.length === 0) return out;
  const rows = await db
    .selectDistinct({ email: orders.email, id: creators.id, handle: creators.handle, displayName: creators.displayName })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .innerJoin(creators, eq(creators.id, orderLines.creditedCreatorId))
    .where(and(inArray(orders.email, [...emails]), isNotNull(orders.paidAt)))
    .orderBy(asc(creators.displayName), asc(creators.id));
  for (const r of rows) {
    const list = out.get(r.email) ?? [];
    list.push({ id: r.id, handle: r.handle, displayName: r.displayName });
    out.set(r.email, list);
  }
  return out;
}

export async function listCustomers(db: DbOrTx, query: CustomerQuery): Promise<CustomerPage> {
  const where = and(isNotNull(orders.paidAt), searchCond(query.q));
  const order = {
    last: [desc(lastAt), asc(orders.email)],
    orders: [desc(sql`count(*)`), desc(lastAt), asc(orders.email)],
    spent: [desc(spent), desc(lastAt), asc(orders.email)],
    email: [asc(orders.email)],
  }[query.sort];
  const [countRow, rows] = await Promise.all([
    db.select({ n: sql<number>`count(distinct ${orders.email})` }).from(orders).where(where).get(),
    db
      .select({ email: orders.email, orders: sql<number>`count(*)`, spentCents: spent, lastOrderAt: lastAt, firstOrderAt: sql<number>`min(${orders.paidAt})` })
      .from(orders)
      .where(where)
      .groupBy(orders.email)
      .orderBy(...order)
      .limit(CUSTOMERS_PAGE_SIZE)
      .offset((query.page - 1) * CUSTOMERS_PAGE_SIZE),
  ]);
  const total = num(countRow?.n);
  const byEmail = await creatorsByEmail(
    db,
    rows.map((r) => r.email),
  );
  return {
    query,
    total,
    pages: Math.max(1, Math.ceil(total / CUSTOMERS_PAGE_SIZE)),
    rows: rows.map((r) => ({
      email: r.email,
      orders: num(r.orders),
      spentCents: num(r.spentCents),
      lastOrderAt: num(r.lastOrderAt),
      firstOrderAt: num(r.firstOrderAt),
      creators: byEmail.get(r.email) ?? [],
    })),
  };
}

export interface CustomerOrderRow {
  number: string;
  status: OrderStatus;
  fulfilmentStatus: FulfilmentStatus;
  createdAt: number;
  paidAt: number | null;
  items: number;
  totalCents: number;
  refundedCents: number;
  /** Display names of the creators credited on this order's lines. */
  creators: string[];
}

export interface CustomerDetail extends CustomerRow {
  /** Name on the latest order's shipping address (what the buyer typed). */
  name: string;
  /** Every order placed with this address, newest first — unpaid ones too, marked by status. */
  orderList: CustomerOrderRow[];
}

/** The customer behind a (normalised) address, or null when it has no paid order. */
export async function getCustomer(db: DbOrTx, email: string): Promise<CustomerDetail | null> {
  const e = normaliseEmail(email);
  const [summary, list, lineRows] = await Promise.all([
    db
      .select({ orders: sql<number>`count(*)`, spentCents: spent, lastOrderAt: lastAt, firstOrderAt: sql<number>`min(${orders.paidAt})` })
      .from(orders)
      .where(and(eq(orders.email, e), isNotNull(orders.paidAt)))
      .get(),
    db
      .select({
        id: orders.id,
        number: orders.number,
        status: orders.status,
        fulfilmentStatus: orders.fulfilmentStatus,
        createdAt: orders.createdAt,
        paidAt: orders.paidAt,
        totalCents: orders.totalCents,
        refundedCents: orders.refundedCents,
        shipName: orders.shipName,
      })
      .from(orders)
      .where(eq(orders.email, e))
      .orderBy(desc(orders.createdAt), desc(orders.id)),
    db
      .select({ orderId: orderLines.orderId, qty: orderLines.qty, creator: creators.displayName })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .leftJoin(creators, eq(creators.id, orderLines.creditedCreatorId))
      .where(eq(orders.email, e)),
  ]);
  if (!summary || num(summary.orders) === 0) return null;
  const items = new Map<number, number>();
  const credited = new Map<number, Set<string>>();
  for (const l of lineRows) {
    items.set(l.orderId, (items.get(l.orderId) ?? 0) + l.qty);
    if (l.creator) {
      const s = credited.get(l.orderId) ?? new Set<string>();
      s.add(l.creator);
      credited.set(l.orderId, s);
    }
  }
  const byEmail = await creatorsByEmail(db, [e]);
  return {
    email: e,
    name: list[0]?.shipName ?? '',
    orders: num(summary.orders),
    spentCents: num(summary.spentCents),
    lastOrderAt: num(summary.lastOrderAt),
    firstOrderAt: num(summary.firstOrderAt),
    creators: byEmail.get(e) ?? [],
    orderList: list.map((o) => ({
      number: o.number,
      status: o.status,
      fulfilmentStatus: o.fulfilmentStatus,
      createdAt: o.createdAt,
      paidAt: o.paidAt,
      items: items.get(o.id) ?? 0,
      totalCents: o.totalCents,
      refundedCents: o.refundedCents,
      creators: [...(credited.get(o.id) ?? [])].sort(),
    })),
  };
}
