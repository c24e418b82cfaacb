/**
 * `npm run bench:post-throughput [-- --path /posts/x] [--duration 10] [--connections 50] [--warmup 3] [--no-build] [--json out.json]`
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
 * per second with PASS/FAIL against ≥ 0.25. Exit 0 either way; 1 if the page is not a 200 or anything breaks.
 * Targets are 127.0.0.1 only.
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

const MIN_RATIO = 0.25;
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
    // 1. Astro, production build.
    const astro = await startBuiltServer({ distDir: args['out-dir'] });
    let astroResult: LoadResult;
    let html: Buffer;
    let contentType: string;
    try {
      const probe = await fetch(astro.baseURL + path, { redirect: 'manual' });
      await probe.arrayBuffer();
      if (probe.status !== 200) {
        console.error(`GET ${path} answered ${probe.status} — cannot benchmark a page that does not render (does it exist yet?)`);
        process.exitCode = 1;
        return;
      }
      const bumpEvery = Number(args['bump-every']) || 0;
      console.log(
        `Astro: ${connections} connections, ${warmup} s warm-up + ${duration} s on ${path}${bumpEvery ? `, catalog changed every ${bumpEvery} ms` : ''} …`,
      );
      let bumps = 0;
      let timer: NodeJS.Timeout | undefined;
      const bumpDb = bumpEvery ? await openDb({ url: astro.databaseUrl }) : undefined;
      if (bumpDb) {
        timer = setInterval(() => {
          void bumpCatalogVersion(bumpDb).then(() => bumps++);
        }, bumpEvery);
      }
      try {
        astroResult = await runLoad(astro.baseURL + path, duration, connections, warmup);
      } finally {
        if (timer) clearInterval(timer);
        bumpDb?.$client.close();
      }
      if (bumpEvery) console.log(`catalog version bumped ${bumps} times during the run`);
      // 2. The page's exact bytes, fetched once.
      const res = await fetch(astro.baseURL + path);
      html = Buffer.from(await res.arrayBuffer());
      contentType = res.headers.get('content-type') ?? 'text/html; charset=utf-8';
    } finally {
      await astro.stop();
    }

    // 3. Bare node:http serving those bytes.
    const file = join(tmp, 'page.html');
    writeFileSync(file, html);
    const bare = await startBare(file, contentType);
    let bareResult: LoadResult;
    try {
      const check = Buffer.from(await (await fetch(bare.baseURL + path)).arrayBuffer());
      if (!check.equals(html)) throw new Error('bare server did not return the same bytes');
      console.log(`bare node:http: same load on the same ${html.length} bytes …`);
      bareResult = await runLoad(bare.baseURL + path, duration, connections, warmup);
    } finally {
      await bare.stop();
    }

    const ratio = bareResult.okRps > 0 ? astroResult.okRps / bareResult.okRps : 0;
    const pass = ratio >= MIN_RATIO && astroResult.non2xx === 0 && astroResult.errors === 0;

    const cols = ['target', 'req/s', '2xx/s', 'p50', 'p99', '2xx', 'non-2xx', 'errors', 'timeouts'];
    const widths = [18, 9, 9, 8, 8, 9, 8, 7, 8];
    const line = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' '));
    const row = (name: string, r: LoadResult) =>
      line([name, r.rps.toFixed(0), r.okRps.toFixed(0), ms(r.p50), ms(r.p99), String(r.ok), String(r.non2xx), String(r.errors), String(r.timeouts)]);

    console.log(`\nThroughput — ${path}  (${html.length} B page, ${connections} connections, ${duration} s after ${warmup} s warm-up)`);
    line(cols);
    row('Astro (prod)', astroResult);
    row('bare node:http', bareResult);
    if (astroResult.non2xx) console.log(`  Astro non-2xx by status: ${JSON.stringify(astroResult.statusCodes)}`);
    console.log(`\nratio Astro/bare (2xx/s): ${ratio.toFixed(3)}  (≥ ${MIN_RATIO})  ${ratio >= MIN_RATIO ? 'PASS' : 'FAIL'}`);
    if (astroResult.non2xx || astroResult.errors) console.log('  FAIL: Astro answered non-2xx or errored under load');
    console.log(`\npost-throughput ${path}: ${pass ? 'PASS' : 'FAIL'}`);

    if (args.json) {
      const out = resolve(ROOT, args.json);
      writeFileSync(
        out,
        JSON.stringify({ path, measuredAt: new Date().toISOString(), bytes: html.length, connections, duration, warmup, astro: astroResult, bare: bareResult, ratio, minRatio: MIN_RATIO, pass }, null, 2),
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
