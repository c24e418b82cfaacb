/**
 * Batched writes for the hot paths — clicks and card events (docs/architecture.md; ADR 0010: hot write paths
 * are batched; ADR 0010).
 *
 * A click must not cost the visitor a database write: requests only `enqueue` into memory, and a
 * flush writes everything queued in ONE transaction — every `intervalMs` (250 ms), as soon as
 * `batchSize` (100) items wait, or when asked (`flush()`, tests). A transaction takes at most
 * `maxBatch` (500) items, so 1 000 clicks arriving at once are written in two transactions.
 *
 * Failure: a batch whose transaction fails goes back to the front of the queue and is retried with
 * backoff (up to 10 s). Memory is bounded: with `maxQueued` (10 000) items waiting — the database
 * is down and traffic keeps coming — new items are dropped and counted (`stats.dropped`), and the
 * first drop of an outage is logged. Writes are idempotent (clicks have ids made here, inserted
 * with ON CONFLICT DO NOTHING; rollups only count rows that were inserted), so a retry after a
 * commit whose answer was lost (a remote libSQL server) does not count twice.
 *
 * Loss window: items still queued when the process is killed are lost (at most ~250 ms of clicks);
 * call `flush()` on shutdown where the host allows it.
 */
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { clickDaily, clicks } from '../../../db/schema/index.ts';
import { utcDay } from '../shared/index.ts';
import { DEDUPE_WINDOW_MS, type UaClass } from './clicks.ts';

export interface BatchOptions {
  intervalMs?: number;
  batchSize?: number;
  maxBatch?: number;
  maxQueued?: number;
  /** Called when a flush fails (default: console.error). */
  onError?: (err: unknown) => void;
}

export interface BatchStats {
  enqueued: number;
  written: number;
  dropped: number;
  transactions: number;
  failures: number;
}

export const BATCH_DEFAULTS = { intervalMs: 250, batchSize: 100, maxBatch: 500, maxQueued: 10_000 } as const;
const MAX_BACKOFF_MS = 10_000;

/**
 * An in-process write-behind queue. `write` receives up to `maxBatch` items and must write them in
 * one transaction (all or nothing). One flush runs at a time.
 */
export class BatchWriter<T> {
  readonly stats: BatchStats = { enqueued: 0, written: 0, dropped: 0, transactions: 0, failures: 0 };
  readonly #write: (items: T[]) => Promise<void>;
  readonly #opts: Required<Omit<BatchOptions, 'onError'>> & Pick<BatchOptions, 'onError'>;
  #queue: T[] = [];
  /** The batch being written: still "pending" for readers such as the dedupe check. */
  #inflight: T[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #dueAt = 0;
  #running: Promise<void> | undefined;
  #backoffMs = 0;
  #dropping = false;
  #closed = false;

  constructor(write: (items: T[]) => Promise<void>, opts: BatchOptions = {}) {
    this.#write = write;
    this.#opts = { ...BATCH_DEFAULTS, ...opts };
  }

