/**
 * `npm run bench:content-scale [-- --posts 10000] [--duration 5] [--connections 10] [--warmup 1] [--rounds 3] [--no-build] [--only /path,…] [--cpu-prof dir] [--json out.json]`
 *
 * Do the reader lists stay small and fast at 10,000 posts? Seeds a fresh database (migrated and
 * seeded like production, then studio posts up to `--posts` together with the repository's file
 * posts: each one a published revision, written with the studio's own store functions, spread over
 * the four seeded creators, one hour apart), builds the site to its own directory
 * (tests/.tmp/scale-dist — never the e2e build's), starts the production server
 * (`scripts/serve.mjs`, NODE_ENV=production, the render cache in front) and, for each address:
 *   - probes it once (status, bytes, whether the render cache answered, and that first render's time),
 *   - loads it with autocannon in a child process (`--warmup` s, then `--duration` s, `--connections`),
 *     recording every response time, so p95 is exact (autocannon's own summary has no p95).
 * The addresses: /, /posts, /posts/page/200, a creator's page and its ?page=50 (not render-cached:
 * it has a query string), /rss.xml, /sitemap.xml (an index at this size) and its part 2.
 * `--rounds` passes over every address; an address's latency is its median round's (by p95, as in
 * bench/dashboard.ts: one burst of load from elsewhere on a shared box does not decide a result),
 * the worst round's p95 printed beside it. The server's resident memory (VmRSS of its process,
 * /proc/<pid>/status) is sampled every 200 ms: before the load, the peak, and after each round, so
 * a leak shows as RSS that keeps rising from round to round. The first round is the warm-up of the
 * heap (JIT, caches filling, V8 sizing its old space): flat means the last round ends within 10% or
 * 32 MB of the second.
 *
 * Budgets: every HTML page ≤ 60 KB; every address p95 ≤ 50 ms, no errors, no non-2xx; server RSS
 * ≤ 1 GB at its peak and flat. XML is not held to the HTML size (a sitemap part is 5,000 addresses
 * by design), but its size is printed. The load average is printed: on a shared box, read the
 * latencies with it.
 * Exit 0 whether the budgets pass or not (PASS/FAIL is printed); 1 if anything breaks.
 * Targets are 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eq, isNotNull } from 'drizzle-orm';
import { creators, users } from '../db/schema/index.ts';
import { openDb, type Db } from '../src/server/db.ts';
import { listProductSlugs } from '../src/server/catalog/index.ts';
import {
  bumpContentVersion,
  claimSlug,
  compileStudioMdx,
  insertRevision,
  insertStudioPost,
  writeDraft,
  writePublishState,
  POSTS_PER_PAGE,
  SITEMAP_MAX_URLS,
  type DraftFields,
  type PostKind,
} from '../src/server/content/index.ts';
import { buildSite, killGroup, killOnExit, ROOT, setupDatabase, startBuiltServer } from '../scripts/lib/serve-built.ts';

const SELF = import.meta.filename;
const OUT_DIR = 'tests/.tmp/scale-dist';
const BUDGET = { htmlBytes: 60 * 1024, p95Ms: 50, rssBytes: 1024 ** 3, rssGrowth: 0.1, rssSlackBytes: 32 * 1024 ** 2 };
const HOUR = 3_600_000;

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' }, // internal: main | load
    posts: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    /** Only these addresses (comma-separated paths), e.g. while profiling one. */
    only: { type: 'string' },
    /** Write the server's CPU profile (.cpuprofile) into this directory. */
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
    url: { type: 'string' }, // internal, for the load role
  },
});

function positive(name: string, value: string | undefined, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number in (0, ${max}]`);
  return n;
}

function assertLocal(url: string): void {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to load-test a non-127.0.0.1 target: ${url}`);
}

// ───────────────────────── child: autocannon ─────────────────────────

interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
type Instance = { on(event: 'response', cb: (client: unknown, status: number, bytes: number, ms: number) => void): void };
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, res: { errors: number; timeouts: number; non2xx: number; '2xx': number; start: Date; finish: Date }) => void) => Instance;

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);

