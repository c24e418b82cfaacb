/**
 * `npm run bench:page-weight [-- --path /posts/x] [--studio] [--no-build] [--out-dir dist] [--json out.json] [--mobile] [--verbose]`
 *
 * Builds the site (unless --no-build), serves the build (NODE_ENV=production, fresh seeded DB, 127.0.0.1),
 * loads one page in a fresh headless Chromium profile with an empty cache, waits for `load` plus network
 * quiet (no interaction, no scrolling), and reports what the page cost:
 *   HTML (raw / gzip), JS loaded before any interaction (sum of script responses, gzip), CSS, images,
 *   fonts, request count — and PASS/FAIL against the budget JS ≤ 15 KB gz, HTML ≤ 60 KB raw.
 *
 * Gzip sizes are computed here with zlib (level 6) over each decoded response body, so they do not
 * depend on whether the server compresses. 1 KB = 1024 bytes.
 * Exit status: 0 whether the budget passes or fails; 1 if the page is not a 200 or anything breaks.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Request, type Response } from 'playwright-core';
import { publishCopy } from './lib/studio-copy.ts';
import { buildSite, CHROMIUM_ARGS, CHROMIUM_PATH, ROOT, startBuiltServer, type BuiltServer } from '../scripts/lib/serve-built.ts';

const BUDGET = { jsGzip: 15 * 1024, htmlRaw: 60 * 1024 };
const DEFAULT_PATH = '/posts/autumn-capsule-wardrobe';

const { values: args } = parseArgs({
  options: {
    path: { type: 'string', default: DEFAULT_PATH },
    'no-build': { type: 'boolean', default: false },
    // Measure a studio copy of the file post at --path (bench/lib/studio-copy.ts) instead.
    studio: { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: 'dist' },
    json: { type: 'string' },
    mobile: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

const gz = (b: Buffer) => gzipSync(b, { level: 6 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

interface Entry {
  url: string;
  type: string;
  status: number;
  raw: number;
  gzip: number;
  encoding: string | undefined;
}

interface Totals {
  count: number;
  raw: number;
  gzip: number;
}

function total(entries: Entry[]): Totals {
  return entries.reduce((t, e) => ({ count: t.count + 1, raw: t.raw + e.raw, gzip: t.gzip + e.gzip }), { count: 0, raw: 0, gzip: 0 });
}

/** Inline <script>/<style> bytes in the HTML (informational: they are part of the HTML weight). */
function inlineBytes(html: string, tag: 'script' | 'style'): { raw: number; gzip: number; count: number } {
  const re = new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'gi');
  const parts: string[] = [];
  for (const m of html.matchAll(re)) {
    const attrs = m[1] ?? '';
    if (tag === 'script' && /\bsrc\s*=/.test(attrs)) continue;
    if (tag === 'script' && /\btype\s*=\s*["']?(application\/(ld\+)?json|importmap|speculationrules)/i.test(attrs)) continue;
    if (m[2]?.trim()) parts.push(m[2]);
  }
  const buf = Buffer.from(parts.join('\n'));
  return { raw: buf.length, gzip: parts.length ? gz(buf) : 0, count: parts.length };
}

async function measure(server: BuiltServer, path: string) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const context = await browser.newContext({
      baseURL: server.baseURL,
      ...(args.mobile ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } }),
    });
    const page = await context.newPage();
    const origin = new URL(server.baseURL).origin;

    // Only our own server: anything else is aborted and reported (there is no internet here anyway).
    const thirdParty: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
      thirdParty.push(url);
      return route.abort('blockedbyclient');
    });

    const requests: Request[] = [];
    let inFlight = 0;
    let lastActivity = Date.now();
    const bodies: Promise<Entry | undefined>[] = [];
    page.on('request', (req) => {
      requests.push(req);
      inFlight++;
      lastActivity = Date.now();
    });
    const done = () => {
      inFlight = Math.max(0, inFlight - 1);
      lastActivity = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('response', (res: Response) => {
      bodies.push(
        (async () => {
          const status = res.status();
          if (status >= 300 && status < 400) return undefined; // redirects have no body
          const body = await res.body().catch(() => Buffer.alloc(0));
          return {
            url: res.url(),
            type: res.request().resourceType(),
            status,
            raw: body.length,
            gzip: body.length ? gz(body) : 0,
            encoding: res.headers()['content-encoding'],
          };
        })(),
      );
    });

    const nav = await page.goto(path, { waitUntil: 'load', timeout: 30_000 });
    // Network quiet: nothing in flight for 500 ms (islands that hydrate on load/idle/visible), at most 10 s.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastActivity < 500)) await page.waitForTimeout(50);

    const entries = (await Promise.all(bodies)).filter((e): e is Entry => !!e);
    const html = nav ? (await nav.body()).toString('utf8') : '';
    return { nav, entries, requests, thirdParty, html };
  } finally {
    await browser.close();
  }
}

