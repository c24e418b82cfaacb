/**
 * The commission ledger's writes (docs/architecture.md, rules 4 and 5): crediting an order's lines at
 * payment, and reversing on refund or dispute. Both run inside the transaction that changes the
 * order (fulfil / refund), and both are idempotent: a line is decided once (attribution_source is
 * set only where it is null), a sale entry exists at most once per line (unique index), and
 * reversals top up to a target computed from the refunded amount, so running twice adds nothing.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import {
  categoryCommissionRates,
  commissionEntries,
  creators,
  orderLines,
  orders,
  products,
  users,
  variants,
} from '../../../db/schema/index.ts';
import { decideLine, type CreatorRef } from '../attribution/index.ts';
import { canonicalEmail, toDecimalString } from '../shared/index.ts';
import { approvalAt, commissionFor, effectiveRateBps, lineNet, overrideApplies, overrideFor, reversalTarget } from './commission.ts';

export interface CreditSettings {
  defaultRateBps: number;
  lockDays: number;
  attributionWindowMs: number;
  /** How long a saved item keeps its credit (SAVED_CREDIT_DAYS, ADR 0053); 90 days when not given. */
  savedWindowMs?: number;
}

async function creatorRefs(tx: DbOrTx, ids: number[]) {
  const unique = [...new Set(ids)];
  const out = new Map<number, CreatorRef & { rateBps: number | null; invitedBy: number | null; joinedAt: number }>();
  if (unique.length === 0) return out;
  const rows = await tx
    .select({
      id: creators.id,
      handle: creators.handle,
      rate: creators.commissionRateBps,
      invitedBy: creators.invitedByCreatorId,
      joinedAt: creators.createdAt,
      email: users.email,
    })
    .from(creators)
    .leftJoin(users, eq(users.creatorId, creators.id))
    .where(inArray(creators.id, unique));
  for (const r of rows) {
    const c = out.get(r.id) ?? { id: r.id, handle: r.handle, emails: [], rateBps: r.rate, invitedBy: r.invitedBy, joinedAt: r.joinedAt };
    if (r.email) (c.emails as string[]).push(r.email.toLowerCase());
    out.set(r.id, c);
  }
  return out;
}

/**
 * Decides attribution for every line of a just-paid order and writes the sale (and override)
 * entries. Returns the decisions for logging/tests.
 */
export async function creditOrderLines(tx: DbOrTx, orderId: number, settings: CreditSettings, now: number) {
  const order = await tx.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) throw new Error(`creditOrderLines: order ${orderId} not found`);
  const lines = await tx
    .select({
      id: orderLines.id,
      sourcePost: orderLines.sourcePost,
      sourceCreatorId: orderLines.sourceCreatorId,
      sourceBoardId: orderLines.sourceBoardId,
      sourceSavedAt: orderLines.sourceSavedAt,
      channel: orderLines.channel,
      subtotalCents: orderLines.subtotalCents,
      discountCents: orderLines.discountCents,
      decided: orderLines.attributionSource,
      categoryRate: categoryCommissionRates.rateBps,
    })
    .from(orderLines)
    .innerJoin(variants, eq(variants.id, orderLines.variantId))
    .innerJoin(products, eq(products.id, variants.productId))
    .leftJoin(categoryCommissionRates, eq(categoryCommissionRates.categoryId, products.categoryId))
    .where(eq(orderLines.orderId, orderId))
    .orderBy(orderLines.id);
  const ids = [
    ...lines.map((l) => l.sourceCreatorId).filter((x): x is number => x !== null),
    ...(order.codeCreatorId !== null ? [order.codeCreatorId] : []),
    ...(order.refCreatorId !== null ? [order.refCreatorId] : []),
  ];
  const refs = await creatorRefs(tx, ids);
  const paidAt = order.paidAt ?? now;
  // A creator signed in at checkout is themselves whatever email they typed (ADR 0012).
  const buyerCreatorId =
    order.buyerUserId !== null ? ((await tx.select({ creatorId: users.creatorId }).from(users).where(eq(users.id, order.buyerUserId)).get())?.creatorId ?? null) : null;
  const orderInput = {
    buyerEmail: order.email,
    buyerCreatorId,
    code: order.codeCreatorId !== null && order.couponCode && refs.get(order.codeCreatorId) ? { code: order.couponCode, creator: refs.get(order.codeCreatorId)! } : null,
    click:
      order.refClickId && order.refCreatorId !== null && order.refClickedAt !== null && refs.get(order.refCreatorId)
        ? { id: order.refClickId, creator: refs.get(order.refCreatorId)!, at: order.refClickedAt }
        : null,
    paidAt,
    windowMs: settings.attributionWindowMs,
    ...(settings.savedWindowMs !== undefined ? { savedWindowMs: settings.savedWindowMs } : {}),
  };
  const decisions = [];
  for (const line of lines) {
    if (line.decided !== null) continue; // decided once, never recomputed
    const d = decideLine(
      { sourcePost: line.sourcePost, sourceCreator: line.sourceCreatorId !== null ? (refs.get(line.sourceCreatorId) ?? null) : null, channel: line.channel, sourceBoardId: line.sourceBoardId, savedAt: line.sourceSavedAt },
      orderInput,
    );
    await tx
      .update(orderLines)
      .set({ creditedCreatorId: d.creatorId, attributionSource: d.source, attributionRef: d.ref, attributionReason: d.reason, paidAt })
      .where(and(eq(orderLines.id, line.id), isNull(orderLines.attributionSource)));
    decisions.push({ lineId: line.id, ...d });
    if (d.creatorId === null) continue;
    const creator = refs.get(d.creatorId)!;
    const base = lineNet(line);
    const rate = effectiveRateBps({ categoryRateBps: line.categoryRate, creatorRateBps: creator.rateBps, defaultRateBps: settings.defaultRateBps });
    const amount = commissionFor(base, rate);
    const availableAt = approvalAt(paidAt, settings.lockDays);
    const sale = await tx
      .insert(commissionEntries)
      .values({
        creatorId: creator.id,
        kind: 'sale',
        amountCents: amount,
        baseCents: base,
        rateBps: rate,
        orderId,
        orderLineId: line.id,
        availableAt,
        createdAt: now,
        note: `${rate / 100}% of ${toDecimalString(base)} (${d.source})`,
      })
      .onConflictDoNothing()
      .returning({ id: commissionEntries.id })
      .get();
    if (!sale || creator.invitedBy === null || !overrideApplies(creator.joinedAt, paidAt)) continue;
    // No override on the inviter's own purchase (self-referral, rule 4).
    const inviter = (await creatorRefs(tx, [creator.invitedBy])).get(creator.invitedBy);
    if (inviter && (inviter.id === buyerCreatorId || inviter.emails.some((e) => canonicalEmail(e) === canonicalEmail(order.email)))) continue;
    const override = overrideFor(amount);
    if (override <= 0) continue;
    await tx
      .insert(commissionEntries)
      .values({
        creatorId: creator.invitedBy,
        kind: 'override',
        amountCents: override,
        baseCents: amount,
        rateBps: 1000,
        orderId,
        orderLineId: line.id,
        sourceEntryId: sale.id,
        availableAt,
        createdAt: now,
        note: `10% override on ${creator.handle}'s commission`,
      })
      .onConflictDoNothing();
  }
  return decisions;
}

