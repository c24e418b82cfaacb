/**
 * Card interactions (ADR 0010): views (a card scrolled into view, once per page view)
 * and clicks (on a card's product links), beaconed from post pages and counted per post, card
 * position and UTC day in `card_daily`. (`adds` is counted by the bag, in its own transaction.)
 *
 * Validation is strict (rule 6): a known post, card positions that exist in that post, at most
 * MAX_CARD_EVENTS events, nothing else in the body — or the whole request is refused and nothing
 * is written. Within one request a card's view counts once and its click counts once (the page
 * sends each view once; a double-click on a link is one interaction). Across requests, the queue
 * counts a visitor's view (and click) of one card at most once per DEDUPE_WINDOW_MS, like referral
 * clicks (ADR 0022): a client replaying the beacon 50 times adds one view, not 50. The visitor is
 * the client address (IPv6 /64), not the user agent, which the client chooses. Writes are batched
 * like clicks (click-queue.ts): one transaction per flush, creators resolved by handle inside it.
 */
import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db.ts';
import { cardDaily, creators } from '../../../db/schema/index.ts';
import { utcDay } from '../shared/index.ts';
import { BatchWriter, type BatchOptions } from './click-queue.ts';
import { DEDUPE_WINDOW_MS } from './clicks.ts';

export const MAX_CARD_EVENTS = 50;
/** Bodies larger than this are refused before parsing (50 events fit in well under 4 KB). */
export const MAX_CARD_EVENTS_BYTES = 4096;

export const cardEventsSchema = z.strictObject({
  post: z.string().min(1).max(120).regex(/^[a-z0-9][a-z0-9-]*$/),
  events: z
    .array(z.strictObject({ card: z.number().int().min(0).max(999), kind: z.enum(['view', 'click']) }))
    .min(1)
    .max(MAX_CARD_EVENTS),
});

export type CardEventsBody = z.infer<typeof cardEventsSchema>;

/** What content says about a post: its creator's handle and its card positions. */
export interface PostCards {
  creator: string;
  positions: ReadonlySet<number>;
}

export interface CardTally {
  creator: string;
  post: string;
  card: number;
  views: number;
  clicks: number;
  at: number;
}

export type ParseCardEventsResult =
  | { ok: true; tallies: CardTally[] }
  | { ok: false; reason: 'invalid' | 'unknown_post' | 'unknown_card'; message: string };

/**
 * Validates a beacon body against content and folds it into one tally per card.
 * @example parseCardEvents({ post: 'autumn-capsule-wardrobe', events: [{ card: 0, kind: 'view' }] }, lookup, Date.now())
 */
export function parseCardEvents(body: unknown, lookup: (post: string) => PostCards | undefined, now: number): ParseCardEventsResult {
  const parsed = cardEventsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: 'invalid', message: issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'Invalid body.' };
  }
  const { post, events } = parsed.data;
  const known = lookup(post);
  if (!known) return { ok: false, reason: 'unknown_post', message: `No published post "${post}".` };
  const bad = events.find((e) => !known.positions.has(e.card));
  if (bad) return { ok: false, reason: 'unknown_card', message: `Post "${post}" has no card at position ${bad.card}.` };
  const byCard = new Map<number, CardTally>();
  for (const e of events) {
    const t = byCard.get(e.card) ?? { creator: known.creator, post, card: e.card, views: 0, clicks: 0, at: now };
    if (e.kind === 'view') t.views = 1;
    else t.clicks = 1;
    byCard.set(e.card, t);
  }
  return { ok: true, tallies: [...byCard.values()] };
}

/**
 * Adds a batch of tallies to `card_daily` in one transaction (summed per creator, post, card and
 * day first). Tallies whose creator has no row are skipped.
 * @returns the number of card_daily rows touched
 */
export async function writeCardTallies(db: Db, batch: readonly CardTally[]): Promise<number> {
  if (batch.length === 0) return 0;
  return db.transaction(async (tx) => {
    const handles = [...new Set(batch.map((t) => t.creator))];
    const rows = await tx.select({ id: creators.id, handle: creators.handle }).from(creators).where(inArray(creators.handle, handles));
    const ids = new Map(rows.map((r) => [r.handle, r.id]));
    const sums = new Map<string, { creatorId: number; post: string; card: number; day: number; views: number; clicks: number }>();
    for (const t of batch) {
      const creatorId = ids.get(t.creator);
      if (creatorId === undefined) continue;
      const day = utcDay(t.at);
      const key = `${creatorId}|${t.post}|${t.card}|${day}`;
      const s = sums.get(key) ?? { creatorId, post: t.post, card: t.card, day, views: 0, clicks: 0 };
      s.views += t.views;
      s.clicks += t.clicks;
      sums.set(key, s);
    }
    if (sums.size === 0) return 0;
    await tx
      .insert(cardDaily)
      .values([...sums.values()])
      .onConflictDoUpdate({
        target: [cardDaily.creatorId, cardDaily.post, cardDaily.card, cardDaily.day],
        set: { views: sql`${cardDaily.views} + excluded.views`, clicks: sql`${cardDaily.clicks} + excluded.clicks` },
      });
    return sums.size;
  });
}

/** Visitor+card+kind entries the queue remembers at most (oldest forgotten first). */
const MAX_SEEN = 100_000;

/**
 * The card-event queue: tallies written by `writeCardTallies`, batched like clicks, with an
 * in-memory record of which visitor already counted which card in the dedupe window. The record is
 * per process (a counter, not money: several instances may each count a visitor once per window).
 */
export class CardEventQueue extends BatchWriter<CardTally> {
  readonly #seen = new Map<string, number>();
  readonly windowMs: number;

  constructor(db: Db | (() => Promise<Db>), opts: BatchOptions & { windowMs?: number } = {}) {
    const getDb = typeof db === 'function' ? db : async () => db;
    super(async (batch) => {
      await writeCardTallies(await getDb(), batch);
    }, opts);
    this.windowMs = opts.windowMs ?? DEDUPE_WINDOW_MS;
  }

  /**
   * Queues a request's tallies from `visitor`, dropping each view or click that this visitor
   * already counted for the same post and card within the window.
   * @returns how many views and clicks were counted (0 for a replay)
   */
  enqueueFrom(visitor: string, tallies: readonly CardTally[], now: number = Date.now()): number {
    let counted = 0;
    for (const t of tallies) {
      const views = t.views > 0 && this.#firstInWindow(`${visitor}|${t.post}|${t.card}|view`, now) ? 1 : 0;
      const clicks = t.clicks > 0 && this.#firstInWindow(`${visitor}|${t.post}|${t.card}|click`, now) ? 1 : 0;
      if (views + clicks === 0) continue;
      if (this.enqueue({ ...t, views, clicks })) counted += views + clicks;
    }
    return counted;
  }

  /** Queues tallies as they are (no visitor dedupe: the seed and tests of the writer). */
  enqueueAll(tallies: readonly CardTally[]): boolean {
    let ok = true;
    for (const t of tallies) ok = this.enqueue(t) && ok;
    return ok;
  }

  #firstInWindow(key: string, now: number): boolean {
    const at = this.#seen.get(key);
    if (at !== undefined && now - at < this.windowMs) return false;
    this.#seen.delete(key); // re-insert: Map order stays oldest → newest
    this.#seen.set(key, now);
    for (const [k, t] of this.#seen) {
      if (this.#seen.size > MAX_SEEN || now - t >= this.windowMs) this.#seen.delete(k);
      else break;
    }
    return true;
  }
}
