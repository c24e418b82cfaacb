/**
 * Payouts (docs/architecture.md, rule 5; ADR 0009): paying creators what the ledger says they have
 * earned, without ever changing a ledger row.
 *
 * - A payout settles ledger entries: `payout_items` lists every entry it covers (positive sales and
 *   overrides, negative reversals alike), and `payouts.amount_cents` is exactly their sum. An entry
 *   is settled at most once (`payout_items.entry_id` is unique), so balances always equal the sum of
 *   the ledger, bucketed by status.
 * - A batch pays every creator whose APPROVED balance — approved entries not yet in any payout — is
 *   at least the threshold (`creditSettings.payoutThresholdCents`, default 25.00) and above zero.
 *   Below it, the entries simply wait for the next batch; a negative approved balance (a reversal
 *   after a payout) is carried into the next payout, where it reduces the amount.
 * - Creating a batch runs in ONE write transaction that re-reads the ledger, so a double submit (or
 *   two admins, or two instances) produces one batch's worth of payouts: the second finds nothing
 *   left to pay. The confirm step also carries a fingerprint of what the admin was shown; if the
 *   figures moved in between, nothing is written and the admin reviews again.
 *
 * Status of an entry, derived where read (no sweeper, rule 8):
 *   pending    → before its `available_at` (the lock window), not in a payout;
 *   approved   → past `available_at`, not in a payout: counts towards the next batch;
 *   in_payout  → settled by a payout that is not yet marked paid (the money has not moved: it is
 *                neither "approved" — it can't be paid twice — nor "paid");
 *   paid       → settled by a payout marked paid (with the bank/PSP reference).
 * `entryStatus` in commission.ts gives pending/approved/paid; it is called with
 * `paidOut = settled by a payout marked paid`, and `in_payout` is layered on top here. (A view
 * with only three buckets — the creator dashboard — shows in-payout entries as approved: owed,
 * not yet paid.)
 */
import { enqueuePayoutPaidEmail, type CreatorEmailContext } from './creator-emails.ts';
import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { DbOrTx, Db } from '../db.ts';
import { commissionEntries, creators, payoutBatches, payoutItems, payouts, users } from '../../../db/schema/index.ts';
import { entryStatus } from './commission.ts';
import { decimal, toCsv } from './csv.ts';

// ---------------------------------------------------------------------------------------------
// Pure

export type SettlementStatus = 'pending' | 'approved' | 'in_payout' | 'paid';

export interface LedgerBalances {
  pendingCents: number;
  approvedCents: number;
  /** Settled by a payout that has not been marked paid yet. */
  inPayoutCents: number;
  paidCents: number;
}

export const ZERO_BALANCES: Readonly<LedgerBalances> = Object.freeze({ pendingCents: 0, approvedCents: 0, inPayoutCents: 0, paidCents: 0 });

/**
 * The status of one entry given the payout that settles it (null when none).
 * @example settlementStatus({ availableAt: 10, payoutStatus: 'pending' }, 5) // 'in_payout'
 */
export function settlementStatus(entry: { availableAt: number; payoutStatus: 'pending' | 'paid' | null }, now: number): SettlementStatus {
  if (entry.payoutStatus === 'pending') return 'in_payout';
  return entryStatus({ availableAt: entry.availableAt, paidOut: entry.payoutStatus === 'paid' }, now);
}

/** Sums entries into the four buckets; the buckets always add up to the ledger's sum. */
export function ledgerBalances(entries: readonly { amountCents: number; availableAt: number; payoutStatus: 'pending' | 'paid' | null }[], now: number): LedgerBalances {
  const b = { ...ZERO_BALANCES };
  for (const e of entries) {
    const s = settlementStatus(e, now);
    if (s === 'paid') b.paidCents += e.amountCents;
    else if (s === 'in_payout') b.inPayoutCents += e.amountCents;
    else if (s === 'approved') b.approvedCents += e.amountCents;
    else b.pendingCents += e.amountCents;
  }
  return b;
}