async function main() {
  let path = args.path.startsWith('/') ? args.path : `/${args.path}`;
  if (!args['no-build']) {
    console.log(`building (astro build → ${args['out-dir']}) …`);
    await buildSite({ outDir: args['out-dir'], verbose: false });
  }
  const server = await startBuiltServer({ distDir: args['out-dir'] });
  let result: Awaited<ReturnType<typeof measure>>;
  try {
    if (args.studio) path = await publishCopy(server.databaseUrl, path);
    result = await measure(server, path);
  } finally {
    await server.stop();
  }
  const { nav, entries, requests, thirdParty, html } = result;
  const status = nav?.status() ?? 0;
  if (status !== 200) {
    console.error(`\nGET ${path} answered ${status || 'nothing'} — cannot measure a page that does not render (does it exist yet?)`);
    process.exitCode = 1;
    return;
  }

  const doc = entries.find((e) => e.type === 'document') ?? { raw: 0, gzip: 0, encoding: undefined };
  // Category totals count successful responses only; 4xx/5xx bodies are listed separately below.
  const okEntries = entries.filter((e) => e.status < 400);
  const js = total(okEntries.filter((e) => e.type === 'script'));
  const css = total(okEntries.filter((e) => e.type === 'stylesheet'));
  const img = total(okEntries.filter((e) => e.type === 'image'));
  const font = total(okEntries.filter((e) => e.type === 'font'));
  const other = total(okEntries.filter((e) => !['document', 'script', 'stylesheet', 'image', 'font'].includes(e.type)));
  const inlineJs = inlineBytes(html, 'script');
  const inlineCss = inlineBytes(html, 'style');
  const failed = requests.filter((r) => r.failure()).map((r) => `${r.url()} (${r.failure()?.errorText})`);

  // The JS budget counts every script that runs before any interaction: script files AND inline
  // scripts (Astro inlines small ones). JSON-LD and other data blocks are not code.
  const jsBudgetGzip = js.gzip + inlineJs.gzip;
  const jsPass = jsBudgetGzip <= BUDGET.jsGzip;
  const htmlPass = doc.raw <= BUDGET.htmlRaw;
  const row = (label: string, value: string) => console.log(`  ${label.padEnd(34)} ${value}`);

  console.log(`\nPage weight — ${path}  (${args.mobile ? 'mobile 390×844' : 'desktop 1280×800'}, empty cache, no interaction)`);
  row('HTML', `${kb(doc.raw)} raw, ${kb(doc.gzip)} gzip${doc.encoding ? ` (served ${doc.encoding})` : ' (served uncompressed)'}`);
  row('  of which inline <script>', `${inlineJs.count} × → ${kb(inlineJs.raw)} raw, ${kb(inlineJs.gzip)} gzip`);
  row('  of which inline <style>', `${inlineCss.count} × → ${kb(inlineCss.raw)} raw, ${kb(inlineCss.gzip)} gzip`);
  row('JS (script responses)', `${js.count} files, ${kb(js.raw)} raw, ${kb(js.gzip)} gzip`);
  row('CSS (stylesheet responses)', `${css.count} files, ${kb(css.raw)} raw, ${kb(css.gzip)} gzip`);
  row('Images', `${img.count} files, ${kb(img.raw)}`);
  row('Fonts', `${font.count} files, ${kb(font.raw)}`);
  if (other.count) row('Other', `${other.count} responses, ${kb(other.raw)}`);
  row('Requests', `${requests.length}${thirdParty.length ? ` (${thirdParty.length} third-party, blocked)` : ''}`);
  const bad = entries.filter((e) => e.status >= 400);
  if (bad.length) console.log(`  failed responses (${bad.length}, not in the totals above):\n    ${bad.map((e) => `${e.status} ${new URL(e.url).pathname}`).join('\n    ')}`);
  if (failed.length) console.log(`  failed requests:\n    ${failed.join('\n    ')}`);
  if (thirdParty.length) console.log(`  third-party requests:\n    ${thirdParty.join('\n    ')}`);
  for (const e of entries.filter((e) => args.verbose || e.type === 'script')) {
    console.log(`    ${e.type.padEnd(10)} ${String(e.status)} ${kb(e.raw).padStart(9)} raw ${kb(e.gzip).padStart(9)} gz  ${new URL(e.url).pathname}`);
  }

  console.log('\nBudget (1 KB = 1024 B)');
  row('JS ≤ 15 KB gzip (files + inline)', `${kb(jsBudgetGzip)}  ${jsPass ? 'PASS' : 'FAIL'}`);
  row('HTML ≤ 60 KB raw', `${kb(doc.raw)}  ${htmlPass ? 'PASS' : 'FAIL'}`);
  console.log(`\npage-weight ${path}: ${jsPass && htmlPass ? 'PASS' : 'FAIL'}`);

  if (args.json) {
    const out = resolve(ROOT, args.json);
    const report = {
      path,
      measuredAt: new Date().toISOString(),
      viewport: args.mobile ? 'mobile' : 'desktop',
      html: { raw: doc.raw, gzip: doc.gzip, inlineScript: inlineJs, inlineStyle: inlineCss },
      js,
      css,
      images: img,
      fonts: font,
      requests: requests.length,
      thirdParty,
      budget: { jsGzip: BUDGET.jsGzip, htmlRaw: BUDGET.htmlRaw, jsPass, htmlPass, pass: jsPass && htmlPass },
      entries,
    };
    writeFileSync(out, JSON.stringify(report, null, 2));
    console.log(`wrote ${out}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exitCode = 1;
});
