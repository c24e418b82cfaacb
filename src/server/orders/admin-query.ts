/**
 * The admin's order list query string and the refund form: pure parsing and validation (zod), so a
 * bad value becomes a message next to the filter instead of a 500 (docs/architecture.md, rule 6).
 * admin-orders.ts turns an AdminOrderQuery into SQL.
 *
 *   /admin/orders?status=paid&fulfilment=partial&from=2026-03-01&to=2026-03-31&q=lb-7kx4&page=2
 *   /admin/orders?view=to-ship          the "to ship" queue (paid or partly refunded, not fully shipped, oldest first)
 *   /admin/orders/export.csv?…          the same filters, every matching order as CSV
 *
 * `status` is the payment state, `fulfilment` where the parcels are (ADR 0045).
 *
 * Dates are calendar days in UTC (the shop has no time-zone setting yet); `to` includes its whole day.
 */
import { z } from 'zod';
import { parseIsoDay } from '../shared/index.ts';
import { FULFILMENT_STATUSES, ORDER_STATUSES, type FulfilmentStatus, type OrderStatus } from '../../../db/schema/commerce.ts';

export const ADMIN_ORDERS_PAGE_SIZE = 50;
export const ADMIN_ORDERS_PATH = '/admin/orders';
const DAY_MS = 86_400_000;
const Q_MAX = 100;


const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31')
  .refine((s) => parseIsoDay(s) !== null, 'is not a real calendar date');

const schema = z
  .object({
    status: z.enum(ORDER_STATUSES, { error: `must be one of: ${ORDER_STATUSES.join(', ')}` }).optional(),
    fulfilment: z.enum(FULFILMENT_STATUSES, { error: `must be one of: ${FULFILMENT_STATUSES.join(', ')}` }).optional(),
    view: z.enum(['to-ship'], { error: 'must be “to-ship” or left out' }).optional(),
    from: day.optional(),
    to: day.optional(),
    q: z
      .string()
      .max(Q_MAX, `must be at most ${Q_MAX} characters`)
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'contains characters that cannot be searched')
      .optional(),
    page: z
      .string()
      .regex(/^\d{1,5}$/, 'must be a page number')
      .transform(Number)
      .refine((n) => n >= 1, 'must be 1 or more')
      .default(1),
  })
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, { message: 'must not be after the “to” date', path: ['from'] });

export interface AdminOrderQuery {
  status?: OrderStatus;
  fulfilment?: FulfilmentStatus;
  /** The "to ship" queue. */
  toShip?: boolean;
  /** As typed (YYYY-MM-DD), for the form and links. */
  from?: string;
  to?: string;
  /** Created at ≥ this (ms, UTC midnight of `from`). */
  fromMs?: number;
  /** Created at < this (ms, UTC midnight of the day after `to`). */
  toMs?: number;
  /** Trimmed search text: matched against the order number (dashes and case ignored) and the email. */
  q?: string;
  page: number;
}

export type FieldError = { field: string; message: string };
export type ParsedAdminOrderQuery = { ok: true; query: AdminOrderQuery } | { ok: false; errors: FieldError[] };

const LABELS: Record<string, string> = { status: 'Payment', fulfilment: 'Fulfilment', view: 'View', from: 'From date', to: 'To date', q: 'Search', page: 'Page' };

/**
 * @example parseAdminOrderQuery(new URLSearchParams('status=paid&from=2026-03-01'))
 *   // { ok: true, query: { status: 'paid', from: '2026-03-01', fromMs: 1772323200000, page: 1 } }
 */
export function parseAdminOrderQuery(params: URLSearchParams): ParsedAdminOrderQuery {
  const raw: Record<string, string> = {};
  for (const key of ['status', 'fulfilment', 'view', 'from', 'to', 'q', 'page']) {
    const v = params.get(key)?.trim();
    if (v) raw[key] = v;
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
  const v = parsed.data;
  const query: AdminOrderQuery = { page: v.page };
  if (v.status) query.status = v.status;
  if (v.fulfilment) query.fulfilment = v.fulfilment;
  if (v.view === 'to-ship') query.toShip = true;
  if (v.from) {
    query.from = v.from;
    query.fromMs = parseIsoDay(v.from)!;
  }
  if (v.to) {
    query.to = v.to;
    query.toMs = parseIsoDay(v.to)! + DAY_MS;
  }
  if (v.q) query.q = v.q;
  return { ok: true, query };
}

/**
 * What to look for in the order number: the search text upper-cased with spaces and dashes
 * removed ("lb-7kx4 m2qd" → "LB7KX4M2QD"), or null when it cannot be part of an order number.
 */
export function compactOrderNumberSearch(q: string): string | null {
  const compact = q.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-Z0-9]{2,12}$/.test(compact) ? compact : null;
}