export interface PayoutCandidate {
  creatorId: number;
  /** Sum of the creator's approved, unsettled entries. */
  approvedCents: number;
  entryCount: number;
}

/**
 * Who a batch pays: approved balance ≥ threshold and > 0, largest first (then by creator id).
 * @example planPayouts([{ creatorId: 1, approvedCents: 2500, entryCount: 3 }], 2500) // pays creator 1
 */
export function planPayouts<T extends PayoutCandidate>(candidates: readonly T[], thresholdCents: number): T[] {
  const min = Math.max(1, thresholdCents);
  return candidates.filter((c) => c.approvedCents >= min).sort((a, b) => b.approvedCents - a.approvedCents || a.creatorId - b.creatorId);
}

/**
 * A short digest of a plan (who, how much, how many entries), carried by the confirm form so that a
 * batch is only created for the figures the admin saw.
 */
export function planFingerprint(plan: readonly PayoutCandidate[]): string {
  const canonical = [...plan]
    .sort((a, b) => a.creatorId - b.creatorId)
    .map((p) => `${p.creatorId}:${p.approvedCents}:${p.entryCount}`)
    .join(',');
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical))).slice(0, 32);
}

export const REFERENCE_MAX = 100;

/**
 * A payment reference as typed by the admin (bank transfer id, PSP payout id): required, trimmed,
 * at most 100 characters, no control characters.
 */
export function parsePayoutReference(input: unknown): { ok: true; reference: string } | { ok: false; message: string } {
  const s = typeof input === 'string' ? input.trim() : '';
  if (s === '') return { ok: false, message: 'Enter the payment reference (e.g. the bank transfer id).' };
  if (s.length > REFERENCE_MAX) return { ok: false, message: `The reference must be at most ${REFERENCE_MAX} characters.` };
  if (/[\u0000-\u001f\u007f]/.test(s)) return { ok: false, message: 'The reference contains characters that cannot be stored.' };
  return { ok: true, reference: s };
}

export interface PayoutRow {
  id: number;
  creatorId: number;
  handle: string;
  displayName: string;
  email: string | null;
  amountCents: number;
  entryCount: number;
  status: 'pending' | 'paid';
  reference: string | null;
  createdAt: number;
  paidAt: number | null;
}

export interface PayoutBatchDetail {
  id: number;
  createdAt: number;
  createdBy: string;
  thresholdCents: number;
  payouts: PayoutRow[];
  totalCents: number;
  paidCents: number;
}

export const PAYOUT_CSV_HEADER = ['batch_id', 'payout_id', 'creator_handle', 'creator_name', 'email', 'amount', 'currency', 'entries', 'status', 'reference', 'paid_at'] as const;

/**
 * The batch as CSV for the bank or accounting (csv.ts: RFC 4180, formula-guarded text): one row per
 * payout, amounts as decimals in the shop currency (minor units → 25.00), times as ISO 8601 UTC.
 */
export function payoutBatchCsv(batch: PayoutBatchDetail, { currency, fractionDigits = 2 }: { currency: string; fractionDigits?: number }): string {
  return toCsv(
    PAYOUT_CSV_HEADER,
    batch.payouts.map((p) => [
      batch.id,
      p.id,
      p.handle,
      p.displayName,
      p.email ?? '',
      decimal(p.amountCents, fractionDigits),
      currency,
      p.entryCount,
      p.status,
      p.reference ?? '',
      p.paidAt === null ? '' : new Date(p.paidAt).toISOString(),
    ]),
  );
}

/** The download name of a batch's CSV (safe for Content-Disposition). */
export function payoutCsvFilename(shopName: string, batchId: number): string {
  const prefix = shopName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'shop';
  return `${prefix}-payout-batch-${batchId}.csv`;
}

// ---------------------------------------------------------------------------------------------
// Balances (SQL)

