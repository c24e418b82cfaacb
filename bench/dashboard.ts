/**
 * `npm run bench:dashboard [-- --runs 100] [--rounds 3] [--range 30] [--clicks 1000000] [--lines 100000] [--json out.json] [--keep]`
 *
 * Do the creator dashboard's reads stay fast as the shop's history grows?
 *
 * Seeds two synthetic shops into temp databases (migrated like production, WAL, the app's own
 * `openDb`), with big multi-row INSERTs in batched write transactions through `db.$client.batch`
 * (progress on stderr), then runs every read of src/server/commissions/dashboard.ts — and the whole
 * `loadDashboard`, and both CSV exports — `--runs` times per round (after 5 warm-ups; sizes
 * interleaved; the median of `--rounds` rounds) for ONE busy creator and one range (the last
 * `--range` days), and prints p50/p95 per read at both sizes.
 *
 * The two shops: every creator does the same business per day in both — so the busy creator's
 * dashboard window holds the same data — while the history and the number of creators grow:
 *   small  60 days of history,   5 creators,  ~21k clicks,  ~2.1k credited order lines;
 *   large 365 days of history,  50 creators,    1M clicks,  100k credited order lines
 *         (plus 20% unattributed lines, self-referrals, refunds with reversals, overrides for
 *         invited creators, monthly payouts), with the click_daily / card_daily rollups that match.
 * A read whose cost follows the window shows about the same time at both sizes; one that follows
 * the size of the history or the number of other creators shows up as a ratio well above 1.
 *
 * Budget per read: p95 ≤ 50 ms at the large size AND ≤ 2 × its p95 at the small size.
 * Exit status 0 whether the budget passes or not (PASS/FAIL is printed); 1 if anything breaks.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { InStatement } from '@libsql/client';
import { migrateDb, openDb, type Db } from '../src/server/db.ts';
import { insertProduct } from '../db/factories/factories.ts';
import { presetRange, type DashboardRange } from '../src/server/commissions/index.ts';
import * as dash from '../src/server/commissions/index.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    range: { type: 'string', default: '30' },
    clicks: { type: 'string', default: '1000000' },
    lines: { type: 'string', default: '100000' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const DAY = 86_400_000;
const RUNS = Number(args.runs);
const ROUNDS = Number(args.rounds);
const RANGE_DAYS = Number(args.range) as 7 | 30 | 90;
const BUDGET = { p95Ms: 50, ratio: 2 };
const BUSY = 1;
const CARDS_PER_POST = 6;
const POST_EVERY_DAYS = 45;
const POST_ACTIVE_DAYS = 60;
const RATE_BPS = 1000;
const LOCK_DAYS = 30;
const THRESHOLD = 2500;
/**
 * Every creator does the same business per day at both sizes: the busy one 5% of the large shop,
 * each of the others an equal share of the rest. The small shop is the same creators' business
 * over 60 days with 4 other creators instead of 49.
 */
const LARGE = { days: 365, creators: 50, clicks: Number(args.clicks), lines: Number(args.lines) };
const BUSY_CLICKS_PER_DAY = (LARGE.clicks * 0.05) / LARGE.days;
const BUSY_LINES_PER_DAY = (LARGE.lines * 0.05) / LARGE.days;
const perOther = (total: number) => (total * 0.95) / (LARGE.creators - 1) / LARGE.days;
const SMALL = {
  days: 60,
  creators: 5,
  clicks: Math.round(60 * (BUSY_CLICKS_PER_DAY + 4 * perOther(LARGE.clicks))),
  lines: Math.round(60 * (BUSY_LINES_PER_DAY + 4 * perOther(LARGE.lines))),
};
if (![7, 30, 90].includes(RANGE_DAYS) || !(RUNS >= 5) || !(ROUNDS >= 1)) throw new Error('--range must be 7, 30 or 90, --runs at least 5, --rounds at least 1');

