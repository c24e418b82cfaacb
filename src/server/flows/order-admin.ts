/**
 * Workflows of the shop admin's order page: ship a parcel (some or all lines), mark a parcel
 * delivered or returned, add an internal note, cancel, preview and make a refund, and the CSV of
 * the filtered list. Each composes the orders capability with what must follow in the same
 * transaction (commission reversal, the buyer's email) and delivers the mail after it commits.
 */
import {
  addOrderNote,
  cancelOrder,
  listOrders,
  markDelivered,
  markReturned,
  markShipped,
  parseShipForm,
  previewRefund,
  refundOrderAsAdmin,
  FULFILMENT_LABEL,
  STATUS_LABEL,
  type AdminOrderQuery,
  type CancelResult,
  type NoteResult,
  type ParcelResult,
  type RefundPreview,
  type RefundRequest,
  type ShipmentRequest,
  type ShipResult,
  type AdminRefundResult,
  parseRefundForm,
  refundFormFields,
} from '../orders/index.ts';
import { decimal, toCsv, type CsvValue } from '../commissions/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { deliverMailSoon, emailContext, type App } from './app.ts';
import { refundEffects } from './effects.ts';

export interface AdminActor {
  orderId: number;
  /** Recorded in the order's history, e.g. "admin:ana@shop.example". */
  actor: string;
  now?: number;
}

export async function shipOrder(
  app: App,
  { orderId, actor, now = Date.now(), carrier, trackingNumber, lines }: AdminActor & { carrier: unknown; trackingNumber: unknown; lines: ShipmentRequest },
): Promise<ShipResult> {
  const r = await markShipped(app.db, { orderId, actor, now, carrier, trackingNumber, lines, emailCtx: await emailContext(app), timeZone: app.config.shop.timeZone });
  if (r.ok) deliverMailSoon(app);
  return r;
}

export function markParcelDelivered(app: App, { orderId, shipmentId, actor, now = Date.now() }: AdminActor & { shipmentId: number }): Promise<ParcelResult> {
  return markDelivered(app.db, { orderId, shipmentId, actor, now });
}

export function markParcelReturned(app: App, { orderId, shipmentId, actor, now = Date.now() }: AdminActor & { shipmentId: number }): Promise<ParcelResult> {
  return markReturned(app.db, { orderId, shipmentId, actor, now });
}

export function addNoteToOrder(app: App, { orderId, actor, now = Date.now(), body }: AdminActor & { body: unknown }): Promise<NoteResult> {
  return addOrderNote(app.db, { orderId, body, actor, now });
}

export async function cancelOrderByShop(app: App, { orderId, actor, now = Date.now() }: AdminActor): Promise<CancelResult> {
  const r = await cancelOrder(app.db, app.provider, { orderId, actor, now, hooks: await refundEffects(app, now) });
  if (r.ok) deliverMailSoon(app);
  return r;
}

export function previewOrderRefund(app: App, input: { orderId: number; request: RefundRequest; restock: boolean }): Promise<RefundPreview> {
  return previewRefund(app.db, input);
}

export async function refundOrderByShop(
  app: App,
  { orderId, actor, now = Date.now(), request, restock }: AdminActor & { request: RefundRequest; restock: boolean },
): Promise<AdminRefundResult> {
  const r = await refundOrderAsAdmin(app.db, app.provider, { orderId, request, restock, actor, now, hooks: await refundEffects(app, now) });
  if (r.ok) deliverMailSoon(app);
  return r;
}

/** What the admin order page shows after a posted action. */
export type AdminOrderActionOutcome =
  /** Done: redirect back with this flash (POST-redirect-GET). */
  | { kind: 'done'; done: 'shipped' | 'shipped-partly' | 'delivered' | 'returned' | 'noted' | 'canceled' | 'canceled-refunded' | 'refunded' }
  /** A refund to confirm: the exact amount, and the form fields to post again. */
  | { kind: 'confirm'; preview: Extract<RefundPreview, { ok: true }>; fields: [string, string][] }
  /** Refused: nothing was written. `refundOpen` keeps the refund form open; `shipForm` refills the ship form. */
  | { kind: 'refused'; refusal: Refusal; refundOpen: boolean; shipForm?: { carrier: string; trackingNumber: string; qty: Record<string, string> }; noteForm?: string };

/**
 * One posted form on the admin order page → the workflow it names:
 *   action=ship (carrier, trackingNumber, ship-<lineId> quantities) · deliver / return (shipment) ·
 *   note (note) · cancel · refund-preview · refund (mode=all or qty-<lineId>, restock).
 */