/**
 * Balances per creator, straight from the ledger (every entry counted once, in the bucket of its
 * derived status). `creatorIds` limits the creators; omitted: all creators with entries.
 */
export async function creatorBalances(db: DbOrTx, now: number, creatorIds?: readonly number[]): Promise<Map<number, LedgerBalances>> {
  const out = new Map<number, LedgerBalances>();
  if (creatorIds && creatorIds.length === 0) return out;
  const e = commissionEntries;
  const rows = await db
    .select({
      creatorId: e.creatorId,
      pending: sql<number>`coalesce(sum(case when ${payouts.id} is null and ${e.availableAt} > ${now} then ${e.amountCents} else 0 end), 0)`,
      approved: sql<number>`coalesce(sum(case when ${payouts.id} is null and ${e.availableAt} <= ${now} then ${e.amountCents} else 0 end), 0)`,
      inPayout: sql<number>`coalesce(sum(case when ${payouts.status} = 'pending' then ${e.amountCents} else 0 end), 0)`,
      paid: sql<number>`coalesce(sum(case when ${payouts.status} = 'paid' then ${e.amountCents} else 0 end), 0)`,
    })
    .from(e)
    .leftJoin(payoutItems, eq(payoutItems.entryId, e.id))
    .leftJoin(payouts, eq(payouts.id, payoutItems.payoutId))
    .where(creatorIds ? inArray(e.creatorId, [...creatorIds]) : undefined)
    .groupBy(e.creatorId);
  for (const r of rows) {
    out.set(r.creatorId, { pendingCents: Number(r.pending), approvedCents: Number(r.approved), inPayoutCents: Number(r.inPayout), paidCents: Number(r.paid) });
  }
  return out;
}

/** Approved, unsettled entries summed per creator (what a batch created now would pay). */
async function approvedCandidates(db: DbOrTx, now: number): Promise<PayoutCandidate[]> {
  const e = commissionEntries;
  const rows = await db
    .select({ creatorId: e.creatorId, approvedCents: sql<number>`sum(${e.amountCents})`, entryCount: sql<number>`count(*)` })
    .from(e)
    .leftJoin(payoutItems, eq(payoutItems.entryId, e.id))
    .where(and(isNull(payoutItems.entryId), lte(e.availableAt, now)))
    .groupBy(e.creatorId);
  return rows.map((r) => ({ creatorId: r.creatorId, approvedCents: Number(r.approvedCents), entryCount: Number(r.entryCount) }));
}

// ---------------------------------------------------------------------------------------------
// Batches

export interface PlannedPayout extends PayoutCandidate {
  handle: string;
  displayName: string;
  email: string | null;
}

export interface PayoutPreview {
  thresholdCents: number;
  payouts: PlannedPayout[];
  totalCents: number;
  fingerprint: string;
  /** Creators with an approved balance that stays below the threshold (they wait). */
  belowThreshold: PlannedPayout[];
}

async function withCreators(db: DbOrTx, rows: PayoutCandidate[]): Promise<PlannedPayout[]> {
  if (rows.length === 0) return [];
  const info = await db
    .select({ id: creators.id, handle: creators.handle, displayName: creators.displayName, email: users.email })
    .from(creators)
    .leftJoin(users, eq(users.creatorId, creators.id))
    .where(
      inArray(
        creators.id,
        rows.map((r) => r.creatorId),
      ),
    );
  const byId = new Map<number, { handle: string; displayName: string; email: string | null }>();
  for (const i of info) if (!byId.has(i.id)) byId.set(i.id, { handle: i.handle, displayName: i.displayName, email: i.email });
  return rows.map((r) => ({ ...r, handle: byId.get(r.creatorId)?.handle ?? `#${r.creatorId}`, displayName: byId.get(r.creatorId)?.displayName ?? '', email: byId.get(r.creatorId)?.email ?? null }));
}

