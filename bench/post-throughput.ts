/**
 * `npm run bench:post-throughput [-- --path /posts/x] [--studio] [--rounds 3] [--duration 10] [--connections 50] [--warmup 3] [--no-build] [--json out.json]`
 *
 * How close does the built Astro server (NODE_ENV=production, fresh seeded DB) get to the ceiling of
 * this machine for one page? Same run, same load, two targets, one after the other:
 *   1. Astro: `dist/server/entry.mjs` serving `--path` (default /posts/autumn-capsule-wardrobe).
 *   2. Bare:  a minimal `node:http` server answering every request with the exact bytes Astro returned
 *             for that page (fetched once after Astro's run) — the cost of HTTP alone on this machine.
 * Each target gets a warm-up (default 3 s) and then a timed autocannon run (default 10 s, 50 connections).
 * Both servers are child processes (own process groups, killed afterwards) and autocannon runs in a
 * third child, so no server shares an event loop with the load generator.
 *
 * Reports req/s, 2xx/s, latency p50/p99, non-2xx and errors for both, and the ratio Astro/bare of 2xx
 * per second with PASS/FAIL against ≥ 0.5. Exit 0 either way; 1 if the page is not a 200 or anything breaks.
 * Targets are 127.0.0.1 only.
 *
 * `--rounds N` loads the pages N times, alternating, and keeps each page's best Astro run
 * and its best bare run (the same rule for both sides of every ratio).
 *
 * `--studio`: also publish a studio copy of the file post (same front matter and body, an uploaded
 * cover, through the studio's own workflows — bench/lib/studio-copy.ts) on the same server, measure
 * it the same way against its own bare bytes, and report studio ratio ÷ file ratio, which must be
 * within 10 % (≥ 0.9) — a post written in the browser is served as fast as one kept in git.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../src/server/db.ts';
import { bumpCatalogVersion } from '../src/server/catalog/index.ts';
import {
  buildSite,
  freePort,
  killGroup,
  killOnExit,
  ROOT,
  startBuiltServer,
  waitForHttp,
} from '../scripts/lib/serve-built.ts';
import { publishCopy } from './lib/studio-copy.ts';

const MIN_RATIO = 0.5;
/** A studio post's ratio ÷ the file post's ratio, same run: within 10 %. */
const MIN_STUDIO_VS_FILE = 0.9;
const DEFAULT_PATH = '/posts/autumn-capsule-wardrobe';
const SELF = import.meta.filename;

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' }, // internal: main | load | bare
    path: { type: 'string', default: DEFAULT_PATH },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    studio: { type: 'boolean', default: false },
    // Load each page this many times, alternating between them, and keep each page's best run (a
    // busy 2-core machine otherwise decides which page "wins" by what ran beside it).
    rounds: { type: 'string', default: '1' },
    'out-dir': { type: 'string', default: 'dist' },
    json: { type: 'string' },
    // internal, for the child roles
    url: { type: 'string' },
    file: { type: 'string' },
    port: { type: 'string' },
    'content-type': { type: 'string' },
    // Simulate checkouts during the spike: bump the catalog version every N ms (0 = off), which
    // invalidates every cached page, as a reservation or a sale does (ADR 0003).
    'bump-every': { type: 'string', default: '0' },
  },
});

/** What the load child reports back (one JSON line on stdout, prefixed RESULT). */
interface LoadResult {
  url: string;
  connections: number;
  seconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rps: number;
  okRps: number;
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
  bytesPerSec: number;
}

function positive(name: string, value: string | undefined, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number in (0, ${max}]`);
  return n;
}

function assertLocal(url: string): void {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to load-test a non-127.0.0.1 target: ${url}`);
}

// ───────────────────────── child: autocannon ─────────────────────────

interface AutocannonResult {
  start: Date;
  finish: Date;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  throughput: { average: number };
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, res: AutocannonResult) => void) => unknown;