async function loadRole(): Promise<void> {
  const url = args.url!;
  assertLocal(url);
  const connections = positive('connections', args.connections, 1000);
  const duration = positive('duration', args.duration, 600);
  const warmup = Number(args.warmup) || 0;
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const run = (seconds: number, times?: number[]) =>
    new Promise<Parameters<Parameters<Autocannon>[1]>[1]>((ok, fail) => {
      const inst = autocannon({ url, connections, duration: seconds, pipelining: 1, timeout: 10 }, (err, res) => (err ? fail(err) : ok(res)));
      if (times) inst.on('response', (_c, _s, _b, ms) => times.push(ms));
    });
  if (warmup > 0) await run(Math.min(warmup, 60));
  const times: number[] = [];
  const r = await run(duration, times);
  times.sort((a, b) => a - b);
  const seconds = (new Date(r.finish).getTime() - new Date(r.start).getTime()) / 1000 || duration;
  const result: LoadResult = {
    requests: times.length,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    rps: times.length / seconds,
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    p99: quantile(times, 0.99),
    max: times.at(-1) ?? 0,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

function runLoad(url: string, duration: number, connections: number, warmup: number): Promise<LoadResult> {
  assertLocal(url);
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', SELF, '--role', 'load', '--url', url, '--duration', String(duration), '--connections', String(connections), '--warmup', String(warmup)],
      { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    killOnExit(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => void killGroup(child, 1_000), (duration + warmup + 60) * 1000);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) ok(JSON.parse(line.slice('RESULT '.length)) as LoadResult);
      else fail(new Error(`load generator failed (${signal ?? `exit ${code}`}):\n${out}`));
    });
  });
}

// ───────────────────────── seeding ─────────────────────────

/** Non-draft file posts in src/content/posts (they count towards `--posts`). */
function filePostCount(): number {
  const dir = join(ROOT, 'src/content/posts');
  return readdirSync(dir).filter((f) => /\.mdx?$/.test(f) && !/^draft:\s*true\s*$/m.test(readFileSync(join(dir, f), 'utf8').split('\n---')[0] ?? '')).length;
}

const KINDS: PostKind[] = ['look', 'guide', 'review'];
const PER_TX = 250;

/**
 * `count` published studio posts, newest one hour before `now` and one hour apart, round-robin over
 * the seeded creators; each body prose and one product card (compiled once per product through the
 * studio's allow-list compiler). Writes go through the studio store, `PER_TX` posts a transaction.
 */
