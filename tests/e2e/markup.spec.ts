/**
 * The main pages pass the W3C Nu HTML checker (vnu-jar, run locally with Java: no network) with
 * zero errors, and feeds, sitemap and canonical links agree on one address per post (the other
 * form redirects to it).
 *
 * The HTML checked is what the server sends (not the browser's DOM), fetched in one visitor's
 * context so /bag and /checkout show a filled bag.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { baseURL, newPage } from './helpers/browser.ts';

const VNU_JAR = resolve(import.meta.dirname, '../../node_modules/vnu-jar/build/dist/vnu.jar');
const POST = 'autumn-capsule-wardrobe';

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/** Runs the checker once over `files`; resolves with its messages (it exits 1 when there are errors). */
function vnu(files: string[]): Promise<VnuMessage[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('java', ['-jar', VNU_JAR, '--format', 'json', '--stdout', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('error', (e) => reject(new Error(`could not run java (install default-jre-headless): ${e.message}`)));
    child.once('exit', (code) => {
      try {
        resolvePromise((JSON.parse(out) as { messages: VnuMessage[] }).messages);
      } catch {
        reject(new Error(`vnu exited ${code} without a JSON report:\n${out}\n${err}`));
      }
    });
  });
}

describe('markup', () => {
  test('home, a post, the shop, a product, a creator, the bag, checkout and login: zero Nu HTML checker errors', { timeout: 180_000 }, async () => {
    const page = await newPage({ javaScriptEnabled: false });
    // A filled bag, the way a reader fills it (the size named in the link, so no size question).
    await page.goto('/products/merino-crewneck?colour=Oat&sku=MCN-OAT-M');
    await Promise.all([page.waitForURL((u) => u.pathname === '/bag'), page.locator('form.buy').getByRole('button', { name: 'Add to bag' }).click()]);

    const paths = ['/', `/posts/${POST}`, '/shop', '/products/merino-crewneck', '/creators/maya-okafor', '/bag', '/checkout', '/login'];
    // A posts index, where the site has one.
    if ((await page.request.get('/posts', { maxRedirects: 0 })).status() === 200) paths.push('/posts');

    const dir = mkdtempSync(join(tmpdir(), 'lookbook-vnu-'));
    try {
      const files = new Map<string, string>();
      for (const [i, path] of paths.entries()) {
        const res = await page.request.get(path);
        expect(res.status(), `${path} answers 200`).toBe(200);
        expect(res.headers()['content-type'], path).toMatch(/^text\/html/);
        const file = join(dir, `page-${i}.html`);
        writeFileSync(file, await res.text());
        files.set(file, path);
      }
      const messages = await vnu([...files.keys()]);
      const errors = messages
        .filter((m) => m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal')
        .map((m) => {
          const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : '';
          return `${files.get(file) ?? file}:${m.lastLine ?? '?'} ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : ''}`;
        });
      expect(errors, `Nu HTML checker errors:\n${errors.join('\n')}`).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('RSS, sitemap and the canonical link name a post the same way; the trailing-slash form redirects there', async () => {
    const base = baseURL();
    const [rss, sitemap] = await Promise.all([fetch(`${base}/rss.xml`).then((r) => r.text()), fetch(`${base}/sitemap.xml`).then((r) => r.text())]);
    const rssLinks = [...rss.matchAll(/<item>[\s\S]*?<link>([^<]+)<\/link>/g)].map((m) => new URL(m[1]!).pathname);
    const sitemapPosts = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname).filter((p) => p.startsWith('/posts/'));
    expect(rssLinks.length).toBeGreaterThan(0);
    expect([...rssLinks].sort()).toEqual([...sitemapPosts].sort());

    const page = await (await fetch(`${base}/posts/${POST}`)).text();
    const canonical = /<link rel="canonical" href="([^"]+)"/.exec(page)?.[1];
    expect(new URL(canonical!).pathname).toBe(`/posts/${POST}`);
    expect(rssLinks).toContain(`/posts/${POST}`);

    // The other form: one permanent redirect to the canonical address, query kept.
    const slashed = await fetch(`${base}/posts/${POST}/?utm_source=feed`, { redirect: 'manual' });
    expect(slashed.status).toBe(301);
    expect(slashed.headers.get('location')).toBe(`/posts/${POST}?utm_source=feed`);
    expect((await fetch(`${base}/shop/`, { redirect: 'manual' })).headers.get('location')).toBe('/shop');
    // "//host/" is not turned into a protocol-relative redirect off the site.
    const doubled = await fetch(`${base}//evil.example/`, { redirect: 'manual' });
    expect(doubled.headers.get('location') ?? '/').not.toMatch(/^\/\//);

    // The canonical address is still served from the render cache (the node:http fast path).
    await fetch(`${base}/posts/${POST}`);
    expect((await fetch(`${base}/posts/${POST}`)).headers.get('x-render-cache')).toBe('hit');
    // A form post to a trailing-slash path is not redirected (only GET and HEAD are).
    expect((await fetch(`${base}/bag/add/`, { method: 'POST', redirect: 'manual', headers: { origin: base } })).status).not.toBe(301);
  });
});
