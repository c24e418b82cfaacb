/**
 * `npm run bench:share-cards [-- --renders 60] [--duration 10] [--connections 50] [--warmup 3] [--no-build] [--out-dir dist] [--json out.json]`
 *
 * Share cards (ADR 0054), two numbers:
 *   1. Warm render: in this process, fonts loaded and pictures prepared, N renders of *different*
 *      cards (titles and prices vary, Latin and CJK, posts and products — so no PNG cache hit):
 *      median and p95 of renderCard's time (satori layout + sharp raster + PNG). Goal ≤ 50 ms.
 *   2. Cached hits: the built server (NODE_ENV=production, fresh seeded DB), autocannon against
 *      a post's card route after its first render, then against a static file holding the exact
 *      same PNG bytes, copied into the build's client directory (served by the Node adapter's
 *      static handler) — same run, same load. Goal: the card route at static-file speed (ratio ≥ 0.9).
 * Load runs in a child process; servers are killed with their process groups. 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSite, killOnExit, ROOT, startBuiltServer } from '../scripts/lib/serve-built.ts';
import { renderCard, type ShareCardContent } from '../src/server/share/index.ts';

const SELF = import.meta.filename;
const GOAL_MS = 50;
const GOAL_RATIO = 0.9;
const CARD_PATH = '/og/posts/autumn-capsule-wardrobe.png';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    url: { type: 'string' },
    renders: { type: 'string', default: '60' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: 'dist' },
    json: { type: 'string' },
  },
});

interface LoadResult {
  rps: number;
  okRps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  bytesPerSec: number;
}

type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, res: Record<string, any>) => void) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

async function loadRole(): Promise<void> {
  const url = args.url!;
  if (new URL(url).hostname !== '127.0.0.1') throw new Error('127.0.0.1 only');
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const run = (seconds: number) =>
    new Promise<Record<string, any>>((ok, fail) => autocannon({ url, connections: Number(args.connections), duration: seconds, pipelining: 1, timeout: 10 }, (e, r) => (e ? fail(e) : ok(r)))); // eslint-disable-line @typescript-eslint/no-explicit-any
  if (Number(args.warmup) > 0) await run(Number(args.warmup));
  const r = await run(Number(args.duration));
  const seconds = (new Date(r.finish).getTime() - new Date(r.start).getTime()) / 1000;
  const out: LoadResult = { rps: r.requests.total / seconds, okRps: r['2xx'] / seconds, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, bytesPerSec: r.throughput.average };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

function runLoad(url: string): Promise<LoadResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--role', 'load', '--url', url, '--duration', args.duration!, '--connections', args.connections!, '--warmup', args.warmup!], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    killOnExit(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) ok(JSON.parse(line.slice(7)) as LoadResult);
      else fail(new Error(`load failed (exit ${code}): ${out}`));
    });
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function warmRenders(n: number) {
  const load = async (src: string) => {
    try {
      return new Uint8Array(await readFile(join(ROOT, 'public', src)));
    } catch {
      return null;
    }
  };
  const posts = ['autumn-capsule-wardrobe', 'first-frost-layers', 'office-to-dinner-tailoring', 'slip-dress-after-dark'];
  const products = ['double-faced-wool-coat-camel', 'merino-crewneck-oat', 'leather-shoulder-bag-tan', 'linen-camp-shirt-sand'];
  const titles = ['The autumn capsule wardrobe: 12 pieces, 30 outfits', '秋冬 Capsule 胶囊衣橱', 'Double-faced wool coat', 'Office to dinner: tailoring that works late', '一件大衣穿三季 · Wool coat review', 'Merino crewneck'];
  const cards: ShareCardContent[] = [];
  for (let i = 0; i < n; i++) {
    const post = i % 2 === 0;
    const cents = 4_900 + i * 100;
    cards.push({
      kind: post ? 'post' : 'product',
      shopName: 'Lookbook',
      eyebrow: post ? 'Look' : 'Atelier North',
      title: `${titles[i % titles.length]} ${i}`,
      price: { now: `$${(cents / 100).toFixed(2)}`, was: i % 3 === 0 ? `$${((cents + 2_000) / 100).toFixed(2)}` : null, note: i % 3 === 0 ? 'Save $20.00' : null },
      creator: post ? { name: i % 4 === 0 ? '林小雨' : 'Maya Okafor', initials: 'MO', avatar: i % 4 === 0 ? null : { src: '/images/creators/maya-okafor.svg' } } : null,
      cover: { src: post ? `/images/posts/${posts[i % posts.length]}.svg` : `/images/products/${products[i % products.length]}.svg` },
      link: `http://127.0.0.1:4321/r/MAYA?to=%2Fposts%2Fpost-${i}`,
      callToAction: 'Scan to shop the look',
      alt: '',
    });
  }
  // Warm: every font subset and picture these cards use is loaded once (a real server has them after its first few cards).
  for (const c of cards) await renderCard({ ...c, title: `${c.title} warm`, link: `${c.link}-w` }, load);
  const times: number[] = [];
  const layout: number[] = [];
  for (const c of cards) {
    const r = await renderCard(c, load);
    times.push(r.ms.total);
    layout.push(r.ms.layout);
  }
  return { n, median: pct(times, 50), p95: pct(times, 95), layoutMedian: pct(layout, 50) };
}

async function main() {
  const renders = Number(args.renders);
  console.log(`warm render: ${renders} different cards …`);
  const warm = await warmRenders(renders);
  console.log(`  median ${warm.median.toFixed(1)} ms, p95 ${warm.p95.toFixed(1)} ms (layout median ${warm.layoutMedian.toFixed(1)} ms) — goal ≤ ${GOAL_MS} ms: ${warm.median <= GOAL_MS ? 'PASS' : 'FAIL'}`);

  const outDir = resolve(ROOT, args['out-dir']!);
  if (!args['no-build']) {
    console.log(`building (astro build → ${args['out-dir']}) …`);
    await buildSite({ outDir: args['out-dir'], verbose: false });
  }
  const server = await startBuiltServer({ distDir: outDir });
  const staticFile = join(outDir, 'client', 'bench-share-card.png');
  try {
    const first = await fetch(server.baseURL + CARD_PATH);
    const png = new Uint8Array(await first.arrayBuffer());
    if (first.status !== 200 || first.headers.get('content-type') !== 'image/png') throw new Error(`GET ${CARD_PATH} answered ${first.status}`);
    writeFileSync(staticFile, png);
    const check = await fetch(`${server.baseURL}/bench-share-card.png`);
    if (check.status !== 200) throw new Error(`static copy answered ${check.status}`);
    await check.arrayBuffer();
    console.log(`cached hits: ${CARD_PATH} (${png.byteLength} bytes) vs the same bytes as a static file, ${args.connections} connections, ${args.duration} s …`);
    const card = await runLoad(server.baseURL + CARD_PATH);
    const stat = await runLoad(`${server.baseURL}/bench-share-card.png`);
    const ratio = card.okRps / stat.okRps;
    const row = (label: string, r: LoadResult) => console.log(`  ${label.padEnd(12)} ${r.okRps.toFixed(0).padStart(6)} 2xx/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`);
    row('card route', card);
    row('static file', stat);
    console.log(`  ratio ${ratio.toFixed(2)} — goal ≥ ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'PASS' : 'FAIL'}`);
    if (args.json) writeFileSync(args.json, JSON.stringify({ warm, card, static: stat, ratio, bytes: png.byteLength }, null, 2));
  } finally {
    rmSync(staticFile, { force: true });
    await server.stop();
  }
}

if (args.role === 'load') await loadRole();
else
  await main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