async function seedStudioPosts(db: Db, count: number, now: number): Promise<{ creators: string[] }> {
  const people = await db
    .select({ creatorId: creators.id, handle: creators.handle, userId: users.id })
    .from(creators)
    .innerJoin(users, eq(users.creatorId, creators.id))
    .where(isNotNull(users.creatorId))
    .orderBy(creators.id);
  if (people.length === 0) throw new Error('the seeded database has no creators with a login');
  const products = (await listProductSlugs(db)).filter((p) => p.active).slice(0, 8);
  const bodies = (products.length ? products : [{ slug: '' }]).map(({ slug }) => {
    const source = `A week of outfits built around one piece, and what it goes with.\n\n${slug ? `<ProductCard product="${slug}" />\n\n` : ''}Wear it twice before you decide; most things take a few days to settle in.\n`;
    const r = compileStudioMdx(source, { nextCard: 0, media: () => undefined, requireAlt: true });
    if (!r.ok) throw new Error(`bench body does not compile: ${r.problems.map((p) => p.message).join(' | ')}`);
    return { source: r.source, doc: r.doc, nextCard: r.nextCard, refs: r.refs.map((ref) => ({ ...ref, priceCents: null })) };
  });
  const started = Date.now();
  for (let from = 0; from < count; from += PER_TX) {
    await db.transaction(async (tx) => {
      for (let i = from; i < Math.min(count, from + PER_TX); i++) {
        const who = people[i % people.length]!;
        const body = bodies[i % bodies.length]!;
        const at = now - (i + 1) * HOUR;
        const fields: DraftFields = {
          title: `Scale post ${i + 1}: ${KINDS[i % 3]} notes`,
          slug: `scale-${String(i + 1).padStart(5, '0')}`,
          summary: `Synthetic post ${i + 1} of ${count} for the content-at-scale benchmark.`,
          kind: KINDS[i % 3]!,
          tags: ['bench'],
          heroMediaId: null,
          heroAlt: 'A placeholder cover',
          body: body.source,
        };
        const row = await insertStudioPost(tx, who.creatorId, at);
        await writeDraft(tx, row.id, fields, { draftVersion: row.draftVersion, nextCard: body.nextCard, now: at });
        const drafted = { ...row, title: fields.title, slug: fields.slug, summary: fields.summary, kind: fields.kind, tagsJson: JSON.stringify(fields.tags), heroAlt: fields.heroAlt, body: fields.body };
        const rev = await insertRevision(tx, drafted, { doc: body.doc, refs: body.refs, publishAt: at, userId: who.userId, now: at });
        await claimSlug(tx, fields.slug, row.id, at);
        await writePublishState(tx, row.id, { liveRevisionId: rev.id, firstPublishedAt: at, unpublishedAt: null, scheduledRevisionId: null, scheduledFor: null }, at);
      }
    });
    const done = Math.min(count, from + PER_TX);
    process.stderr.write(`\r  seeding studio posts ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')}`);
  }
  await bumpContentVersion(db);
  process.stderr.write(` (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return { creators: people.map((p) => p.handle) };
}

// ───────────────────────── memory ─────────────────────────

/** Resident set size of `pid` in bytes (Linux /proc), or 0 if it cannot be read. */
function rssOf(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

// ───────────────────────── main ─────────────────────────

interface Target {
  name: string;
  path: string;
  html: boolean;
}
interface Measured extends Target {
  status: number;
  bytes: number;
  firstMs: number;
  cache: string;
  runs: LoadResult[];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number) => `${(n / 1024 ** 2).toFixed(0)} MB`;
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

async function main(): Promise<void> {
  const total = Math.round(positive('posts', args.posts, 200_000));
  const duration = positive('duration', args.duration, 600);
  const connections = Math.round(positive('connections', args.connections, 1000));
  const warmup = Math.min(Number(args.warmup) || 0, 60);
  const rounds = Math.round(positive('rounds', args.rounds, 10));

  if (!args['no-build']) {
    console.log(`building (astro build → ${OUT_DIR}) …`);
    await buildSite({ outDir: OUT_DIR, verbose: false });
  }

  const tmp = mkdtempSync(join(tmpdir(), 'lookbook-scale-'));
  try {
    const databaseUrl = `file:${join(tmp, 'lookbook.db')}`;
    console.log('migrating and seeding a fresh database …');
    await setupDatabase(databaseUrl);
    const files = filePostCount();
    const studio = Math.max(0, total - files);
    const db = await openDb({ url: databaseUrl });
    let handles: string[];
    try {
      ({ creators: handles } = await seedStudioPosts(db, studio, Date.now()));
    } finally {
      db.$client.close();
    }
    console.log(`${(files + studio).toLocaleString('en-US')} posts: ${files} file posts + ${studio.toLocaleString('en-US')} studio posts over ${handles.length} creators`);

    const creator = handles[0]!;
    // Page 200 of /posts and page 50 of the creator's posts at 10,000 posts; a page that exists at fewer.
    const postsPage = Math.min(200, Math.max(2, Math.floor(total / POSTS_PER_PAGE)));
    const creatorPage = Math.min(50, Math.max(2, Math.floor(Math.ceil(studio / handles.length) / POSTS_PER_PAGE)));
    const targets: Target[] = [
      { name: 'home', path: '/', html: true },
      { name: 'posts index', path: '/posts', html: true },
      { name: 'posts page', path: `/posts/page/${postsPage}`, html: true },
      { name: 'creator', path: `/creators/${creator}`, html: true },
      { name: 'creator page', path: `/creators/${creator}?page=${creatorPage}`, html: true },
      { name: 'rss', path: '/rss.xml', html: false },
      { name: 'sitemap', path: '/sitemap.xml', html: false },
      // The sitemap is an index of parts once it lists more than 5,000 addresses.
      ...(total > SITEMAP_MAX_URLS ? [{ name: 'sitemap part 2', path: '/sitemaps/2.xml', html: false }] : []),
    ];

    if (args.only) {
      const only = new Set(args.only.split(','));
      targets.splice(0, targets.length, ...targets.filter((t) => only.has(t.path)));
      if (targets.length === 0) throw new Error(`--only matched none of the addresses`);
    }

    const profileDir = args['cpu-prof'] ? resolve(ROOT, args['cpu-prof']) : undefined;
    const server = await startBuiltServer({
      distDir: OUT_DIR,
      databaseUrl,
      setupDatabase: false,
      readyTimeoutMs: 60_000,
      ...(profileDir ? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } } : {}),
    });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 200);
    const measured: Measured[] = [];
    const rssAfterRound: number[] = [];
    let rssBefore = 0;
    let loadStart = loadavg();
    try {
      // Probe every address once (its first render, unless the start-up probe of / already rendered it).
      for (const t of targets) {
        const t0 = performance.now();
        const res = await fetch(server.baseURL + t.path, { redirect: 'manual' });
        const body = Buffer.from(await res.arrayBuffer());
        const firstMs = performance.now() - t0;
        if (res.status !== 200) throw new Error(`GET ${t.path} answered ${res.status}; cannot measure it`);
        measured.push({ ...t, status: res.status, bytes: body.length, firstMs, cache: res.headers.get('x-render-cache') ?? '—', runs: [] });
      }
      rssBefore = rssOf(server.pid);
      loadStart = loadavg();
      peak = Math.max(peak, rssBefore);
      for (let round = 1; round <= rounds; round++) {
        for (const m of measured) {
          process.stderr.write(`  round ${round}/${rounds}: ${m.path} …\n`);
          m.runs.push(await runLoad(server.baseURL + m.path, duration, connections, warmup));
        }
        rssAfterRound.push(rssOf(server.pid));
      }
    } finally {
      clearInterval(sampler);
      await server.stop();
    }

    // ── report ──
    const cols = ['address', 'bytes', 'budget', 'first', 'cache', 'req/s', 'p50', 'p95', 'p99', 'worst p95', 'non-2xx', 'errors', ''];
    const widths = [30, 10, 8, 8, 6, 7, 8, 8, 8, 9, 8, 7, 5];
    const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' '));
    console.log(`\nContent at scale — ${(files + studio).toLocaleString('en-US')} posts, ${connections} connections, ${warmup} s warm-up + ${duration} s per address, ${rounds} round(s) (the median round by p95)`);
    line(cols);
    let pass = true;
    const rows = measured.map((m) => {
      const byP95 = [...m.runs].sort((a, b) => a.p95 - b.p95);
      const median = byP95[Math.floor((byP95.length - 1) / 2)]!;
      const worst = byP95.at(-1)!;
      const non2xx = m.runs.reduce((s, r) => s + r.non2xx, 0);
      const errors = m.runs.reduce((s, r) => s + r.errors + r.timeouts, 0);
      const sizeOk = !m.html || m.bytes <= BUDGET.htmlBytes;
      const ok = sizeOk && median.p95 <= BUDGET.p95Ms && non2xx === 0 && errors === 0;
      pass &&= ok;
      line([m.path, kb(m.bytes), m.html ? kb(BUDGET.htmlBytes).replace('.0', '') : 'xml', ms(m.firstMs), m.cache, median.rps.toFixed(0), ms(median.p50), ms(median.p95), ms(median.p99), ms(worst.p95), String(non2xx), String(errors), ok ? 'PASS' : 'FAIL']);
      return { ...m, median, worst, non2xx, errors, pass: ok };
    });
    // Flat: the last round against the second (the first warms the heap up); one round cannot tell.
    const settledAt = rssAfterRound[1] ?? rssAfterRound[0] ?? rssBefore;
    const last = rssAfterRound.at(-1) ?? rssBefore;
    const flat = last - settledAt <= Math.max(settledAt * BUDGET.rssGrowth, BUDGET.rssSlackBytes);
    const memOk = peak <= BUDGET.rssBytes && flat;
    pass &&= memOk;
    console.log(`\nserver RSS: before load ${mb(rssBefore)}, after each round ${rssAfterRound.map(mb).join(' → ')}, peak ${mb(peak)}  (≤ ${mb(BUDGET.rssBytes)}, flat)  ${memOk ? 'PASS' : 'FAIL'}`);
    console.log(`budgets: HTML ≤ ${kb(BUDGET.htmlBytes)}, p95 ≤ ${BUDGET.p95Ms} ms, no errors or non-2xx, RSS ≤ 1 GB and flat (last round within 10% of the second)`);
    console.log(`load average (1, 5, 15 min) at the start of the load: ${loadStart.map((n) => n.toFixed(2)).join(', ')}; at the end: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`);
    console.log(`\ncontent-scale: ${pass ? 'PASS' : 'FAIL'}`);

    if (args.json) {
      const out = resolve(ROOT, args.json);
      writeFileSync(
        out,
        JSON.stringify({ measuredAt: new Date().toISOString(), posts: files + studio, files, studio, connections, duration, warmup, rounds, budget: BUDGET, loadAverage: { start: loadStart, end: loadavg() }, targets: rows, rss: { before: rssBefore, afterRound: rssAfterRound, peak, pass: memOk }, pass }, null, 2),
      );
      console.log(`wrote ${out}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const roles: Record<string, () => unknown> = { main, load: loadRole };
const role = roles[args.role];
if (!role) {
  console.error(`unknown --role ${args.role}`);
  process.exit(2);
}
Promise.resolve()
  .then(role)
  .catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