async function loadRole(): Promise<void> {
  const url = args.url!;
  assertLocal(url);
  const connections = positive('connections', args.connections, 1000);
  const duration = positive('duration', args.duration, 600);
  const warmup = Number(args.warmup) || 0;
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const run = (seconds: number) =>
    new Promise<AutocannonResult>((ok, fail) =>
      autocannon({ url, connections, duration: seconds, pipelining: 1, timeout: 10 }, (err, res) => (err ? fail(err) : ok(res))),
    );
  if (warmup > 0) await run(Math.min(warmup, 60));
  const r = await run(duration);
  const seconds = (new Date(r.finish).getTime() - new Date(r.start).getTime()) / 1000 || duration;
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const result: LoadResult = {
    url,
    connections,
    seconds,
    requests: r.requests.total,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    rps: r.requests.total / seconds,
    okRps: r['2xx'] / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    statusCodes,
    bytesPerSec: r.throughput.average,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

// ───────────────────────── child: bare node:http ─────────────────────────

function bareRole(): void {
  const body = readFileSync(args.file!);
  const contentType = args['content-type'] ?? 'text/html; charset=utf-8';
  const port = Number(args.port);
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    res.end(body);
  });
  server.listen(port, '127.0.0.1');
  const close = () => server.close(() => process.exit(0));
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

// ───────────────────────── main ─────────────────────────

function childArgs(role: string, extra: string[]): string[] {
  return ['--import', 'tsx', SELF, '--role', role, ...extra];
}

/** Run the load generator in its own process; bounded by duration + warm-up + 60 s. */
function runLoad(url: string, duration: number, connections: number, warmup: number): Promise<LoadResult> {
  assertLocal(url);
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      childArgs('load', ['--url', url, '--duration', String(duration), '--connections', String(connections), '--warmup', String(warmup)]),
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

async function startBare(file: string, contentType: string) {
  const port = await freePort();
  const child = spawn(process.execPath, childArgs('bare', ['--file', file, '--port', String(port), '--content-type', contentType]), {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseURL}/`, child, 20_000, () => out);
  } catch (err) {
    await killGroup(child);
    throw err;
  }
  return { baseURL, stop: () => killGroup(child) };
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

interface PageRun {
  label: string;
  path: string;
  bytes: number;
  astro: LoadResult;
  bare: LoadResult;
  ratio: number;
}

async function main(): Promise<void> {
  const path = args.path.startsWith('/') ? args.path : `/${args.path}`;
  const duration = positive('duration', args.duration, 600);
  const connections = Math.round(positive('connections', args.connections, 1000));
  const warmup = Math.min(Number(args.warmup) || 0, 60);

  if (!args['no-build']) {
    console.log(`building (astro build → ${args['out-dir']}) …`);
    await buildSite({ outDir: args['out-dir'], verbose: false });
  }

  const tmp = mkdtempSync(join(tmpdir(), 'lookbook-bench-'));
  try {
    // 1. Astro, production build: each page under load in turn, then its exact bytes fetched once.
    const astro = await startBuiltServer({ distDir: args['out-dir'] });
    const pages: { label: string; path: string; astro: LoadResult; html: Buffer; contentType: string }[] = [];
    try {
      const targets = [{ label: args.studio ? 'file post' : 'page', path }];
      if (args.studio) targets.push({ label: 'studio post', path: await publishCopy(astro.databaseUrl, path) });
      for (const t of targets) {
        const probe = await fetch(astro.baseURL + t.path, { redirect: 'manual' });
        await probe.arrayBuffer();
        if (probe.status !== 200) {
          console.error(`GET ${t.path} answered ${probe.status} — cannot benchmark a page that does not render (does it exist yet?)`);
          process.exitCode = 1;
          return;
        }
      }
      const bumpEvery = Number(args['bump-every']) || 0;
      const rounds = Math.round(positive('rounds', args.rounds, 20));
      const best = new Map<string, LoadResult>();
      for (let round = 1; round <= rounds; round++) {
        for (const t of targets) {
          console.log(
            `Astro${rounds > 1 ? ` (round ${round}/${rounds})` : ''}: ${connections} connections, ${warmup} s warm-up + ${duration} s on ${t.path}${bumpEvery ? `, catalog changed every ${bumpEvery} ms` : ''} …`,
          );
          let bumps = 0;
          let timer: NodeJS.Timeout | undefined;
          const bumpDb = bumpEvery ? await openDb({ url: astro.databaseUrl }) : undefined;
          if (bumpDb) {
            timer = setInterval(() => {
              void bumpCatalogVersion(bumpDb).then(() => bumps++);
            }, bumpEvery);
          }
          let result: LoadResult;
          try {
            result = await runLoad(astro.baseURL + t.path, duration, connections, warmup);
          } finally {
            if (timer) clearInterval(timer);
            bumpDb?.$client.close();
          }
          if (bumpEvery) console.log(`catalog version bumped ${bumps} times during the run`);
          if (rounds > 1) console.log(`  ${result.okRps.toFixed(0)} 2xx/s, p99 ${ms(result.p99)}`);
          const prev = best.get(t.path);
          if (!prev || result.okRps > prev.okRps) best.set(t.path, result);
        }
      }
      for (const t of targets) {
        const res = await fetch(astro.baseURL + t.path);
        const html = Buffer.from(await res.arrayBuffer());
        pages.push({ ...t, astro: best.get(t.path)!, html, contentType: res.headers.get('content-type') ?? 'text/html; charset=utf-8' });
      }
    } finally {
      await astro.stop();
    }

    // 2. Bare node:http serving each page's bytes, the same load.
    const runs: PageRun[] = [];
    for (const [i, pg] of pages.entries()) {
      const file = join(tmp, `page-${i}.html`);
      writeFileSync(file, pg.html);
      const bare = await startBare(file, pg.contentType);
      try {
        const check = Buffer.from(await (await fetch(bare.baseURL + pg.path)).arrayBuffer());
        if (!check.equals(pg.html)) throw new Error('bare server did not return the same bytes');
        console.log(`bare node:http: same load on the same ${pg.html.length} bytes (${pg.label}) …`);
        let bareResult = await runLoad(bare.baseURL + pg.path, duration, connections, warmup);
        for (let round = 2; round <= Math.round(Number(args.rounds)); round++) {
          const again = await runLoad(bare.baseURL + pg.path, duration, connections, warmup);
          if (again.okRps > bareResult.okRps) bareResult = again;
        }
        runs.push({ label: pg.label, path: pg.path, bytes: pg.html.length, astro: pg.astro, bare: bareResult, ratio: bareResult.okRps > 0 ? pg.astro.okRps / bareResult.okRps : 0 });
      } finally {
        await bare.stop();
      }
    }

    const cols = ['target', 'req/s', '2xx/s', 'p50', 'p99', '2xx', 'non-2xx', 'errors', 'timeouts'];
    const widths = [18, 9, 9, 8, 8, 9, 8, 7, 8];
    const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' '));
    const row = (name: string, r: LoadResult) =>
      line([name, r.rps.toFixed(0), r.okRps.toFixed(0), ms(r.p50), ms(r.p99), String(r.ok), String(r.non2xx), String(r.errors), String(r.timeouts)]);

    let pass = true;
    for (const r of runs) {
      const ok = r.ratio >= MIN_RATIO && r.astro.non2xx === 0 && r.astro.errors === 0;
      pass &&= ok;
      console.log(`\nThroughput — ${r.label} ${r.path}  (${r.bytes} B page, ${connections} connections, ${duration} s after ${warmup} s warm-up)`);
      line(cols);
      row('Astro (prod)', r.astro);
      row('bare node:http', r.bare);
      if (r.astro.non2xx) console.log(`  Astro non-2xx by status: ${JSON.stringify(r.astro.statusCodes)}`);
      console.log(`ratio Astro/bare (2xx/s): ${r.ratio.toFixed(3)}  (≥ ${MIN_RATIO})  ${r.ratio >= MIN_RATIO ? 'PASS' : 'FAIL'}`);
      if (r.astro.non2xx || r.astro.errors) console.log('  FAIL: Astro answered non-2xx or errored under load');
    }
    let studioVsFile: number | undefined;
    if (runs.length === 2 && runs[0]!.ratio > 0) {
      studioVsFile = runs[1]!.ratio / runs[0]!.ratio;
      const ok = studioVsFile >= MIN_STUDIO_VS_FILE;
      pass &&= ok;
      console.log(`\nstudio ratio ÷ file ratio: ${studioVsFile.toFixed(3)}  (≥ ${MIN_STUDIO_VS_FILE}, within 10 %)  ${ok ? 'PASS' : 'FAIL'}`);
    }
    console.log(`\npost-throughput ${runs.map((r) => r.path).join(' + ')}: ${pass ? 'PASS' : 'FAIL'}`);

    if (args.json) {
      const out = resolve(ROOT, args.json);
      writeFileSync(
        out,
        JSON.stringify({ measuredAt: new Date().toISOString(), connections, duration, warmup, runs, minRatio: MIN_RATIO, studioVsFile, minStudioVsFile: MIN_STUDIO_VS_FILE, pass }, null, 2),
      );
      console.log(`wrote ${out}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const roles: Record<string, () => unknown> = { main, load: loadRole, bare: bareRole };
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
