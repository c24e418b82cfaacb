/**
 * Workflows of the shop admin's order page: ship, mark delivered, cancel, preview and make a
 * refund. Each composes the orders capability with what must follow in the same transaction
 * (commission reversal, the buyer's email) and delivers the mail after it commits.
 */
import {
  cancelOrder,
  markDelivered,
  markShipped,
  previewRefund,
  refundOrderAsAdmin,
  type CancelResult,
  type DeliverResult,
  type RefundPreview,
  type RefundRequest,
  type ShipResult,
  type AdminRefundResult,
  parseRefundForm,
  refundFormFields,
} from '../orders/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { deliverMailSoon, emailContext, type App } from './app.ts';
import { refundEffects } from './effects.ts';

export interface AdminActor {
  orderId: number;
  /** Recorded in the order's history, e.g. "admin:ana@shop.example". */
  actor: string;
  now?: number;
}

export async function shipOrder(app: App, { orderId, actor, now = Date.now(), carrier, trackingNumber }: AdminActor & { carrier: unknown; trackingNumber: unknown }): Promise<ShipResult> {
  const r = await markShipped(app.db, { orderId, actor, now, carrier, trackingNumber, emailCtx: await emailContext(app) });
  if (r.ok) deliverMailSoon(app);
  return r;
}

export function markOrderDelivered(app: App, { orderId, actor, now = Date.now() }: AdminActor): Promise<DeliverResult> {
  return markDelivered(app.db, { orderId, actor, now });
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
  | { kind: 'done'; done: 'shipped' | 'delivered' | 'canceled' | 'canceled-refunded' | 'refunded' }
  /** A refund to confirm: the exact amount, and the form fields to post again. */
  | { kind: 'confirm'; preview: Extract<RefundPreview, { ok: true }>; fields: [string, string][] }
  /** Refused: nothing was written. `refundOpen` keeps the refund form open; `shipForm` refills the ship form. */
  | { kind: 'refused'; refusal: Refusal; refundOpen: boolean; shipForm?: { carrier: string; trackingNumber: string } };

/**
 * One posted form on the admin order page → the workflow it names:
 *   action=ship (carrier, trackingNumber) · deliver · cancel · refund-preview · refund (mode=all or
 *   qty-<lineId>, restock).
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
      const r = await shipOrder(app, { orderId, actor, carrier: form.get('carrier') ?? undefined, trackingNumber: form.get('trackingNumber') ?? undefined });
      if (r.ok) return { kind: 'done', done: 'shipped' };
      return { kind: 'refused', refusal: r, refundOpen: false, shipForm: { carrier: text('carrier'), trackingNumber: text('trackingNumber') } };
    }
    case 'deliver': {
      const r = await markOrderDelivered(app, { orderId, actor });
      return r.ok ? { kind: 'done', done: 'delivered' } : refused(r);
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
