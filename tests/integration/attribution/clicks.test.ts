/**
 * The click pipeline against a real migrated database (ADR 0010): batched writes in one
 * transaction, bots never counted, repeats within 30 minutes counted once (across batches, and
 * across a restart through the database), card events validated and counted, bounded memory.
 * Transactions are counted through the libSQL client, never timed.
 */
import { and, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import type { Client } from '@libsql/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { schema, type Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import { cardDaily, clickDaily, clicks, creators } from '../../../db/schema/index.ts';
import { BatchWriter, ClickQueue, writeClicks, type ClickRecord } from '../../../src/server/attribution/index.ts';
import { CardEventQueue, MAX_CARD_EVENTS, parseCardEvents, type PostCards } from '../../../src/server/attribution/index.ts';
import { recordReferral, type ReferralInput } from '../../../src/server/attribution/index.ts';
import { DEDUPE_WINDOW_MS, newClickId } from '../../../src/server/attribution/index.ts';
import { utcDay } from '../../../src/server/shared/index.ts';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const T0 = Date.UTC(2026, 10, 20, 12);
const MIN = 60_000;
const POSTS = new Set(['autumn-capsule-wardrobe', 'first-frost-layers']);

let base: Db;
/** `base` seen through a client that counts transactions (what a flush must keep to one). */
let db: Db;
let transactions = 0;
let maya: { id: number; handle: string };
let jules: { id: number; handle: string };

function countingDb(inner: Db): Db {
  const client = new Proxy(inner.$client, {
    get(target, prop) {
      if (prop === 'transaction') {
        return (...args: Parameters<Client['transaction']>) => {
          transactions++;
          return target.transaction(...args);
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return drizzle(client, { schema }) as unknown as Db;
}

async function creatorWithCode(handle: string, code: string) {
  const c = await makeCreator(base, { handle });
  await base.update(creators).set({ referralCode: code }).where(eq(creators.id, c.id));
  return { id: c.id, handle: c.handle };
}

const visit = (over: Partial<ReferralInput> = {}): ReferralInput => ({
  code: 'MAYA',
  to: null,
  ip: '203.0.113.7',
  userAgent: CHROME,
  referer: 'https://www.instagram.com/p/abc?igsh=private',
  isPost: (slug) => POSTS.has(slug),
  now: T0,
  ...over,
});

async function clickRows(creatorId: number) {
  return db.select().from(clicks).where(eq(clicks.creatorId, creatorId)).orderBy(clicks.at);
}
async function dailyCount(creatorId: number, post = '', day = utcDay(T0)) {
  const row = await db
    .select({ n: clickDaily.clicks })
    .from(clickDaily)
    .where(and(eq(clickDaily.creatorId, creatorId), eq(clickDaily.day, day), eq(clickDaily.post, post)))
    .get();
  return row?.n ?? 0;
}
async function resetClicks() {
  await base.delete(clicks);
  await base.delete(clickDaily);
  await base.delete(cardDaily);
}

beforeAll(async () => {
  base = await createTestDb();
  db = countingDb(base);
  maya = await creatorWithCode('maya-okafor', 'MAYA');
  jules = await creatorWithCode('jules-laurent', 'JULES');
});
afterAll(() => base.$client.close());
beforeEach(resetClicks);
// Every queue a test makes is flushed and stopped after it, so no timer writes into the next test.
type Stoppable = { close(): void; flush(): Promise<void> };
const queues: Stoppable[] = [];
function track<Q extends Stoppable>(q: Q): Q {
  queues.push(q);
  return q;
}
afterEach(async () => {
  for (const q of queues.splice(0)) {
    q.close();
    await q.flush().catch(() => undefined);
  }
});

describe('recordReferral', () => {
  it('an unknown or malformed code records nothing', async () => {
    const queue = track(new ClickQueue(db));
    for (const code of ['NOPE', '', '../MAYA', null]) expect(await recordReferral(db, queue, visit({ code }))).toEqual({ ok: false, reason: 'unknown_code' });
    expect(queue.pending).toBe(0);
  });

  it('records a click for a person: post, target, referrer host, visitor hash (not the IP), counted, cookie', async () => {
    const queue = track(new ClickQueue(db));
    const r = await recordReferral(db, queue, visit({ code: 'maya', to: '/posts/autumn-capsule-wardrobe?utm_source=ig' }));
    expect(r).toMatchObject({ ok: true, creator: maya, target: '/posts/autumn-capsule-wardrobe?utm_source=ig', post: 'autumn-capsule-wardrobe', counted: true, setCookie: true, uaClass: 'browser', queued: true });
    await queue.flush();
    const [row] = await clickRows(maya.id);
    expect(row).toMatchObject({ post: 'autumn-capsule-wardrobe', uaClass: 'browser', referrerHost: 'www.instagram.com', counted: true, at: T0 });
    expect(row!.id).toBe(r.ok && r.clickId);
    expect(row!.visitorHash).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(row)).not.toContain('203.0.113');
    expect(await dailyCount(maya.id, 'autumn-capsule-wardrobe')).toBe(1);
  });

  it('an off-site, unknown-post or missing target falls back to the creator page', async () => {
    const queue = track(new ClickQueue(db));
    for (const to of ['https://evil.example', '//evil.example', '/%2F%2Fevil.example', null]) {
      const r = await recordReferral(db, queue, visit({ to, ip: `198.51.100.${Math.floor(Math.random() * 200)}` }));
      expect(r).toMatchObject({ ok: true, target: '/creators/maya-okafor', post: null });
    }
    const r = await recordReferral(db, queue, visit({ to: '/posts/not-a-post', ip: '198.51.100.250' }));
    expect(r).toMatchObject({ ok: true, target: '/posts/not-a-post', post: null });
    await queue.flush();
  });

  it('bots and link previews are recorded as such, never counted, and get no cookie', async () => {
    const queue = track(new ClickQueue(db));
    const agents = ['facebookexternalhit/1.1', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'Mozilla/5.0 (compatible; Googlebot/2.1)', 'curl/8.5.0', null];
    for (const userAgent of agents) {
      const r = await recordReferral(db, queue, visit({ userAgent, to: '/posts/first-frost-layers' }));
      expect(r).toMatchObject({ ok: true, counted: false, setCookie: false });
    }
    await queue.flush();
    const rows = await clickRows(maya.id);
    expect(rows.map((r) => r.uaClass)).toEqual(['preview', 'preview', 'bot', 'bot', 'bot']);
    expect(rows.every((r) => !r.counted)).toBe(true);
    expect(await dailyCount(maya.id, 'first-frost-layers')).toBe(0);
    // A bot's visit does not use up a person's first count either.
    expect(await recordReferral(db, queue, visit({ to: '/posts/first-frost-layers' }))).toMatchObject({ counted: true });
    await queue.flush();
    expect(await dailyCount(maya.id, 'first-frost-layers')).toBe(1);
  });
});

describe('dedupe: repeats from one visitor within 30 minutes count once', () => {
  it('within one batch; the cookie is still refreshed for the repeats', async () => {
    const queue = track(new ClickQueue(db));
    const results = [];
    for (const dt of [0, 1, 10, 29]) results.push(await recordReferral(db, queue, visit({ now: T0 + dt * MIN })));
    expect(results.map((r) => r.ok && r.counted)).toEqual([true, false, false, false]);
    expect(results.every((r) => r.ok && r.setCookie)).toBe(true);
    await queue.flush();
    expect(await clickRows(maya.id)).toHaveLength(4);
    expect(await dailyCount(maya.id)).toBe(1);
  });

  it('across a batch boundary, and through the database for a fresh process (a restart or another instance)', async () => {
    const queue = track(new ClickQueue(db));
    expect(await recordReferral(db, queue, visit({ now: T0 }))).toMatchObject({ counted: true });
    await queue.flush();
    expect(await recordReferral(db, queue, visit({ now: T0 + 5 * MIN }))).toMatchObject({ counted: false });
    const restarted = track(new ClickQueue(db)); // knows nothing in memory: only the database can tell
    expect(await recordReferral(db, restarted, visit({ now: T0 + 6 * MIN }))).toMatchObject({ counted: false });
    await Promise.all([queue.flush(), restarted.flush()]);
    expect(await dailyCount(maya.id)).toBe(1);
  });

  it('a click still being written (in flight) is seen', async () => {
    const queue = track(new ClickQueue(db));
    await recordReferral(db, queue, visit({ now: T0 }));
    const flushing = queue.flush(); // the batch is now in flight, not yet committed
    expect(await recordReferral(db, queue, visit({ now: T0 + MIN }))).toMatchObject({ counted: false });
    await flushing;
    await queue.flush();
    expect(await dailyCount(maya.id)).toBe(1);
  });

  it('20 simultaneous clicks from one visitor count once', async () => {
    const queue = track(new ClickQueue(db));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => recordReferral(db, queue, visit({ now: T0 + i }))));
    expect(results.filter((r) => r.ok && r.counted)).toHaveLength(1);
    await queue.flush();
    expect(await dailyCount(maya.id)).toBe(1);
  });

  it('counts again after the window; another visitor or another creator counts at once', async () => {
    const queue = track(new ClickQueue(db));
    const counted = async (over: Partial<ReferralInput>) => {
      const r = await recordReferral(db, queue, visit(over));
      return r.ok && r.counted;
    };
    expect(await counted({ now: T0 })).toBe(true);
    expect(await counted({ now: T0 + 20 * MIN })).toBe(false);
    // The window runs from the last COUNTED click: a repeat does not extend it.
    expect(await counted({ now: T0 + DEDUPE_WINDOW_MS })).toBe(true);
    expect(await counted({ now: T0 + 1, ip: '203.0.113.8' })).toBe(true);
    // Another user agent from the same address is the same visitor (the client picks its user agent).
    expect(await counted({ now: T0 + 2, userAgent: CHROME.replace('131', '130') })).toBe(false);
    expect(await counted({ now: T0 + 1, code: 'JULES' })).toBe(true);
    await queue.flush();
    expect(await dailyCount(maya.id)).toBe(3);
    expect(await dailyCount(jules.id)).toBe(1);
  });

  it('50 clicks from one address with 50 different browser user agents count once', async () => {
    const queue = track(new ClickQueue(db));
    const results = [];
    for (let i = 0; i < 50; i++) {
      const userAgent = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${70 + i}.0.0.0 Safari/537.36`;
      results.push(await recordReferral(db, queue, visit({ now: T0 + i * 1000, userAgent })));
    }
    expect(results.every((r) => r.ok && r.uaClass === 'browser')).toBe(true);
    expect(results.filter((r) => r.ok && r.counted)).toHaveLength(1);
    await queue.flush();
    expect(await dailyCount(maya.id)).toBe(1);
  });

  it('an IPv6 client counts once per /64, whichever address of it it uses', async () => {
    const queue = track(new ClickQueue(db));
    const results = [];
    for (let i = 1; i <= 10; i++) results.push(await recordReferral(db, queue, visit({ now: T0 + i, ip: `2001:db8:7:9::${i.toString(16)}` })));
    expect(results.filter((r) => r.ok && r.counted)).toHaveLength(1);
    expect(await recordReferral(db, queue, visit({ now: T0 + 20, ip: '2001:db8:7:a::1' }))).toMatchObject({ counted: true });
  });
});

describe('the click queue', () => {
  const click = (over: Partial<ClickRecord> = {}): ClickRecord => ({
    id: newClickId(),
    creatorId: maya.id,
    post: null,
    target: '/creators/maya-okafor',
    visitorHash: newClickId() + newClickId().slice(0, 8),
    uaClass: 'browser',
    referrerHost: null,
    counted: true,
    at: T0,
    ...over,
  });

  it('a flush writes clicks and click_daily in ONE transaction', async () => {
    const queue = track(new ClickQueue(db));
    queue.enqueue(click({ post: 'autumn-capsule-wardrobe' }));
    queue.enqueue(click({ post: 'autumn-capsule-wardrobe' }));
    queue.enqueue(click());
    queue.enqueue(click({ counted: false }));
    queue.enqueue(click({ creatorId: jules.id, at: T0 + 86_400_000 }));
    const before = transactions;
    await queue.flush();
    expect(transactions - before).toBe(1);
    expect(await db.select({ n: sql<number>`count(*)` }).from(clicks).get()).toEqual({ n: 5 });
    expect(await dailyCount(maya.id, 'autumn-capsule-wardrobe')).toBe(2);
    expect(await dailyCount(maya.id)).toBe(1);
    expect(await dailyCount(jules.id, '', utcDay(T0) + 1)).toBe(1);
    // Upserts add to the day's row.
    queue.enqueue(click({ post: 'autumn-capsule-wardrobe' }));
    await queue.flush();
    expect(await dailyCount(maya.id, 'autumn-capsule-wardrobe')).toBe(3);
    expect(queue.stats).toMatchObject({ written: 6, transactions: 2, dropped: 0 });
  });

  it('all or nothing: a failing rollup write rolls the clicks back, and the batch is retried', async () => {
    const queue = track(new ClickQueue(db));
    queue.enqueue(click());
    queue.enqueue(click({ counted: false }));
    await base.$client.execute("CREATE TRIGGER fail_daily BEFORE INSERT ON click_daily BEGIN SELECT RAISE(ABORT, 'rollup down'); END");
    try {
      await expect(queue.flush()).rejects.toThrow();
      expect(await clickRows(maya.id)).toHaveLength(0);
      expect(queue.pending).toBe(2);
    } finally {
      await base.$client.execute('DROP TRIGGER fail_daily');
    }
    await queue.flush();
    expect(await clickRows(maya.id)).toHaveLength(2);
    expect(await dailyCount(maya.id)).toBe(1);
    expect(queue.stats).toMatchObject({ failures: 1, written: 2 });
  });

  it('writing the same batch twice (a retry after a lost commit answer) counts once', async () => {
    const batch = [click(), click({ post: 'first-frost-layers' })];
    expect(await writeClicks(db, batch)).toBe(2);
    expect(await writeClicks(db, batch)).toBe(0);
    expect(await dailyCount(maya.id)).toBe(1);
    expect(await dailyCount(maya.id, 'first-frost-layers')).toBe(1);
  });

  it('1 000 clicks arriving at once are written in a few transactions', async () => {
    const queue = track(new ClickQueue(db));
    for (let i = 0; i < 1000; i++) queue.enqueue(click({ creatorId: i % 2 ? maya.id : jules.id, post: i % 3 ? 'autumn-capsule-wardrobe' : null }));
    const before = transactions;
    await queue.flush();
    const used = transactions - before;
    expect(used).toBe(2); // at most 500 per transaction
    expect(await db.select({ n: sql<number>`count(*)` }).from(clicks).get()).toEqual({ n: 1000 });
    expect(await db.select({ n: sql<number>`sum(clicks)` }).from(clickDaily).get()).toEqual({ n: 1000 });
  });

  it('flushes by itself: on the timer, and at once when 100 clicks wait', async () => {
    const timed = track(new ClickQueue(db, { intervalMs: 20 }));
    timed.enqueue(click());
    await vi.waitFor(async () => expect(await clickRows(maya.id)).toHaveLength(1), { timeout: 5000 });

    // An hour-long interval: only the batch size can trigger this flush. On fake timers, 99 clicks
    // wait out 59 minutes unwritten; the 100th starts a flush at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const bySize = track(new ClickQueue(db, { intervalMs: 3_600_000 }));
    try {
      for (let i = 0; i < 99; i++) bySize.enqueue(click({ creatorId: jules.id }));
      await vi.advanceTimersByTimeAsync(59 * 60_000);
      expect(bySize.stats.transactions).toBe(0);
      expect(bySize.pending).toBe(99);
      expect(await clickRows(jules.id)).toHaveLength(0);
      bySize.enqueue(click({ creatorId: jules.id }));
      await vi.advanceTimersByTimeAsync(0);
    } finally {
      vi.useRealTimers();
    }
    await vi.waitFor(async () => expect(await clickRows(jules.id)).toHaveLength(100), { timeout: 5000 });
    timed.close();
    bySize.close();
  });

  it('memory is bounded while the database is down: new items are dropped and counted', async () => {
    let down = true;
    const written: number[] = [];
    const queue = new BatchWriter<number>(
      async (items) => {
        if (down) throw new Error('database unavailable');
        written.push(...items);
      },
      { maxQueued: 50, intervalMs: 3_600_000, onError: () => {} },
    );
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (let i = 0; i < 60; i++) queue.enqueue(i);
      await expect(queue.flush()).rejects.toThrow('database unavailable');
      expect(queue.pending).toBe(50);
      expect(queue.enqueue(99)).toBe(false);
      expect(queue.stats.dropped).toBe(11);
      expect(spy).toHaveBeenCalledTimes(1); // the outage is logged once, not per click
    } finally {
      spy.mockRestore();
    }
    down = false;
    await queue.flush();
    expect(written).toEqual(Array.from({ length: 50 }, (_, i) => i)); // oldest kept, in order
    queue.close();
  });
});

describe('card events', () => {
  const cards = new Map<string, PostCards>([
    ['autumn-capsule-wardrobe', { creator: 'maya-okafor', positions: new Set([0, 1, 2]) }],
    ['ghost-post', { creator: 'nobody-here', positions: new Set([0]) }],
  ]);
  const lookup = (post: string) => cards.get(post);
  const parse = (body: unknown) => parseCardEvents(body, lookup, T0);
  async function cardRow(card: number) {
    return db
      .select({ views: cardDaily.views, clicks: cardDaily.clicks, adds: cardDaily.adds })
      .from(cardDaily)
      .where(and(eq(cardDaily.creatorId, maya.id), eq(cardDaily.post, 'autumn-capsule-wardrobe'), eq(cardDaily.card, card), eq(cardDaily.day, utcDay(T0))))
      .get();
  }

  it('refuses bad bodies with a reason (and they never reach the queue)', () => {
    const post = 'autumn-capsule-wardrobe';
    const bad: [unknown, string][] = [
      [null, 'invalid'],
      ['text', 'invalid'],
      [{ post }, 'invalid'],
      [{ post, events: [] }, 'invalid'],
      [{ post, events: [{ card: 0, kind: 'add' }] }, 'invalid'],
      [{ post, events: [{ card: '0', kind: 'view' }] }, 'invalid'],
      [{ post, events: [{ card: 0.5, kind: 'view' }] }, 'invalid'],
      [{ post, events: [{ card: -1, kind: 'view' }] }, 'invalid'],
      [{ post, events: [{ card: 0, kind: 'view', extra: 1 }] }, 'invalid'],
      [{ post, events: [{ card: 0, kind: 'view' }], creator: 'jules-laurent' }, 'invalid'],
      [{ post, events: Array.from({ length: MAX_CARD_EVENTS + 1 }, () => ({ card: 0, kind: 'view' })) }, 'invalid'],
      [{ post: '../etc', events: [{ card: 0, kind: 'view' }] }, 'invalid'],
      [{ post: 'no-such-post', events: [{ card: 0, kind: 'view' }] }, 'unknown_post'],
      [{ post, events: [{ card: 0, kind: 'view' }, { card: 3, kind: 'click' }] }, 'unknown_card'],
    ];
    for (const [body, reason] of bad) expect(parse(body), JSON.stringify(body)).toMatchObject({ ok: false, reason });
  });

  it('counts views and clicks per card and day in card_daily, next to the bag’s adds', async () => {
    // The bag already counted an add on card 1 today.
    await base.insert(cardDaily).values({ creatorId: maya.id, post: 'autumn-capsule-wardrobe', card: 1, day: utcDay(T0), adds: 1 });
    const queue = track(new CardEventQueue(db));
    const a = parse({
      post: 'autumn-capsule-wardrobe',
      events: [
        { card: 0, kind: 'view' },
        { card: 1, kind: 'view' },
        { card: 1, kind: 'view' }, // the same card twice in one page view: once
        { card: 1, kind: 'click' },
      ],
    });
    const b = parse({ post: 'autumn-capsule-wardrobe', events: [{ card: 1, kind: 'view' }, { card: 2, kind: 'click' }] });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    queue.enqueueAll(a.tallies);
    queue.enqueueAll(b.tallies);
    const before = transactions;
    await queue.flush();
    expect(transactions - before).toBe(1);
    expect(await cardRow(0)).toEqual({ views: 1, clicks: 0, adds: 0 });
    expect(await cardRow(1)).toEqual({ views: 2, clicks: 1, adds: 1 });
    expect(await cardRow(2)).toEqual({ views: 0, clicks: 1, adds: 0 });
  });

  it('50 beacons from one visitor for the same card add one view (and one click), not 50', async () => {
    const queue = track(new CardEventQueue(db));
    const beacon = parse({ post: 'autumn-capsule-wardrobe', events: [{ card: 0, kind: 'view' }, { card: 0, kind: 'click' }] });
    if (!beacon.ok) throw new Error('expected a valid body');
    const counted: number[] = [];
    for (let i = 0; i < 50; i++) counted.push(queue.enqueueFrom('ip:203.0.113.7', beacon.tallies, T0 + i * 1000));
    expect(counted[0]).toBe(2);
    expect(counted.slice(1).every((n) => n === 0)).toBe(true);
    // Another card of the same visitor, and the same card for another visitor, count at once.
    const other = parse({ post: 'autumn-capsule-wardrobe', events: [{ card: 1, kind: 'view' }] });
    if (!other.ok) throw new Error('expected a valid body');
    expect(queue.enqueueFrom('ip:203.0.113.7', other.tallies, T0 + 60_000)).toBe(1);
    expect(queue.enqueueFrom('ip:198.51.100.2', beacon.tallies, T0 + 60_000)).toBe(2);
    await queue.flush();
    expect(await cardRow(0)).toEqual({ views: 2, clicks: 2, adds: 0 });
    expect(await cardRow(1)).toEqual({ views: 1, clicks: 0, adds: 0 });
  });

  it('a visitor’s view of a card counts again once the window has passed', async () => {
    const queue = track(new CardEventQueue(db, { windowMs: DEDUPE_WINDOW_MS }));
    const beacon = parse({ post: 'autumn-capsule-wardrobe', events: [{ card: 2, kind: 'view' }] });
    if (!beacon.ok) throw new Error('expected a valid body');
    expect(queue.enqueueFrom('ip:203.0.113.7', beacon.tallies, T0)).toBe(1);
    expect(queue.enqueueFrom('ip:203.0.113.7', beacon.tallies, T0 + DEDUPE_WINDOW_MS - 1)).toBe(0);
    expect(queue.enqueueFrom('ip:203.0.113.7', beacon.tallies, T0 + DEDUPE_WINDOW_MS)).toBe(1);
    await queue.flush();
    expect(await cardRow(2)).toEqual({ views: 2, clicks: 0, adds: 0 });
  });

  it('skips tallies whose creator has no row, without failing the batch', async () => {
    const queue = track(new CardEventQueue(db));
    const ghost = parse({ post: 'ghost-post', events: [{ card: 0, kind: 'view' }] });
    const real = parse({ post: 'autumn-capsule-wardrobe', events: [{ card: 0, kind: 'view' }] });
    if (!ghost.ok || !real.ok) throw new Error('expected valid bodies');
    queue.enqueueAll([...ghost.tallies, ...real.tallies]);
    await queue.flush();
    expect(await db.select({ n: sql<number>`count(*)` }).from(cardDaily).get()).toEqual({ n: 1 });
    expect(await cardRow(0)).toEqual({ views: 1, clicks: 0, adds: 0 });
  });
});
