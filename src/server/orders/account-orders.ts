/**
 * A reader's orders for their account page: the orders placed while signed in, and — once the
 * account's email is verified (a one-time link used) — the guest orders placed with that same
 * address. An unverified account sees only what it placed itself, so typing someone's email at
 * checkout never shows their orders to anyone (docs/decisions/0050-reader-accounts.md).
 */
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { orderLines, orders } from '../../../db/schema/index.ts';
import { normaliseEmail } from '../shared/index.ts';
import { FULFILMENT_LABEL } from './fulfilment.ts';
import { orderPath, orderToken } from './order-links.ts';
import { STATUS_LABEL } from './state.ts';

export interface AccountOrder {
  number: string;
  placedAt: number;
  totalCents: number;
  currency: string;
  /** Payment and parcels in words ("Paid · Shipped"). */
  statusText: string;
  /** "2 × Organic Cotton Tee, 1 × Linen Shirt". */
  items: string;
  /** The signed link to the order's page. */
  href: string;
}

export async function ordersForAccount(
  db: DbOrTx,
  { userId, email, verified, linkSecret, now = Date.now(), limit = 50 }: { userId: number; email: string; verified: boolean; linkSecret: string; now?: number; limit?: number },
): Promise<AccountOrder[]> {
  const mine = verified ? or(eq(orders.buyerUserId, userId), eq(orders.email, normaliseEmail(email))) : eq(orders.buyerUserId, userId);
  // Abandoned attempts (canceled, replaced, or a hold that lapsed) are not orders to the buyer.
  const rows = await db
    .select()
    .from(orders)
    .where(and(mine, inArray(orders.status, ['pending', 'paid', 'partially_refunded', 'refunded'])))
    .orderBy(desc(orders.createdAt))
    .limit(limit);
  const shown = rows.filter((o) => o.status !== 'pending' || (o.supersededByOrderId === null && o.reservationExpiresAt > now));
  if (shown.length === 0) return [];
  const lines = await db
    .select({ orderId: orderLines.orderId, qty: orderLines.qty, title: orderLines.title })
    .from(orderLines)
    .where(inArray(orderLines.orderId, shown.map((o) => o.id)))
    .orderBy(orderLines.id);
  return shown.map((o) => ({
    number: o.number,
    placedAt: o.createdAt,
    totalCents: o.totalCents,
    currency: o.currency,
    statusText: o.status === 'paid' || o.status === 'partially_refunded' ? `${STATUS_LABEL[o.status]} · ${FULFILMENT_LABEL[o.fulfilmentStatus]}` : STATUS_LABEL[o.status],
    items: lines.filter((l) => l.orderId === o.id).map((l) => `${l.qty} × ${l.title}`).join(', '),
    href: orderPath(o.number, orderToken(linkSecret, o.number)),
  }));
}