/** What a batch created now would pay (no writes): the admin's review step. */
export async function previewPayoutBatch(db: DbOrTx, { thresholdCents, now = Date.now() }: { thresholdCents: number; now?: number }): Promise<PayoutPreview> {
  const candidates = await approvedCandidates(db, now);
  const plan = planPayouts(candidates, thresholdCents);
  const paid = new Set(plan.map((p) => p.creatorId));
  const below = candidates.filter((c) => !paid.has(c.creatorId) && c.approvedCents !== 0).sort((a, b) => b.approvedCents - a.approvedCents || a.creatorId - b.creatorId);
  return {
    thresholdCents,
    payouts: await withCreators(db, plan),
    totalCents: plan.reduce((n, p) => n + p.approvedCents, 0),
    fingerprint: planFingerprint(plan),
    belowThreshold: await withCreators(db, below),
  };
}

export type CreateBatchResult =
  | { ok: true; batchId: number; payouts: number; totalCents: number }
  | { ok: false; reason: 'nothing_to_pay'; message: string }
  | { ok: false; reason: 'changed'; message: string }
  | { ok: false; reason: 'invalid'; message: string };

/**
 * Creates a batch: one payout per creator over the threshold, each settling every approved,
 * unsettled entry of that creator (positive and negative), in one write transaction.
 * With `expectFingerprint`, nothing is written unless the plan still matches what was reviewed.
 * @example await createPayoutBatch(db, { thresholdCents: 2500, createdBy: 'admin:ops@shop.test', expectFingerprint })
 */
export async function createPayoutBatch(
  db: Db,
  { thresholdCents, createdBy, expectFingerprint, now = Date.now() }: { thresholdCents: number; createdBy: string; expectFingerprint?: string | undefined; now?: number },
): Promise<CreateBatchResult> {
  if (!Number.isSafeInteger(thresholdCents) || thresholdCents < 0) return { ok: false, reason: 'invalid', message: 'The payout threshold must be a whole amount of 0 or more.' };
  return db.transaction(async (tx) => {
    // Read inside the write transaction: a concurrent batch has either committed (its entries are
    // settled and drop out here) or waits for this one.
    const plan = planPayouts(await approvedCandidates(tx, now), thresholdCents);
    if (plan.length === 0) {
      return { ok: false, reason: 'nothing_to_pay', message: 'Nobody has an approved balance at or above the threshold right now — nothing was created. (A batch just created may already cover it.)' } as const;
    }
    if (expectFingerprint !== undefined && expectFingerprint !== planFingerprint(plan)) {
      return { ok: false, reason: 'changed', message: 'The figures changed since you reviewed them (new approvals, reversals or another batch). Nothing was created; review the batch again.' } as const;
    }
    const batch = await tx.insert(payoutBatches).values({ createdAt: now, createdBy, thresholdCents }).returning({ id: payoutBatches.id }).get();
    let total = 0;
    for (const p of plan) {
      const payout = await tx
        .insert(payouts)
        .values({ batchId: batch.id, creatorId: p.creatorId, amountCents: p.approvedCents, status: 'pending', createdAt: now })
        .returning({ id: payouts.id })
        .get();
      // Every approved, unsettled entry of the creator — the same set the plan summed.
      await tx.run(sql`insert into payout_items (payout_id, entry_id)
        select ${payout.id}, e.id from commission_entries e
        where e.creator_id = ${p.creatorId} and e.available_at <= ${now}
          and not exists (select 1 from payout_items pi where pi.entry_id = e.id)`);
      const settled = await tx
        .select({ sum: sql<number>`coalesce(sum(${commissionEntries.amountCents}), 0)`, n: sql<number>`count(*)` })
        .from(payoutItems)
        .innerJoin(commissionEntries, eq(commissionEntries.id, payoutItems.entryId))
        .where(eq(payoutItems.payoutId, payout.id))
        .get();
      if (Number(settled?.sum) !== p.approvedCents || Number(settled?.n) !== p.entryCount) {
        // Cannot happen inside one transaction; if it does, write nothing rather than a wrong payout.
        throw new Error(`payout for creator ${p.creatorId}: items sum ${settled?.sum} ≠ planned ${p.approvedCents}`);
      }
      total += p.approvedCents;
    }
    return { ok: true, batchId: batch.id, payouts: plan.length, totalCents: total } as const;
  });
}