interface Size {
  name: 'small' | 'large';
  days: number;
  creators: number;
  clicks: number;
  lines: number;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    /** A whole number with mean `x` (randomised rounding). */
    round: (x: number) => Math.floor(x) + (next() < x - Math.floor(x) ? 1 : 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Progress and batched inserts

class Progress {
  private done = 0;
  private last = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}
  add(n: number) {
    this.done += n;
    const now = Date.now();
    if (now - this.last < 150 && this.done < this.total) return;
    this.last = now;
    const width = 30;
    const f = Math.min(1, this.done / Math.max(1, this.total));
    const bar = '#'.repeat(Math.round(f * width)).padEnd(width, '.');
    process.stderr.write(`\r  ${this.label.padEnd(22)} [${bar}] ${(f * 100).toFixed(0).padStart(3)}%  ${this.done.toLocaleString('en-US')} rows`);
    if (this.done >= this.total) process.stderr.write('\n');
  }
}

type Row = (string | number | null)[];

/** Buffers rows and writes them as multi-row INSERTs, ~`txRows` rows per write transaction. */
class Inserter {
  private rows: Row[] = [];
  private readonly perStatement: number;
  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly progress: Progress,
    private readonly txRows = 25_000,
  ) {
    this.perStatement = Math.max(1, Math.floor(30_000 / columns.length)); // SQLite's variable limit is 32 766
  }
  async push(row: Row) {
    this.rows.push(row);
    if (this.rows.length >= this.txRows) await this.flush();
  }
  async flush() {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    const stmts: InStatement[] = [];
    const one = `(${this.columns.map(() => '?').join(',')})`;
    for (let i = 0; i < rows.length; i += this.perStatement) {
      const chunk = rows.slice(i, i + this.perStatement);
      stmts.push({ sql: `insert into ${this.table} (${this.columns.join(',')}) values ${chunk.map(() => one).join(',')}`, args: chunk.flat() });
    }
    await this.db.$client.batch(stmts, 'write');
    this.progress.add(rows.length);
  }
}

// ---------------------------------------------------------------------------------------------
// The synthetic shop

interface Line {
  id: number;
  orderId: number;
  creator: number | null;
  source: 'post' | 'code' | 'link' | 'none' | 'excluded';
  post: string | null;
  card: number | null;
  sourceCreator: number | null;
  net: number;
  paidAt: number;
  refunded: boolean;
  /** The order_lines row as inserted. */
  row: Row;
}