/** The list URL for a query (for pagination links and "clear filters"). */
export function adminOrdersHref(q: Partial<AdminOrderQuery>, path: string = ADMIN_ORDERS_PATH): string {
  const qs = new URLSearchParams();
  if (q.toShip) qs.set('view', 'to-ship');
  if (q.status) qs.set('status', q.status);
  if (q.fulfilment) qs.set('fulfilment', q.fulfilment);
  if (q.from) qs.set('from', q.from);
  if (q.to) qs.set('to', q.to);
  if (q.q) qs.set('q', q.q);
  if (q.page && q.page > 1) qs.set('page', String(q.page));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The CSV of every order matching the list's filters (no page). */
export function adminOrdersCsvHref(q: Partial<AdminOrderQuery>): string {
  return adminOrdersHref({ ...q, page: 1 }, `${ADMIN_ORDERS_PATH}/export.csv`);
}

/** The printable packing slip of one order. */
export function packingSlipHref(number: string): string {
  return `${ADMIN_ORDERS_PATH}/${encodeURIComponent(number)}/packing-slip`;
}

/** The detail page of one order. */
export function adminOrderHref(number: string, query?: Record<string, string>): string {
  const base = `${ADMIN_ORDERS_PATH}/${encodeURIComponent(number)}`;
  const s = new URLSearchParams(query).toString();
  return s ? `${base}?${s}` : base;
}

// ---------------------------------------------------------------------------------------------
// Refund form: either everything left, or a quantity per line (`qty-<lineId>`), plus "restock".

export type RefundRequest = 'all' | { lineId: number; qty: number }[];
export type ParsedRefundForm = { ok: true; request: RefundRequest; restock: boolean } | { ok: false; errors: FieldError[] };

const qtyField = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/, 'must be a whole number of items (0 or more)')
  .transform(Number);

/**
 * Reads the refund form. `mode=all` refunds everything still refundable; otherwise each `qty-<id>`
 * field is a number of units of that line (0 or empty: none). Lines not on the order are rejected
 * here; whether the quantities fit is planRefund's job (refund.ts).
 */
export function parseRefundForm(form: { get(name: string): unknown; has(name: string): boolean }, lineIds: readonly number[]): ParsedRefundForm {
  const restock = form.has('restock');
  if (form.get('mode') === 'all') return { ok: true, request: 'all', restock };
  const errors: FieldError[] = [];
  const request: { lineId: number; qty: number }[] = [];
  for (const id of lineIds) {
    const raw = form.get(`qty-${id}`);
    if (raw === null || raw === undefined || raw === '') continue;
    const r = qtyField.safeParse(typeof raw === 'string' ? raw : '?');
    if (!r.success) {
      errors.push({ field: `qty-${id}`, message: `Quantity ${r.error.issues[0]?.message ?? 'is not valid'}` });
      continue;
    }
    if (r.data > 0) request.push({ lineId: id, qty: r.data });
  }
  if (errors.length) return { ok: false, errors };
  if (request.length === 0) return { ok: false, errors: [{ field: 'form', message: 'Choose at least one item to refund (a quantity above 0), or refund everything.' }] };
  return { ok: true, request, restock };
}

/** Back to form fields, for the hidden inputs of the confirmation step. */
export function refundFormFields(request: RefundRequest, restock: boolean): [string, string][] {
  const out: [string, string][] = [];
  if (request === 'all') out.push(['mode', 'all']);
  else for (const l of request) out.push([`qty-${l.lineId}`, String(l.qty)]);
  if (restock) out.push(['restock', '1']);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ship form: a quantity per line (`ship-<lineId>`) for the parcel, plus carrier and tracking.

export type ParsedShipForm = { ok: true; lines: { lineId: number; qty: number }[] } | { ok: false; errors: FieldError[] };

/**
 * Reads the parcel's quantities. Lines not on the order are ignored here; whether the quantities
 * fit what is left to ship is planShipment's job (fulfilment.ts).
 */
export function parseShipForm(form: { get(name: string): unknown }, lineIds: readonly number[]): ParsedShipForm {
  const errors: FieldError[] = [];
  const lines: { lineId: number; qty: number }[] = [];
  for (const id of lineIds) {
    const raw = form.get(`ship-${id}`);
    if (raw === null || raw === undefined || raw === '') continue;
    const r = qtyField.safeParse(typeof raw === 'string' ? raw : '?');
    if (!r.success) {
      errors.push({ field: `ship-${id}`, message: `Quantity ${r.error.issues[0]?.message ?? 'is not valid'}` });
      continue;
    }
    if (r.data > 0) lines.push({ lineId: id, qty: r.data });
  }
  if (errors.length) return { ok: false, errors };
  if (lines.length === 0) return { ok: false, errors: [{ field: 'form', message: 'Choose at least one item to put in this parcel (a quantity above 0).' }] };
  return { ok: true, lines };
}