export async function runAdminOrderAction(
  app: App,
  { orderId, lineIds, actor, form }: { orderId: number; lineIds: readonly number[]; actor: string; form: FormLike | null },
): Promise<AdminOrderActionOutcome> {
  const action = form?.get('action');
  const refused = (refusal: Refusal, refundOpen = false): AdminOrderActionOutcome => ({ kind: 'refused', refusal, refundOpen });
  if (!form) return refused(refuse('invalid', 'The form could not be read. Reload the page and try again.'));
  const refundRequest = () => {
    const r = parseRefundForm(form, lineIds);
    if (r.ok) return r;
    const fieldErrors = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    return refuse('invalid', r.errors.map((e) => e.message).join(' '), fieldErrors);
  };
  switch (action) {
    case 'ship': {
      const text = (name: string) => String(form.get(name) ?? '').slice(0, 200);
      const shipForm = { carrier: text('carrier'), trackingNumber: text('trackingNumber'), qty: Object.fromEntries(lineIds.map((id) => [`ship-${id}`, text(`ship-${id}`).slice(0, 5)])) };
      const parsed = parseShipForm(form, lineIds);
      if (!parsed.ok) {
        const fieldErrors = Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
        return { kind: 'refused', refusal: refuse('invalid', parsed.errors.map((e) => e.message).join(' '), fieldErrors), refundOpen: false, shipForm };
      }
      const r = await shipOrder(app, { orderId, actor, carrier: form.get('carrier') ?? undefined, trackingNumber: form.get('trackingNumber') ?? undefined, lines: parsed.lines });
      if (r.ok) return { kind: 'done', done: r.fulfilmentStatus === 'partial' ? 'shipped-partly' : 'shipped' };
      return { kind: 'refused', refusal: r, refundOpen: false, shipForm };
    }
    case 'deliver':
    case 'return': {
      const raw = String(form.get('shipment') ?? '');
      if (!/^\d{1,12}$/.test(raw)) return refused(refuse('invalid', 'The parcel could not be read. Reload the page and try again.'));
      const input = { orderId, actor, shipmentId: Number(raw) };
      const r = action === 'deliver' ? await markParcelDelivered(app, input) : await markParcelReturned(app, input);
      return r.ok ? { kind: 'done', done: action === 'deliver' ? 'delivered' : 'returned' } : refused(r);
    }
    case 'note': {
      const r = await addNoteToOrder(app, { orderId, actor, body: form.get('note') ?? undefined });
      return r.ok ? { kind: 'done', done: 'noted' } : { kind: 'refused', refusal: r, refundOpen: false, noteForm: String(form.get('note') ?? '').slice(0, 2000) };
    }
    case 'cancel': {
      const r = await cancelOrderByShop(app, { orderId, actor });
      return r.ok ? { kind: 'done', done: r.refundedCents > 0 ? 'canceled-refunded' : 'canceled' } : refused(r);
    }
    case 'refund-preview': {
      const req = refundRequest();
      if (!req.ok) return refused(req, true);
      const p = await previewOrderRefund(app, { orderId, request: req.request, restock: req.restock });
      return p.ok ? { kind: 'confirm', preview: p, fields: refundFormFields(req.request, req.restock) } : refused(p, true);
    }
    case 'refund': {
      const req = refundRequest();
      if (!req.ok) return refused(req, true);
      const r = await refundOrderByShop(app, { orderId, actor, request: req.request, restock: req.restock });
      return r.ok ? { kind: 'done', done: 'refunded' } : refused(r, true);
    }
    default:
      return refused(refuse('invalid', 'Unknown action. Reload the page and try again.'));
  }
}

type FormLike = { get(name: string): FormDataEntryValue | null; has(name: string): boolean };

/** The minor-unit digits of a currency (2 for USD, 0 for JPY). */
function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export const ORDERS_CSV_HEADER = ['Order', 'Placed (UTC)', 'Paid (UTC)', 'Email', 'Payment', 'Fulfilment', 'Items', 'Currency', 'Total', 'Refunded', 'Kept'] as const;

/**
 * Every order matching the list's filters (no page limit, in pages of 500), as CSV: money in shop
 * units (129.00, never cents), states in words, times in UTC.
 */
export async function exportOrdersCsv(app: App, query: Omit<AdminOrderQuery, 'page'>): Promise<string> {
  const rows: CsvValue[][] = [];
  const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));
  for (let page = 1; ; page++) {
    const r = await listOrders(app.db, { ...query, page, pageSize: 500 });
    for (const o of r.rows) {
      const d = currencyDigits(o.currency);
      rows.push([o.number, iso(o.createdAt), iso(o.paidAt), o.email, STATUS_LABEL[o.status], FULFILMENT_LABEL[o.fulfilmentStatus], o.itemCount, o.currency, decimal(o.totalCents, d), decimal(o.refundedCents, d), decimal(o.totalCents - o.refundedCents, d)]);
    }
    if (page >= r.pageCount) break;
  }
  return toCsv(ORDERS_CSV_HEADER, rows);
}