async function seed(db: Db, size: Size, end: number): Promise<{ rows: Record<string, number> }> {
  const r = rng(size.name === 'small' ? 11 : 7);
  const start = end - size.days * DAY;
  const dayOf = (t: number) => Math.floor(t / DAY);
  const firstDay = dayOf(start);
  const creators = Array.from({ length: size.creators }, (_, i) => i + 1);
  const others = creators.filter((c) => c !== BUSY);
  const invited = new Set([2, 3, 4].filter((c) => c <= size.creators));
  const joinedAt = (c: number) => (invited.has(c) ? end - 120 * DAY : start - 400 * DAY);
  /** A creator's posts: one every 45 days (offset per creator), each active for 60 days. */
  const activePosts = (c: number, day: number): string[] => {
    const out: string[] = [];
    const offset = (c * 7) % POST_EVERY_DAYS;
    for (let k = Math.floor((day - firstDay - offset) / POST_EVERY_DAYS); k >= -2; k--) {
      const published = firstDay + offset + k * POST_EVERY_DAYS;
      if (day - published >= POST_ACTIVE_DAYS) break;
      if (day >= published) out.push(`c${c}-post-${k + 2}`);
    }
    return out;
  };
  const counts: Record<string, number> = {};

  // Catalog, creators, logins, personal codes (small tables: the app's own factories / plain inserts).
  const products: Awaited<ReturnType<typeof insertProduct>>[] = [];
  for (let i = 0; i < 20; i++) {
    products.push(
      await insertProduct(db, {
        slug: `bench-product-${i}`,
        name: `Bench Product ${i}`,
        brand: 'bench-brand',
        category: 'bench',
        description: 'Synthetic.',
        image: '/images/products/placeholder.svg',
        variants: [{ sku: `BENCH-${i}`, size: 'M', priceCents: 2900 + i * 700, stock: 1_000_000 }],
      }),
    );
  }
  await db.$client.batch(
    [
      ...creators.map((c) => ({
        sql: 'insert into creators (id, handle, display_name, created_at, referral_code, invited_by_creator_id) values (?, ?, ?, ?, ?, ?)',
        args: [c, `creator-${c}`, `Creator ${c}`, joinedAt(c), `C${c}`, invited.has(c) ? BUSY : null],
      })),
      ...creators.map((c) => ({ sql: "insert into users (email, password_hash, role, creator_id, created_at) values (?, 'x', 'creator', ?, ?)", args: [`c${c}@creators.bench`, c, start] })),
      ...creators.map((c) => ({ sql: "insert into coupons (id, code, kind, percent_off, creator_id, created_at) values (?, ?, 'percent', 15, ?, ?)", args: [c, `C${c}15`, c, start] })),
    ],
    'write',
  );

  // Clicks (raw, 1M at the large size) and their click_daily rollup.
  const clickDaily = new Map<string, number>();
  {
    const p = new Progress(`${size.name}: clicks`, size.clicks);
    const ins = new Inserter(db, 'clicks', ['id', 'creator_id', 'post', 'target', 'visitor_hash', 'ua_class', 'referrer_host', 'counted', 'at'], p);
    const busyTotal = Math.min(size.clicks, Math.round(BUSY_CLICKS_PER_DAY * size.days));
    const othersPerDay = (size.clicks - busyTotal) / size.days;
    let n = 0;
    for (let d = 0; d < size.days && n < size.clicks; d++) {
      const day = firstDay + d;
      const today = [...Array(r.round(BUSY_CLICKS_PER_DAY)).fill(BUSY), ...Array.from({ length: r.round(othersPerDay) }, () => others[r.int(others.length)]!)];
      if (d === size.days - 1) while (n + today.length < size.clicks) today.push(others.length ? others[r.int(others.length)]! : BUSY);
      for (const c of today) {
        if (n >= size.clicks) break;
        const posts = activePosts(c, day);
        const post = posts.length && r.next() < 0.8 ? posts[r.int(posts.length)]! : null;
        const ua = r.next() < 0.9 ? 'browser' : r.next() < 0.5 ? 'bot' : 'preview';
        const counted = ua === 'browser' && r.next() < 0.9 ? 1 : 0;
        const at = day * DAY + r.int(DAY);
        await ins.push([`k${(n++).toString(36).padStart(8, '0')}${size.name[0]}`, c, post, post ? `/posts/${post}` : `/creators/creator-${c}`, `v${r.int(200_000)}`, ua, r.next() < 0.5 ? 'instagram.com' : null, counted, at]);
        if (counted) {
          const k = `${c}|${day}|${post ?? ''}`;
          clickDaily.set(k, (clickDaily.get(k) ?? 0) + 1);
        }
      }
    }
    await ins.flush();
    counts.clicks = n;
  }
  {
    const p = new Progress(`${size.name}: click_daily`, clickDaily.size);
    const ins = new Inserter(db, 'click_daily', ['creator_id', 'day', 'post', 'clicks'], p);
    for (const [k, v] of clickDaily) {
      const [c, day, post] = k.split('|');
      await ins.push([Number(c), Number(day), post!, v]);
    }
    await ins.flush();
    counts.click_daily = clickDaily.size;
  }

  // Card views / clicks / add-to-bags per post, card and day (card_daily).
  {
    const rows: Row[] = [];
    for (const c of creators) {
      for (let d = 0; d < size.days; d++) {
        const day = firstDay + d;
        for (const post of activePosts(c, day)) {
          for (let card = 0; card < CARDS_PER_POST; card++) {
            const views = r.round((c === BUSY ? 30 : 10) * (0.5 + r.next()));
            if (views === 0) continue;
            rows.push([c, post, card, day, views, r.round(views * 0.12), r.round(views * 0.01)]);
          }
        }
      }
    }
    const p = new Progress(`${size.name}: card_daily`, rows.length);
    const ins = new Inserter(db, 'card_daily', ['creator_id', 'post', 'card', 'day', 'views', 'clicks', 'adds'], p);
    for (const row of rows) await ins.push(row);
    await ins.flush();
    counts.card_daily = rows.length;
  }

  // Orders and lines: credited (post 60%, code 20%, link 20%), unattributed (+20%), self-referrals.
  const lines: Line[] = [];
  const orderRows: Row[] = [];
  const redemptions: Row[] = [];
  {
    const busyTotal = Math.min(size.lines, Math.round(BUSY_LINES_PER_DAY * size.days));
    const othersPerDay = (size.lines - busyTotal) / size.days;
    const nonePerDay = (size.lines * 0.2) / size.days;
    let credited = 0;
    let orderId = 0;
    let lineId = 0;
    const addOrder = (c: number | null, day: number, want: number) => {
      const id = ++orderId;
      const paidAt = day * DAY + r.int(DAY);
      const selfBuy = c !== null && r.next() < 0.005;
      const kind: Line['source'] = c === null ? 'none' : (['post', 'post', 'post', 'code', 'link'] as const)[r.int(5)]!;
      const posts = c === null ? [] : activePosts(c, day);
      const source: Line['source'] = kind === 'post' && posts.length === 0 ? 'code' : kind;
      // A code on a post-card order goes to someone else's code now and then: the post still wins.
      const useCode = source === 'code' ? c : source === 'post' && r.next() < 0.03 && others.length ? others[r.int(others.length)]! : null;
      const n = Math.min(want, r.next() < 0.5 ? 1 : 2);
      const refunded = r.next() < 0.05 && paidAt + 7 * DAY < end;
      let subtotal = 0;
      let discount = 0;
      for (let i = 0; i < n; i++) {
        const product = products[r.int(products.length)]!;
        const unit = 2900 + Number(product.slug.split('-').at(-1)) * 700;
        const qty = r.next() < 0.85 ? 1 : 2;
        const sub = unit * qty;
        const lineDiscount = useCode !== null ? Math.floor(sub * 0.15) : 0;
        subtotal += sub;
        discount += lineDiscount;
        const post = source === 'post' ? posts[r.int(posts.length)]! : null;
        const l: Line = {
          id: ++lineId,
          orderId: id,
          creator: selfBuy ? null : c,
          source: selfBuy ? 'excluded' : source,
          post,
          card: post ? r.int(CARDS_PER_POST) : null,
          sourceCreator: post ? c : null,
          net: sub - lineDiscount,
          paidAt,
          refunded,
          row: [],
        };
        lines.push(l);
        l.row = [
          l.id, id, product.variants[0]!.id, product.slug, product.variants[0]!.sku, `Bench Product ${product.slug.split('-').at(-1)}`, 'M',
          unit, qty, sub, lineDiscount, l.post, l.card, l.sourceCreator, refunded ? qty : 0, refunded ? l.net : 0,
          l.creator, l.source, source === 'post' ? post : source === 'code' ? `C${c}15` : source === 'link' ? `click-${id}` : null,
          `${l.source}: synthetic`, paidAt,
        ];
      }
      const shipping = 595;
      const total = subtotal - discount + shipping;
      orderRows.push([
        id, `BN-${size.name[0]}${id}`, selfBuy ? `c${c}@creators.bench` : `buyer${r.int(50_000)}@example.com`, refunded ? 'refunded' : 'paid', 'USD',
        subtotal, discount, shipping, total, refunded ? total : 0, useCode, useCode !== null ? `C${useCode}15` : null,
        'standard', 'Standard delivery', 'Bench Buyer', '1 Main St', 'Springfield', '12345', 'US', 'test', paidAt + 15 * 60_000,
        paidAt - 5 * 60_000, paidAt, paidAt, source === 'link' ? `click-${id}` : null, source === 'link' ? c : null, source === 'link' ? paidAt - DAY : null, useCode,
      ]);
      if (useCode !== null) redemptions.push([useCode, id, 'buyer@example.com', paidAt - 5 * 60_000]);
      return n;
    };
    for (let d = 0; d < size.days; d++) {
      const day = firstDay + d;
      let busy = r.round(BUSY_LINES_PER_DAY);
      while (busy > 0 && credited < size.lines) {
        const n = addOrder(BUSY, day, busy);
        busy -= n;
        credited += n;
      }
      let rest = d === size.days - 1 ? size.lines - credited : r.round(othersPerDay);
      while (rest > 0 && credited < size.lines && others.length) {
        const n = addOrder(others[r.int(others.length)]!, day, rest);
        rest -= n;
        credited += n;
      }
      let none = r.round(nonePerDay);
      while (none > 0) none -= addOrder(null, day, none);
    }
    const po = new Progress(`${size.name}: orders`, orderRows.length);
    const oi = new Inserter(
      db,
      'orders',
      ['id', 'number', 'email', 'status', 'currency', 'subtotal_cents', 'discount_cents', 'shipping_cents', 'total_cents', 'refunded_cents', 'coupon_id', 'coupon_code', 'shipping_method', 'shipping_label', 'ship_name', 'ship_line1', 'ship_city', 'ship_postcode', 'ship_country', 'provider', 'reservation_expires_at', 'created_at', 'updated_at', 'paid_at', 'ref_click_id', 'ref_creator_id', 'ref_clicked_at', 'code_creator_id'],
      po,
    );
    for (const row of orderRows) await oi.push(row);
    await oi.flush();
    const pl = new Progress(`${size.name}: order_lines`, lines.length);
    const li = new Inserter(
      db,
      'order_lines',
      ['id', 'order_id', 'variant_id', 'product_slug', 'sku', 'title', 'variant_label', 'unit_price_cents', 'qty', 'subtotal_cents', 'discount_cents', 'source_post', 'source_card', 'source_creator_id', 'refunded_qty', 'refunded_cents', 'credited_creator_id', 'attribution_source', 'attribution_ref', 'attribution_reason', 'paid_at'],
      pl,
    );
    for (const l of lines) await li.push(l.row);
    await li.flush();
    const pr = new Progress(`${size.name}: coupon_redemptions`, redemptions.length);
    const ri = new Inserter(db, 'coupon_redemptions', ['coupon_id', 'order_id', 'email', 'created_at'], pr);
    for (const row of redemptions) await ri.push(row);
    await ri.flush();
    counts.orders = orderRows.length;
    counts.order_lines = lines.length;
    counts.credited_lines = credited;
  }

  // The ledger: a sale per credited line, reversals for refunds, overrides for invited creators;
  // then monthly payouts that settle approved entries (paid, the last one still pending).
  {
    type Entry = { id: number; creator: number; amount: number; availableAt: number; row: Row };
    const entries: Entry[] = [];
    let id = 0;
    const add = (creator: number, kind: string, amount: number, base: number, rate: number, l: Line, source: number | null, availableAt: number, createdAt: number, note: string) => {
      const e = { id: ++id, creator, amount, availableAt, row: [0, creator, kind, amount, base, rate, l.orderId, l.id, source, availableAt, createdAt, note] as Row };
      e.row[0] = e.id;
      entries.push(e);
      return e;
    };
    for (const l of lines) {
      if (l.creator === null) continue;
      const amount = Math.floor((l.net * RATE_BPS) / 10_000);
      const availableAt = l.paidAt + LOCK_DAYS * DAY;
      const sale = add(l.creator, 'sale', amount, l.net, RATE_BPS, l, null, availableAt, l.paidAt, `10% of ${l.net} (${l.source})`);
      const refundAt = l.paidAt + 7 * DAY;
      if (l.refunded) add(l.creator, 'reversal', -amount, 0, 0, l, sale.id, availableAt, refundAt, 'Refund or dispute: commission reversed');
      if (invited.has(l.creator) && l.paidAt >= joinedAt(l.creator)) {
        const o = Math.floor(amount / 10);
        if (o > 0) {
          const ov = add(BUSY, 'override', o, amount, 1000, l, sale.id, availableAt, l.paidAt, `10% override on creator-${l.creator}'s commission`);
          if (l.refunded) add(BUSY, 'override_reversal', -o, 0, 0, l, ov.id, availableAt, refundAt, 'Refund or dispute: override reversed');
        }
      }
    }
    const pe = new Progress(`${size.name}: commission_entries`, entries.length);
    const ei = new Inserter(db, 'commission_entries', ['id', 'creator_id', 'kind', 'amount_cents', 'base_cents', 'rate_bps', 'order_id', 'order_line_id', 'source_entry_id', 'available_at', 'created_at', 'note'], pe);
    for (const e of entries) await ei.push(e.row);
    await ei.flush();

    const byCreator = new Map<number, Entry[]>();
    for (const e of entries) (byCreator.get(e.creator) ?? byCreator.set(e.creator, []).get(e.creator)!).push(e);
    for (const list of byCreator.values()) list.sort((a, b) => a.availableAt - b.availableAt || a.id - b.id);
    const cursor = new Map<number, number>();
    const batches: Row[] = [];
    const payoutRows: Row[] = [];
    const items: Row[] = [];
    let payoutId = 0;
    for (let t = start + 30 * DAY, b = 1; t <= end; t += 30 * DAY, b++) {
      batches.push([b, t, 'admin:bench', THRESHOLD]);
      for (const [c, list] of byCreator) {
        let i = cursor.get(c) ?? 0;
        let j = i;
        let sum = 0;
        while (j < list.length && list[j]!.availableAt <= t) sum += list[j++]!.amount;
        if (j === i || sum < THRESHOLD) continue;
        const pid = ++payoutId;
        const paid = t + 2 * DAY <= end;
        payoutRows.push([pid, b, c, sum, paid ? 'paid' : 'pending', paid ? `BANK-${pid}` : null, t, paid ? t + 2 * DAY : null]);
        for (; i < j; i++) items.push([pid, list[i]!.id]);
        cursor.set(c, j);
      }
    }
    const pp = new Progress(`${size.name}: payouts`, batches.length + payoutRows.length + items.length);
    for (const [table, cols, rows] of [
      ['payout_batches', ['id', 'created_at', 'created_by', 'threshold_cents'], batches],
      ['payouts', ['id', 'batch_id', 'creator_id', 'amount_cents', 'status', 'reference', 'created_at', 'paid_at'], payoutRows],
      ['payout_items', ['payout_id', 'entry_id'], items],
    ] as const) {
      const ins = new Inserter(db, table, cols, pp);
      for (const row of rows) await ins.push(row as Row);
      await ins.flush();
    }
    counts.commission_entries = entries.length;
    counts.payouts = payoutRows.length;
    counts.payout_items = items.length;
  }
  // No ANALYZE: the app never runs it, so the planner here works as it does in production.
  return { rows: counts };
}

