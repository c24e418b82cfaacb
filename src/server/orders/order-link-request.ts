/**
 * "Find my order": someone who lost the email types the order's email and number and gets a fresh
 * signed link by email (through the outbox, ADR 0005) — never on the page, so knowing a number is
 * not enough to read an order.
 *
 * - Always the same answer (`requestOrderLink` returns nothing a page could tell apart): whether
 *   the order exists and whether the email matches stay unknown to the asker (no enumeration).
 * - Throttled twice: per address (ORDER_LINK_IP_POLICY, in the shared `login_throttles` table
 *   under an `order-link:` key, so every instance sees it), and per order (at most
 *   ORDER_LINK_PER_ORDER_PER_HOUR links an hour, counted from the outbox), so the form cannot be
 *   used to flood a buyer's mailbox. Past the per-address limit the page says to wait.
 */
import { and, count, eq, gte } from 'drizzle-orm';
import type { Db } from '../db.ts';
import { orders, outboxEmails } from '../../../db/schema/index.ts';
import { countRequest, normaliseIp, type ThrottlePolicy } from '../auth/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { EMAIL_KINDS, orderLinkEmail } from '../mail/index.ts';
import { normaliseEmail } from '../shared/index.ts';
import { normaliseOrderNumber } from './order-number.ts';
import { orderPath, orderToken } from './order-links.ts';

const MINUTE = 60_000;
/** One address: 10 requests per 15 minutes free, then a growing wait (1 s doubling to 15 min). */
export const ORDER_LINK_IP_POLICY: ThrottlePolicy = { freeAttempts: 10, windowMs: 15 * MINUTE, baseDelayMs: 1000, maxDelayMs: 15 * MINUTE };
export const ORDER_LINK_PER_ORDER_PER_HOUR = 3;

export type OrderLinkForm = { ok: true; email: string; number: string } | { ok: false; errors: { email?: string; number?: string } };

/** Validates the form in people's words; the number is accepted as typed ("lb 7kx4 m2qd"). */
export function parseOrderLinkForm(fields: { email?: unknown; number?: unknown }): OrderLinkForm {
  const errors: { email?: string; number?: string } = {};
  const email = typeof fields.email === 'string' ? normaliseEmail(fields.email) : '';
  const number = typeof fields.number === 'string' ? normaliseOrderNumber(fields.number.slice(0, 40)) : null;
  if (!email) errors.email = 'Enter the email address you ordered with.';
  else if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter an email address like name@example.com.';
  if (typeof fields.number !== 'string' || fields.number.trim() === '') errors.number = 'Enter your order number (it looks like LB-7KX4-M2QD).';
  else if (!number) errors.number = 'That is not an order number. It looks like LB-7KX4-M2QD and is in your confirmation email.';
  if (errors.email || errors.number || !number) return { ok: false, errors };
  return { ok: true, email, number };
}

export interface OrderLinkContext {
  shopName: string;
  siteUrl: string;
  linkSecret: string;
}

export type OrderLinkResult = { ok: true } | { ok: false; retryAfterMs: number };


/**
 * Emails a fresh order link when the email and number belong to one order; otherwise does nothing.
 * Either way answers `{ ok: true }` (refused only by the per-address throttle).
 */
export async function requestOrderLink(
  db: Db,
  { email, number, ip, ctx, now = Date.now() }: { email: string; number: string; ip: string | null; ctx: OrderLinkContext; now?: number },
): Promise<OrderLinkResult> {
  if (ip) {
    const t = await countRequest(db, `order-link:ip:${normaliseIp(ip)}`, ORDER_LINK_IP_POLICY, now);
    if (!t.allowed) return { ok: false, retryAfterMs: t.retryAfterMs };
  }
  await db.transaction(async (tx) => {
    const order = await tx.select({ id: orders.id, number: orders.number, email: orders.email }).from(orders).where(eq(orders.number, number)).get();
    if (!order || normaliseEmail(order.email) !== normaliseEmail(email)) return;
    const sent = await tx
      .select({ n: count() })
      .from(outboxEmails)
      .where(and(eq(outboxEmails.orderId, order.id), eq(outboxEmails.kind, EMAIL_KINDS.orderLink), gte(outboxEmails.createdAt, now - 60 * MINUTE)))
      .get();
    if ((sent?.n ?? 0) >= ORDER_LINK_PER_ORDER_PER_HOUR) return;
    const orderUrl = new URL(orderPath(order.number, orderToken(ctx.linkSecret, order.number)), ctx.siteUrl).href;
    const mail = orderLinkEmail({ shopName: ctx.shopName, number: order.number, email: order.email, orderUrl });
    await enqueueEmail(tx, { to: order.email, ...mail, kind: EMAIL_KINDS.orderLink, orderId: order.id }, now);
  });
  return { ok: true };
}
