/**
 * Emails to creators, put in the outbox inside the transaction that makes the change (ADR 0005):
 * - at payment, one email per creator credited on the order (post, code or link lines; nothing
 *   for unattributed lines or self-referrals, which credit nobody), after `creditOrderLines`;
 * - when a payout is marked paid, one email to its creator.
 * Both are idempotent: a second call for the same order or payout finds its email already queued.
 */
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { commissionEntries, creators, orderLines, orders, outboxEmails, payoutItems, payouts, users } from '../../../db/schema/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { EMAIL_KINDS, creatorPayoutEmail, creatorSaleEmail } from '../mail/index.ts';

export interface CreatorEmailContext {
  shopName: string;
  locale: string;
  /** Public origin, for the dashboard link. */
  siteUrl: string;
}

/** The login email of each creator (the oldest login when there are several). */
async function creatorContacts(tx: DbOrTx, ids: number[]): Promise<Map<number, { name: string; email: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: creators.id, name: creators.displayName, email: users.email })
    .from(creators)
    .innerJoin(users, eq(users.creatorId, creators.id))
    .where(inArray(creators.id, ids))
    .orderBy(asc(users.id));
  const out = new Map<number, { name: string; email: string }>();
  for (const r of rows) if (!out.has(r.id)) out.set(r.id, { name: r.name, email: r.email });
  return out;
}

async function alreadyQueued(tx: DbOrTx, kind: string, orderId: number | null, to: string, subjectLike?: string): Promise<boolean> {
  const where = and(eq(outboxEmails.kind, kind), eq(outboxEmails.toAddress, to), orderId === null ? undefined : eq(outboxEmails.orderId, orderId));
  const rows = await tx.select({ subject: outboxEmails.subject }).from(outboxEmails).where(where);
  return subjectLike === undefined ? rows.length > 0 : rows.some((r) => r.subject.includes(subjectLike));
}

/**
 * One "new sale" email per creator credited on the paid order. Call right after creditOrderLines,
 * in the same transaction. Returns the creators emailed.
 */
export async function enqueueCreatorSaleEmails(tx: DbOrTx, orderId: number, ctx: CreatorEmailContext, now = Date.now()): Promise<number[]> {
  const order = await tx.select({ number: orders.number, currency: orders.currency }).from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return [];
  const lines = await tx
    .select({
      id: orderLines.id,
      creatorId: orderLines.creditedCreatorId,
      title: orderLines.title,
      variantLabel: orderLines.variantLabel,
      qty: orderLines.qty,
      source: orderLines.attributionSource,
      ref: orderLines.attributionRef,
    })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), isNotNull(orderLines.creditedCreatorId)))
    .orderBy(asc(orderLines.id));
  const credited = lines.filter((l): l is typeof l & { creatorId: number; source: 'post' | 'code' | 'link' } => l.creatorId !== null && (l.source === 'post' || l.source === 'code' || l.source === 'link'));
  const byCreator = new Map<number, typeof credited>();
  for (const l of credited) byCreator.set(l.creatorId, [...(byCreator.get(l.creatorId) ?? []), l]);
  const contacts = await creatorContacts(tx, [...byCreator.keys()]);
  const sent: number[] = [];
  for (const [creatorId, mine] of byCreator) {
    const who = contacts.get(creatorId);
    if (!who) continue; // a creator without a login has nobody to write to
    if (await alreadyQueued(tx, EMAIL_KINDS.creatorSale, orderId, who.email)) continue;
    const entries = await tx
      .select({ amount: commissionEntries.amountCents, availableAt: commissionEntries.availableAt })
      .from(commissionEntries)
      .where(and(eq(commissionEntries.orderId, orderId), eq(commissionEntries.creatorId, creatorId), eq(commissionEntries.kind, 'sale')));
    const commissionCents = entries.reduce((s, e) => s + e.amount, 0);
    const approvedAt = Math.max(now, ...entries.map((e) => e.availableAt));
    const mail = creatorSaleEmail({
      shopName: ctx.shopName,
      creatorName: who.name,
      to: who.email,
      orderNumber: order.number,
      currency: order.currency,
      locale: ctx.locale,
      lines: mine.map((l) => ({ title: l.title, variantLabel: l.variantLabel, qty: l.qty, source: l.source, code: l.source === 'code' ? l.ref : null })),
      commissionCents,
      approvedAt,
      dashboardUrl: new URL('/dashboard', ctx.siteUrl).href,
    });
    await enqueueEmail(tx, { to: who.email, ...mail, kind: EMAIL_KINDS.creatorSale, orderId }, now);
    sent.push(creatorId);
  }
  return sent;
}

/** The "payout sent" email for a payout just marked paid; call in the same transaction. */
export async function enqueuePayoutPaidEmail(tx: DbOrTx, payoutId: number, ctx: CreatorEmailContext & { currency: string }, now = Date.now()): Promise<boolean> {
  const p = await tx.select().from(payouts).where(eq(payouts.id, payoutId)).get();
  if (!p || p.status !== 'paid') return false;
  const who = (await creatorContacts(tx, [p.creatorId])).get(p.creatorId);
  if (!who) return false;
  const marker = `#${p.id}`;
  if (await alreadyQueued(tx, EMAIL_KINDS.creatorPayout, null, who.email, marker)) return false;
  const entries = await tx.select({ id: payoutItems.entryId }).from(payoutItems).where(eq(payoutItems.payoutId, payoutId));
  const mail = creatorPayoutEmail({
    shopName: ctx.shopName,
    creatorName: who.name,
    to: who.email,
    currency: ctx.currency,
    locale: ctx.locale,
    amountCents: p.amountCents,
    reference: p.reference ?? '',
    entries: entries.length,
    dashboardUrl: new URL('/dashboard#earnings', ctx.siteUrl).href,
  });
  // The payout's number in the subject keeps one email per payout (see alreadyQueued above).
  await enqueueEmail(tx, { to: who.email, ...mail, subject: `${mail.subject} (payout ${marker})`, kind: EMAIL_KINDS.creatorPayout }, now);
  return true;
}