// ---------------------------------------------------------------------------------------------
// Measuring

const READS: { name: string; run: (db: Db, range: DashboardRange, now: number) => Promise<unknown> }[] = [
  { name: 'creatorSummary', run: (db) => dash.creatorSummary(db, BUSY) },
  { name: 'clicksByDay', run: (db, range) => dash.clicksByDay(db, BUSY, range) },
  { name: 'clicksByPost', run: (db, range) => dash.clicksByPost(db, BUSY, range) },
  { name: 'cardInteractions', run: (db, range) => dash.cardInteractions(db, BUSY, range) },
  { name: 'salesByDay', run: (db, range) => dash.salesByDay(db, BUSY, range) },
  { name: 'salesTotals', run: (db, range) => dash.salesTotals(db, BUSY, range) },
  { name: 'salesByPost', run: (db, range) => dash.salesByPost(db, BUSY, range) },
  { name: 'salesByCard', run: (db, range) => dash.salesByCard(db, BUSY, range) },
  { name: 'topProducts', run: (db, range) => dash.topProducts(db, BUSY, range, dash.DASHBOARD_LIMITS.topProducts) },
  { name: 'creditedLines', run: (db, range) => dash.creditedLines(db, BUSY, range, { limit: dash.DASHBOARD_LIMITS.lines }) },
  { name: 'excludedLines', run: (db, range) => dash.excludedLines(db, BUSY, range, { limit: dash.DASHBOARD_LIMITS.excluded }) },
  { name: 'codeUsage', run: (db, range) => dash.codeUsage(db, BUSY, range, { limit: dash.DASHBOARD_LIMITS.codeOrders }) },
  { name: 'commissionBalances', run: (db, _range, now) => dash.commissionBalances(db, BUSY, now) },
  { name: 'ledgerInRange', run: (db, range) => dash.ledgerInRange(db, BUSY, range) },
  { name: 'ledgerEntries', run: (db, range, now) => dash.ledgerEntries(db, BUSY, range, now, { limit: dash.DASHBOARD_LIMITS.entries }) },
  { name: 'payoutHistory', run: (db) => dash.payoutHistory(db, BUSY, { limit: dash.DASHBOARD_LIMITS.payouts }) },
  { name: 'loadDashboard (all)', run: (db, range, now) => dash.loadDashboard(db, { creatorId: BUSY, range, now, siteUrl: 'https://shop.example', linkPath: '/posts/x' }) },
  { name: 'entries.csv', run: (db, range, now) => dash.entriesCsv(db, BUSY, range, now) },
  { name: 'posts.csv', run: (db, range) => dash.postsCsv(db, BUSY, range) },
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface Seeded {
  size: Size;
  db: Db;
  dir: string;
  file: string;
  rows: Record<string, number>;
  seedMs: number;
  bytes: number;
  busy: { lines: number; in_range: number; entries: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Each read runs on both databases in turn (small, large, small, …) after warm-ups, so that noise
 * from the machine (GC, other processes, the JIT) falls on both sizes alike; and in `--rounds`
 * separate rounds over all reads, reporting the median round's p50 and p95, so that one burst of
 * load from elsewhere on a shared machine does not decide a result.
 */
async function measure(dbs: Seeded[], range: DashboardRange, now: number) {
  const rounds = new Map<string, { p50: number[]; p95: number[] }[]>(READS.map((r) => [r.name, dbs.map(() => ({ p50: [], p95: [] }))]));
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`  round ${round + 1}/${ROUNDS}\n`);
    for (const read of READS) {
      for (const s of dbs) for (let i = 0; i < 5; i++) await read.run(s.db, range, now);
      const times: number[][] = dbs.map(() => []);
      for (let i = 0; i < RUNS; i++) {
        for (const [k, s] of dbs.entries()) {
          const t = performance.now();
          await read.run(s.db, range, now);
          times[k]!.push(performance.now() - t);
        }
      }
      for (const [k, t] of times.entries()) {
        t.sort((a, b) => a - b);
        rounds.get(read.name)![k]!.p50.push(pct(t, 50));
        rounds.get(read.name)![k]!.p95.push(pct(t, 95));
      }
    }
  }
  return new Map([...rounds].map(([name, perDb]) => [name, perDb.map((r) => ({ p50: median(r.p50), p95: median(r.p95) }))]));
}

async function seedSize(size: Size, end: number): Promise<Seeded> {
  const dir = mkdtempSync(join(tmpdir(), `lookbook-bench-dashboard-${size.name}-`));
  const file = join(dir, 'bench.db');
  const db = await openDb({ url: `file:${file}` });
  await migrateDb(db, resolve(import.meta.dirname, '../db/migrations'));
  process.stderr.write(`Seeding ${size.name} (${size.days} days, ${size.creators} creators, ${size.clicks.toLocaleString('en-US')} clicks, ${size.lines.toLocaleString('en-US')} credited lines) in ${file}\n`);
  const t0 = performance.now();
  const { rows } = await seed(db, size, end);
  const seedMs = performance.now() - t0;
  await db.$client.execute('pragma wal_checkpoint(truncate)');
  const bytes = statSync(file).size;
  process.stderr.write(`  seeded in ${(seedMs / 1000).toFixed(1)} s, ${(bytes / 1024 / 1024).toFixed(0)} MB\n`);
  const range = presetRange(RANGE_DAYS, end);
  const busy = await db.$client.execute({
    sql: 'select (select count(*) from order_lines where credited_creator_id = ?) as lines, (select count(*) from order_lines where credited_creator_id = ? and paid_at >= ? and paid_at < ?) as in_range, (select count(*) from commission_entries where creator_id = ?) as entries',
    args: [BUSY, BUSY, range.fromMs, range.toMs, BUSY],
  });
  return { size, db, dir, file, rows, seedMs, bytes, busy: busy.rows[0] as unknown as Seeded['busy'] };
}

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;

try {
  // The data ends "today" at noon UTC; the range is the last RANGE_DAYS days up to it.
  const end = Math.floor(Date.now() / DAY) * DAY + DAY / 2;
  const seeded = [await seedSize({ name: 'small', ...SMALL }, end), await seedSize({ name: 'large', ...LARGE }, end)];
  process.stderr.write(`Measuring ${READS.length} reads × ${RUNS} runs × ${ROUNDS} rounds on each size (interleaved)\n`);
  const results = await measure(seeded, presetRange(RANGE_DAYS, end), end);
  for (const s of seeded) {
    s.db.$client.close();
    if (!args.keep) rmSync(s.dir, { recursive: true, force: true });
  }
  const lines: string[] = [];
  const say = (s = '') => lines.push(s);
  say(`Creator dashboard reads — busy creator #${BUSY}, range: last ${RANGE_DAYS} days; ${RUNS} runs per size and round (sizes interleaved), median of ${ROUNDS} rounds`);
  for (const r of seeded) {
    say(
      `  ${r.size.name.padEnd(5)}: ${r.size.days} days, ${r.size.creators} creators; rows: ${Object.entries(r.rows).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}; ` +
        `busy creator: ${Number(r.busy.lines).toLocaleString('en-US')} lines (${Number(r.busy.in_range).toLocaleString('en-US')} in range), ${Number(r.busy.entries).toLocaleString('en-US')} ledger entries; seeded in ${(r.seedMs / 1000).toFixed(1)} s (${(r.bytes / 1024 / 1024).toFixed(0)} MB)${args.keep ? `; kept at ${r.file}` : ''}`,
    );
  }
  say();
  say(`${'read'.padEnd(22)} ${'small p50'.padStart(10)} ${'small p95'.padStart(10)} ${'large p50'.padStart(10)} ${'large p95'.padStart(10)} ${'p95 ratio'.padStart(9)}  budget`);
  const summary = [];
  let failures = 0;
  for (const read of READS) {
    const [s, l] = results.get(read.name)! as [{ p50: number; p95: number }, { p50: number; p95: number }];
    const ratio = l.p95 / s.p95;
    const pass = l.p95 <= BUDGET.p95Ms && ratio <= BUDGET.ratio;
    if (!pass) failures++;
    summary.push({ read: read.name, small: s, large: l, ratio, pass });
    say(`${read.name.padEnd(22)} ${ms(s.p50).padStart(10)} ${ms(s.p95).padStart(10)} ${ms(l.p50).padStart(10)} ${ms(l.p95).padStart(10)} ${`${ratio.toFixed(2)}×`.padStart(9)}  ${pass ? 'PASS' : 'FAIL'}${l.p95 > BUDGET.p95Ms ? ` (p95 > ${BUDGET.p95Ms} ms)` : ''}${ratio > BUDGET.ratio ? ` (> ${BUDGET.ratio}× small)` : ''}`);
  }
  say();
  say(`Budget: p95 ≤ ${BUDGET.p95Ms} ms at the large size and ≤ ${BUDGET.ratio}× the small size's p95 — ${failures === 0 ? 'PASS' : `FAIL (${failures} of ${READS.length})`}`);
  console.log(lines.join('\n'));
  if (args.json) {
    mkdirSync(dirname(resolve(args.json)), { recursive: true });
    writeFileSync(args.json, JSON.stringify({ range: RANGE_DAYS, runs: RUNS, rounds: ROUNDS, sizes: seeded.map(({ size, rows, seedMs, bytes, busy }) => ({ size, rows, seedMs, bytes, busy })), summary }, null, 2));
  }
} catch (err) {
  console.error(err);
  process.exit(1);
}