export interface PayoutBatchSummary {
  id: number;
  createdAt: number;
  createdBy: string;
  thresholdCents: number;
  payoutCount: number;
  paidCount: number;
  totalCents: number;
  paidCents: number;
}

/** Newest first. */
export async function listPayoutBatches(db: DbOrTx, { limit = 100 }: { limit?: number } = {}): Promise<PayoutBatchSummary[]> {
  const rows = await db
    .select({
      id: payoutBatches.id,
      createdAt: payoutBatches.createdAt,
      createdBy: payoutBatches.createdBy,
      thresholdCents: payoutBatches.thresholdCents,
      payoutCount: sql<number>`count(${payouts.id})`,
      paidCount: sql<number>`coalesce(sum(case when ${payouts.status} = 'paid' then 1 else 0 end), 0)`,
      totalCents: sql<number>`coalesce(sum(${payouts.amountCents}), 0)`,
      paidCents: sql<number>`coalesce(sum(case when ${payouts.status} = 'paid' then ${payouts.amountCents} else 0 end), 0)`,
    })
    .from(payoutBatches)
    .leftJoin(payouts, eq(payouts.batchId, payoutBatches.id))
    .groupBy(payoutBatches.id)
    .orderBy(desc(payoutBatches.createdAt), desc(payoutBatches.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, payoutCount: Number(r.payoutCount), paidCount: Number(r.paidCount), totalCents: Number(r.totalCents), paidCents: Number(r.paidCents) }));
}

/** One batch with its payouts (largest first), or null. */
export async function getPayoutBatch(db: DbOrTx, batchId: number): Promise<PayoutBatchDetail | null> {
  if (!Number.isSafeInteger(batchId) || batchId < 1) return null;
  const batch = await db.select().from(payoutBatches).where(eq(payoutBatches.id, batchId)).get();
  if (!batch) return null;
  const rows = await db
    .select({
      id: payouts.id,
      creatorId: payouts.creatorId,
      handle: creators.handle,
      displayName: creators.displayName,
      amountCents: payouts.amountCents,
      status: payouts.status,
      reference: payouts.reference,
      createdAt: payouts.createdAt,
      paidAt: payouts.paidAt,
      entryCount: sql<number>`(select count(*) from payout_items pi where pi.payout_id = ${payouts.id})`,
      email: sql<string | null>`(select u.email from users u where u.creator_id = ${payouts.creatorId} order by u.id limit 1)`,
    })
    .from(payouts)
    .innerJoin(creators, eq(creators.id, payouts.creatorId))
    .where(eq(payouts.batchId, batchId))
    .orderBy(desc(payouts.amountCents), asc(payouts.id));
  const list: PayoutRow[] = rows.map((r) => ({ ...r, entryCount: Number(r.entryCount), email: r.email ?? null }));
  return {
    ...batch,
    payouts: list,
    totalCents: list.reduce((n, p) => n + p.amountCents, 0),
    paidCents: list.filter((p) => p.status === 'paid').reduce((n, p) => n + p.amountCents, 0),
  };
}

export interface PayoutEntry {
  id: number;
  kind: 'sale' | 'reversal' | 'override' | 'override_reversal';
  amountCents: number;
  orderId: number;
  orderNumber: string;
  availableAt: number;
  createdAt: number;
  note: string;
}