/**
 * Tops up reversals so that every sale entry of the order is reversed in proportion to the money
 * refunded on its line (or, for an order-level refund or a dispute, to `orderFraction`).
 * A reversal of a still-pending sale shares its approval date (they net out while pending); a
 * reversal of an approved or paid sale takes effect now and reduces the next payout.
 */
export async function reverseOrderCommissions(
  tx: DbOrTx,
  orderId: number,
  now: number,
  orderFraction?: { refundedCents: number; totalCents: number } | 'all',
): Promise<number> {
  const sales = await tx
    .select({
      id: commissionEntries.id,
      creatorId: commissionEntries.creatorId,
      amount: commissionEntries.amountCents,
      base: commissionEntries.baseCents,
      availableAt: commissionEntries.availableAt,
      lineId: commissionEntries.orderLineId,
      lineRefunded: orderLines.refundedCents,
    })
    .from(commissionEntries)
    .leftJoin(orderLines, eq(orderLines.id, commissionEntries.orderLineId))
    .where(and(eq(commissionEntries.orderId, orderId), eq(commissionEntries.kind, 'sale')));
  let written = 0;
  for (const s of sales) {
    const lineShare = reversalTarget(s.amount, s.base, s.lineRefunded ?? 0);
    const orderShare =
      orderFraction === 'all'
        ? s.amount
        : orderFraction && orderFraction.totalCents > 0
          ? Math.floor((s.amount * Math.min(orderFraction.refundedCents, orderFraction.totalCents)) / orderFraction.totalCents)
          : 0;
    const target = Math.max(lineShare, orderShare);
    written += await topUp(tx, { source: s, kind: 'reversal', creatorId: s.creatorId, target, now, orderId, lineId: s.lineId });
    // The inviter's override follows the sale down in the same proportion.
    const overrides = await tx
      .select({ id: commissionEntries.id, creatorId: commissionEntries.creatorId, amount: commissionEntries.amountCents, availableAt: commissionEntries.availableAt })
      .from(commissionEntries)
      .where(and(eq(commissionEntries.sourceEntryId, s.id), eq(commissionEntries.kind, 'override')));
    for (const o of overrides) {
      const oTarget = s.amount > 0 ? Math.floor((o.amount * target) / s.amount) : o.amount;
      written += await topUp(tx, { source: { ...o, availableAt: o.availableAt }, kind: 'override_reversal', creatorId: o.creatorId, target: oTarget, now, orderId, lineId: s.lineId });
    }
  }
  return written;
}

async function topUp(
  tx: DbOrTx,
  {
    source,
    kind,
    creatorId,
    target,
    now,
    orderId,
    lineId,
  }: { source: { id: number; availableAt: number }; kind: 'reversal' | 'override_reversal'; creatorId: number; target: number; now: number; orderId: number; lineId: number | null },
): Promise<number> {
  const done = await tx
    .select({ sum: sql<number>`coalesce(-sum(${commissionEntries.amountCents}), 0)` })
    .from(commissionEntries)
    .where(and(eq(commissionEntries.sourceEntryId, source.id), eq(commissionEntries.kind, kind)))
    .get();
  const delta = target - Number(done?.sum ?? 0);
  if (delta <= 0) return 0;
  await tx.insert(commissionEntries).values({
    creatorId,
    kind,
    amountCents: -delta,
    baseCents: 0,
    rateBps: 0,
    orderId,
    orderLineId: lineId,
    sourceEntryId: source.id,
    availableAt: Math.max(source.availableAt > now ? source.availableAt : now, 0),
    createdAt: now,
    note: kind === 'reversal' ? 'Refund or dispute: commission reversed' : 'Refund or dispute: override reversed',
  });
  return 1;
}