  /** Queues an item; false when it was dropped because the queue is full. Never blocks. */
  enqueue(item: T): boolean {
    if (this.#closed) return false;
    if (this.#queue.length + this.#inflight.length >= this.#opts.maxQueued) {
      this.stats.dropped++;
      if (!this.#dropping) {
        this.#dropping = true;
        console.error(`batch queue full (${this.#opts.maxQueued} waiting): dropping new items until a flush succeeds`);
      }
      return false;
    }
    this.#queue.push(item);
    this.stats.enqueued++;
    if (this.#queue.length >= this.#opts.batchSize && this.#backoffMs === 0) this.#schedule(0);
    else this.#schedule(this.#opts.intervalMs);
    return true;
  }

  /** Items waiting or being written. */
  get pending(): number {
    return this.#queue.length + this.#inflight.length;
  }

  /** Every item not yet committed (queued or in the running transaction), oldest first. */
  *unwritten(): Iterable<T> {
    yield* this.#inflight;
    yield* this.#queue;
  }

  /**
   * Writes everything queued now (in as many transactions of `maxBatch` as needed) and resolves
   * when done. Rejects if a transaction fails; the failed batch stays queued for the next try.
   */
  async flush(): Promise<void> {
    this.#clearTimer();
    // Wait for a flush already running, then drain what is left.
    while (this.#running) await this.#running.catch(() => undefined);
    while (this.#queue.length > 0) {
      const run = this.#drainOnce();
      this.#running = run;
      try {
        await run;
      } finally {
        this.#running = undefined;
      }
    }
  }

  /** Stops the timer; queued items stay until `flush()`. */
  close(): void {
    this.#closed = true;
    this.#clearTimer();
  }

  async #drainOnce(): Promise<void> {
    const batch = this.#queue.splice(0, this.#opts.maxBatch);
    this.#inflight = batch;
    try {
      await this.#write(batch);
      this.stats.transactions++;
      this.stats.written += batch.length;
      this.#backoffMs = 0;
      this.#dropping = false;
    } catch (err) {
      this.stats.failures++;
      this.#queue = batch.concat(this.#queue);
      this.#backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(this.#opts.intervalMs, this.#backoffMs * 2));
      throw err;
    } finally {
      this.#inflight = [];
    }
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    const due = Date.now() + (this.#backoffMs > 0 ? this.#backoffMs : delayMs);
    if (this.#timer !== undefined) {
      if (this.#dueAt <= due) return; // a flush is already due as soon
      clearTimeout(this.#timer);
    }
    this.#dueAt = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((err) => {
        (this.#opts.onError ?? ((e) => console.error('batched write failed; will retry', e)))(err);
        if (this.#queue.length > 0) this.#schedule(this.#backoffMs);
      });
    }, Math.max(0, due - Date.now()));
    // A pending flush must not keep a finished process (a CLI, a test) alive.
    this.#timer.unref?.();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** One click as it is queued and stored (db/schema/credit.ts `clicks`). */
export interface ClickRecord {
  id: string;
  creatorId: number;
  post: string | null;
  target: string;
  visitorHash: string;
  uaClass: UaClass;
  referrerHost: string | null;
  counted: boolean;
  at: number;
}

/**
 * Writes a batch of clicks and their daily rollup in one transaction. Only rows actually inserted
 * are counted in `click_daily`, so writing the same batch twice changes nothing the second time.
 * @returns the number of new clicks
 */
export async function writeClicks(db: Db, batch: readonly ClickRecord[]): Promise<number> {
  if (batch.length === 0) return 0;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(clicks)
      .values(batch.map((c) => ({ ...c })))
      .onConflictDoNothing()
      .returning({ creatorId: clicks.creatorId, post: clicks.post, counted: clicks.counted, at: clicks.at });
    const daily = new Map<string, { creatorId: number; day: number; post: string; clicks: number }>();
    for (const c of inserted) {
      if (!c.counted) continue;
      const row = { creatorId: c.creatorId, day: utcDay(c.at), post: c.post ?? '', clicks: 0 };
      const key = `${row.creatorId}|${row.day}|${row.post}`;
      (daily.get(key) ?? daily.set(key, row).get(key)!).clicks++;
    }
    if (daily.size > 0) {
      await tx
        .insert(clickDaily)
        .values([...daily.values()])
        .onConflictDoUpdate({
          target: [clickDaily.creatorId, clickDaily.day, clickDaily.post],
          set: { clicks: sql`${clickDaily.clicks} + excluded.clicks` },
        });
    }
    return inserted.length;
  });
}

/** The time of this visitor's last counted click for the creator since `since`, from the database. */
export async function lastCountedClickAt(db: DbOrTx, visitorHash: string, creatorId: number, since: number): Promise<number | null> {
  const row = await db
    .select({ at: clicks.at })
    .from(clicks)
    .where(and(eq(clicks.visitorHash, visitorHash), eq(clicks.creatorId, creatorId), gt(clicks.at, since), eq(clicks.counted, true)))
    .orderBy(desc(clicks.at))
    .limit(1)
    .get();
  return row?.at ?? null;
}

const MAX_RECENT = 50_000;

/**
 * The click queue: a BatchWriter of clicks plus an in-memory index of recent counted clicks per
 * visitor and creator. The index covers clicks that are queued, being written, or written by this
 * process within the dedupe window — so the dedupe check does not miss a click that sits in a
 * batch, or that was committed after the database was read (ADR 0010). Other instances' clicks
 * are seen through the database once flushed.
 */
export class ClickQueue extends BatchWriter<ClickRecord> {
  readonly #recent = new Map<string, number>();
  readonly windowMs: number;

  constructor(db: Db | (() => Promise<Db>), opts: BatchOptions & { windowMs?: number } = {}) {
    const getDb = typeof db === 'function' ? db : async () => db;
    super(async (batch) => {
      await writeClicks(await getDb(), batch);
    }, opts);
    this.windowMs = opts.windowMs ?? DEDUPE_WINDOW_MS;
  }

  override enqueue(click: ClickRecord): boolean {
    const ok = super.enqueue(click);
    if (ok && click.counted) this.#remember(click);
    return ok;
  }

  /** The last counted click this process knows of for the visitor and creator, if within the window of `now`. */
  lastCountedAt(visitorHash: string, creatorId: number, now: number): number | null {
    const at = this.#recent.get(`${creatorId}|${visitorHash}`);
    return at !== undefined && now - at < this.windowMs ? at : null;
  }

  #remember(click: ClickRecord): void {
    const key = `${click.creatorId}|${click.visitorHash}`;
    this.#recent.delete(key); // re-insert: Map order stays roughly oldest → newest
    this.#recent.set(key, click.at);
    // Forget what has left the window (from the old end), and never hold more than MAX_RECENT.
    for (const [k, at] of this.#recent) {
      if (this.#recent.size > MAX_RECENT || click.at - at >= this.windowMs) this.#recent.delete(k);
      else break;
    }
  }
}