/** The ledger entries each payout of a batch settles, by payout id (oldest entry first). */
export async function payoutEntries(db: DbOrTx, batchId: number): Promise<Map<number, PayoutEntry[]>> {
  const rows = await db
    .select({
      payoutId: payoutItems.payoutId,
      id: commissionEntries.id,
      kind: commissionEntries.kind,
      amountCents: commissionEntries.amountCents,
      orderId: commissionEntries.orderId,
      orderNumber: sql<string>`(select o.number from orders o where o.id = ${commissionEntries.orderId})`,
      availableAt: commissionEntries.availableAt,
      createdAt: commissionEntries.createdAt,
      note: commissionEntries.note,
    })
    .from(payoutItems)
    .innerJoin(payouts, eq(payouts.id, payoutItems.payoutId))
    .innerJoin(commissionEntries, eq(commissionEntries.id, payoutItems.entryId))
    .where(eq(payouts.batchId, batchId))
    .orderBy(asc(commissionEntries.createdAt), asc(commissionEntries.id));
  const out = new Map<number, PayoutEntry[]>();
  for (const { payoutId, ...entry } of rows) {
    const list = out.get(payoutId) ?? [];
    list.push(entry);
    out.set(payoutId, list);
  }
  return out;
}

export type MarkPaidResult =
  | { ok: true; alreadyPaid: boolean; batchId: number }
  | { ok: false; reason: 'not_found' | 'invalid' | 'already_paid'; message: string };

/**
 * Marks a pending payout paid with the payment's reference. Conditional on `status = 'pending'`,
 * so a double submit changes nothing twice; repeating it with the same reference is a no-op
 * success, with a different one it is refused (the first reference stands).
 */
export async function markPayoutPaid(
  db: DbOrTx,
  { payoutId, reference, now = Date.now(), email }: { payoutId: number; reference: unknown; now?: number; email?: CreatorEmailContext & { currency: string } },
): Promise<MarkPaidResult> {
  const ref = parsePayoutReference(reference);
  if (!ref.ok) return { ok: false, reason: 'invalid', message: ref.message };
  if (!Number.isSafeInteger(payoutId) || payoutId < 1) return { ok: false, reason: 'not_found', message: 'No such payout.' };
  // Marked paid and the creator's "payout sent" email queued together, or neither (ADR 0005).
  const updated = await db.transaction(async (tx) => {
    const rows = await tx
      .update(payouts)
      .set({ status: 'paid', reference: ref.reference, paidAt: now })
      .where(and(eq(payouts.id, payoutId), eq(payouts.status, 'pending')))
      .returning({ batchId: payouts.batchId });
    if (rows[0] && email) await enqueuePayoutPaidEmail(tx, payoutId, email, now);
    return rows;
  });
  if (updated[0]) return { ok: true, alreadyPaid: false, batchId: updated[0].batchId };
  const row = await db.select({ status: payouts.status, reference: payouts.reference, batchId: payouts.batchId }).from(payouts).where(eq(payouts.id, payoutId)).get();
  if (!row) return { ok: false, reason: 'not_found', message: 'No such payout.' };
  if (row.reference === ref.reference) return { ok: true, alreadyPaid: true, batchId: row.batchId };
  return { ok: false, reason: 'already_paid', message: `This payout was already marked paid with the reference “${row.reference ?? ''}”. Nothing was changed.` };
}

// ---------------------------------------------------------------------------------------------
// Admin URLs

export const ADMIN_PAYOUTS_PATH = '/admin/payouts';

export function adminPayoutBatchHref(batchId: number, query?: Record<string, string>): string {
  const s = new URLSearchParams(query).toString();
  return `${ADMIN_PAYOUTS_PATH}/${batchId}${s ? `?${s}` : ''}`;
}

/** The batch's CSV download. */
export function adminPayoutCsvHref(batchId: number): string {
  return `${ADMIN_PAYOUTS_PATH}/${batchId}.csv`;
}

/** A batch id from a route parameter ("12"), or null. */
export function parseBatchId(raw: string | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return null;
  return Number(raw);
}
