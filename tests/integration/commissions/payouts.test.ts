import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { type App } from '../../../src/server/flows/index.ts';
import { paidSale as paidSaleVia, testApp } from '../../helpers/app.ts';
import { createTestDbWithUrl } from '../../helpers/db.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import { commissionEntries, payoutBatches, payoutItems, payouts } from '../../../db/schema/index.ts';
import { reverseOrderCommissions, type CreditSettings } from '../../../src/server/commissions/index.ts';
import {
  createPayoutBatch,
  creatorBalances,
  getPayoutBatch,
  listPayoutBatches,
  markPayoutPaid,
  payoutBatchCsv,
  payoutEntries,
  previewPayoutBatch,
} from '../../../src/server/commissions/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 12);
const SETTINGS: CreditSettings = { defaultRateBps: 1000, lockDays: 30, attributionWindowMs: 30 * DAY };
const THRESHOLD = 2500;
const ADMIN = 'admin:ops@lookbook.test';

const ROOT = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
/** A second app instance: its own process and database handle, creating a batch. */
const WORKER = `
import { openDb } from './src/server/db.ts';
import { createPayoutBatch } from './src/server/commissions/payouts.ts';
void (async () => {
  const [url, now] = process.argv.slice(-2);
  const db = await openDb({ url: url! });
  const r = await createPayoutBatch(db, { thresholdCents: ${THRESHOLD}, createdBy: 'admin:worker', now: Number(now) });
  process.stdout.write(JSON.stringify(r));
  db.$client.close();
})();
`;

let db: Db;
let app: App;
let url: string;
let seq = 0;

const paidSale = (handle: string, priceCents: number, at: number, opts?: { category?: string; coupon?: string }) => paidSaleVia(app, handle, priceCents, at, opts);

/** The ledger's own sum per creator, and the balance buckets: they must always agree. */
async function expectBalancesEqualLedger(now: number) {
  const sums = await db
    .select({ creatorId: commissionEntries.creatorId, sum: sql<number>`sum(${commissionEntries.amountCents})` })
    .from(commissionEntries)
    .groupBy(commissionEntries.creatorId);
  const balances = await creatorBalances(db, now);
  expect(balances.size).toBe(sums.length);
  for (const s of sums) {
    const b = balances.get(s.creatorId)!;
    expect(b.pendingCents + b.approvedCents + b.inPayoutCents + b.paidCents).toBe(Number(s.sum));
  }
  // Every payout is exactly the sum of the entries it lists.
  const mismatched = await db.all(sql`select p.id from payouts p left join payout_items pi on pi.payout_id = p.id left join commission_entries e on e.id = pi.entry_id group by p.id having p.amount_cents <> coalesce(sum(e.amount_cents), 0)`);
  expect(mismatched).toEqual([]);
}

beforeEach(async () => {
  db?.$client.close();
  ({ db, url } = await createTestDbWithUrl());
  app = testApp(db);
});
afterAll(() => db?.$client.close());

describe('payout batches', () => {
  it('pays only creators whose approved balance reaches the threshold, with every approved entry', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const sam = await makeCreator(db, { handle: 'sam' });
    await paidSale('maya', 15000, T0); // 1500
    await paidSale('maya', 10000, T0 + DAY); // 1000 → approved 2500: exactly the threshold
    await paidSale('sam', 20000, T0); // 2000: below
    await paidSale('maya', 50000, T0 + 20 * DAY); // 5000, still pending at payout time
    const now = T0 + 35 * DAY;
    await expectBalancesEqualLedger(now);

    const preview = await previewPayoutBatch(db, { thresholdCents: THRESHOLD, now });
    expect(preview.payouts.map((p) => [p.handle, p.approvedCents, p.entryCount])).toEqual([['maya', 2500, 2]]);
    expect(preview.belowThreshold.map((p) => [p.handle, p.approvedCents])).toEqual([['sam', 2000]]);
    expect(preview.totalCents).toBe(2500);

    const r = await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, expectFingerprint: preview.fingerprint, now });
    expect(r).toMatchObject({ ok: true, payouts: 1, totalCents: 2500 });
    if (!r.ok) return;
    const batch = (await getPayoutBatch(db, r.batchId))!;
    expect(batch.payouts).toHaveLength(1);
    expect(batch.payouts[0]).toMatchObject({ creatorId: maya.id, handle: 'maya', amountCents: 2500, entryCount: 2, status: 'pending', reference: null });
    expect(batch.thresholdCents).toBe(THRESHOLD);

    const b = (await creatorBalances(db, now)).get(maya.id)!;
    expect(b).toEqual({ pendingCents: 5000, approvedCents: 0, inPayoutCents: 2500, paidCents: 0 });
    expect((await creatorBalances(db, now)).get(sam.id)).toEqual({ pendingCents: 0, approvedCents: 2000, inPayoutCents: 0, paidCents: 0 });
    await expectBalancesEqualLedger(now);
  });

  it('settles an entry once: a second batch finds nothing, and the database refuses a duplicate item', async () => {
    await makeCreator(db, { handle: 'maya' });
    await paidSale('maya', 30000, T0);
    const now = T0 + 31 * DAY;
    const first = await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, now });
    expect(first.ok).toBe(true);
    const again = await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, now: now + DAY });
    expect(again).toMatchObject({ ok: false, reason: 'nothing_to_pay' });
    expect(await db.select().from(payoutBatches)).toHaveLength(1);

    const item = (await db.select().from(payoutItems))[0]!;
    const otherPayout = await db.insert(payouts).values({ batchId: 1, creatorId: 1, amountCents: 0, status: 'pending', createdAt: now }).returning().get();
    const dup = await db.insert(payoutItems).values({ payoutId: otherPayout.id, entryId: item.entryId }).then(() => null, (e: Error) => e);
    expect(String(dup?.cause ?? dup)).toMatch(/UNIQUE constraint failed: payout_items.entry_id/);
  });

  it('a double submit creates one batch’s worth (same process, and two instances)', async () => {
    await makeCreator(db, { handle: 'maya' });
    await makeCreator(db, { handle: 'sam' });
    await paidSale('maya', 30000, T0);
    await paidSale('sam', 40000, T0);
    const now = T0 + 31 * DAY;
    const { fingerprint } = await previewPayoutBatch(db, { thresholdCents: THRESHOLD, now });

    const results = await Promise.all([1, 2, 3].map(() => createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, expectFingerprint: fingerprint, now })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['nothing_to_pay', 'nothing_to_pay']);
    expect(await db.select().from(payoutBatches)).toHaveLength(1);
    expect(await db.select().from(payouts)).toHaveLength(2);

    // Two app instances (separate processes, one database file) confirming at the same moment.
    // (Two handles inside one process would block each other on the file lock; see two-instances.test.ts.)
    await paidSale('maya', 30000, T0 + 2 * DAY);
    const later = T0 + 40 * DAY;
    const instance = () =>
      run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '-e', WORKER, url, String(later)], { cwd: ROOT, timeout: 60_000 }).then(
        (r) => JSON.parse(r.stdout) as { ok: boolean },
      );
    const both = await Promise.all([instance(), instance()]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.select().from(payoutBatches)).toHaveLength(2);
    await expectBalancesEqualLedger(later);
  }, 90_000);

  it('includes negative approved entries (a reversal after a payout reduces the next one)', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    const refunded = await paidSale('maya', 30000, T0); // 3000
    await paidSale('maya', 10000, T0 + DAY); // 1000
    const now = T0 + 35 * DAY;
    const first = await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, now });
    expect(first).toMatchObject({ ok: true, totalCents: 4000 });
    if (!first.ok) return;
    const payoutId = (await getPayoutBatch(db, first.batchId))!.payouts[0]!.id;
    expect(await markPayoutPaid(db, { payoutId, reference: 'TRF-1', now })).toMatchObject({ ok: true, alreadyPaid: false });
    await expectBalancesEqualLedger(now);
    expect((await creatorBalances(db, now)).get(maya.id)).toEqual({ pendingCents: 0, approvedCents: 0, inPayoutCents: 0, paidCents: 4000 });

    // Refunded (disputed) after it was paid: the reversal takes effect now and is approved at once.
    await db.transaction((tx) => reverseOrderCommissions(tx, refunded, now + DAY, 'all'));
    expect((await creatorBalances(db, now + DAY)).get(maya.id)).toEqual({ pendingCents: 0, approvedCents: -3000, inPayoutCents: 0, paidCents: 4000 });
    // Negative balance: nobody is paid, the entry waits.
    expect(await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, now: now + DAY })).toMatchObject({ ok: false, reason: 'nothing_to_pay' });

    await paidSale('maya', 60000, now); // 6000, approved 30 days later
    const later = now + 31 * DAY;
    const second = await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, now: later });
    expect(second).toMatchObject({ ok: true, totalCents: 3000 });
    if (!second.ok) return;
    const batch = (await getPayoutBatch(db, second.batchId))!;
    const entries = (await payoutEntries(db, second.batchId)).get(batch.payouts[0]!.id)!;
    expect(entries.map((e) => [e.kind, e.amountCents]).sort()).toEqual([
      ['reversal', -3000],
      ['sale', 6000],
    ]);
    expect(entries.reduce((n, e) => n + e.amountCents, 0)).toBe(batch.payouts[0]!.amountCents);
    await expectBalancesEqualLedger(later);
  });

  it('balances equal the ledger before and after paying; marking paid is idempotent and needs a reference', async () => {
    const maya = await makeCreator(db, { handle: 'maya' });
    await paidSale('maya', 30000, T0);
    const now = T0 + 31 * DAY;
    await expectBalancesEqualLedger(now);
    const r = await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, now });
    if (!r.ok) throw new Error('no batch');
    const payoutId = (await getPayoutBatch(db, r.batchId))!.payouts[0]!.id;
    await expectBalancesEqualLedger(now);

    expect(await markPayoutPaid(db, { payoutId, reference: '   ', now })).toMatchObject({ ok: false, reason: 'invalid' });
    expect((await db.select().from(payouts).where(eq(payouts.id, payoutId)).get())!.status).toBe('pending');
    expect(await markPayoutPaid(db, { payoutId: 999, reference: 'X', now })).toMatchObject({ ok: false, reason: 'not_found' });

    expect(await markPayoutPaid(db, { payoutId, reference: 'TRF-9', now: now + 1 })).toMatchObject({ ok: true, alreadyPaid: false, batchId: r.batchId });
    expect(await markPayoutPaid(db, { payoutId, reference: 'TRF-9', now: now + 2 })).toMatchObject({ ok: true, alreadyPaid: true });
    expect(await markPayoutPaid(db, { payoutId, reference: 'OTHER', now: now + 3 })).toMatchObject({ ok: false, reason: 'already_paid' });
    const row = (await db.select().from(payouts).where(eq(payouts.id, payoutId)).get())!;
    expect(row).toMatchObject({ status: 'paid', reference: 'TRF-9', paidAt: now + 1 });
    expect((await creatorBalances(db, now)).get(maya.id)).toEqual({ pendingCents: 0, approvedCents: 0, inPayoutCents: 0, paidCents: 3000 });
    await expectBalancesEqualLedger(now);

    const [summary] = await listPayoutBatches(db);
    expect(summary).toMatchObject({ id: r.batchId, payoutCount: 1, paidCount: 1, totalCents: 3000, paidCents: 3000, createdBy: ADMIN });
  });

  it('writes nothing when the figures changed since the review', async () => {
    await makeCreator(db, { handle: 'maya' });
    await paidSale('maya', 30000, T0);
    const now = T0 + 31 * DAY;
    const { fingerprint } = await previewPayoutBatch(db, { thresholdCents: THRESHOLD, now });
    await paidSale('maya', 10000, T0 + DAY); // approved by `now` too
    expect(await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, expectFingerprint: fingerprint, now })).toMatchObject({ ok: false, reason: 'changed' });
    expect(await db.select().from(payoutBatches)).toHaveLength(0);
    expect(await db.select().from(payoutItems)).toHaveLength(0);
  });

  it('exports a batch as CSV with guarded text', async () => {
    await makeCreator(db, { handle: 'maya', displayName: '=cmd|"/c calc"!A1' });
    await paidSale('maya', 30000, T0);
    const r = await createPayoutBatch(db, { thresholdCents: THRESHOLD, createdBy: ADMIN, now: T0 + 31 * DAY });
    if (!r.ok) throw new Error('no batch');
    const csv = payoutBatchCsv((await getPayoutBatch(db, r.batchId))!, { currency: 'USD' });
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(row).toContain(',30.00,USD,1,pending,');
  });
});
