/**
 * Serves cached anonymous renders of pages that opted in (`Astro.locals.renderCache`), checking
 * the catalog version on every hit (ADR 0003, src/server/catalog/render-cache.ts).
 *
 * Two doors to the same cache:
 * - this Astro middleware (used by `astro dev` and any adapter entry), and
 * - `serveCachedPage`, registered on globalThis for scripts/serve.mjs, which answers a hit straight
 *   from node:http before Astro builds a Request — the part of the work that made uncached SSR slow.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineMiddleware } from 'astro:middleware';
import { getRenderVersion, nextReservationExpiry } from '../../server/catalog/index.ts';
import { contentValidUntil } from '../content.ts';
import { isCacheableRequest, RenderCache } from '../../server/catalog/index.ts';
import { VersionReader } from '../../server/catalog/index.ts';
import { getDb, shop } from '../runtime.ts';
import { nextSaleBoundary } from '../../server/sales/index.ts';

/** Cookies that make a page personal: a signed-in session or a bag. */
export const PERSONAL_COOKIES = ['lb_session', 'lb_bag'] as const;

export const renderCache = new RenderCache(shop.renderCacheEntries);
// The catalog's and the content's versions together: a publish invalidates like a price change.
const versions = new VersionReader(async () => getRenderVersion(await getDb()));

export const cache = defineMiddleware(async (context, next) => {
  const { request, url } = context;
  if (!isCacheableRequest(request.method, url, request.headers.get('cookie'), PERSONAL_COOKIES)) return next();
  const db = await getDb();
  const key = url.pathname + url.search; // search: '' or a canonical `?page=N` (isCacheableRequest)
  const version = await versions.read();
  const hit = renderCache.get(key, version, Date.now()) ?? (await renderCache.joinRender(key, version));
  if (hit) {
    const headers = new Headers(hit.headers);
    headers.set('x-render-cache', 'hit');
    return new Response(request.method === 'HEAD' ? null : (hit.body as BodyInit), { status: 200, headers });
  }
  // Only one render per page and catalog version at a time; concurrent misses wait for it.
  const release = renderCache.beginRender(key, version) ?? (() => undefined);
  try {
    const response = await next();
    const opt = context.locals.renderCache;
    if (!opt?.cacheable || response.status !== 200 || response.headers.has('set-cookie')) return response;
    const body = new Uint8Array(await response.arrayBuffer());
    const headers = [...response.headers.entries()].filter(([k]) => k !== 'content-length');
    headers.push(['content-length', String(body.byteLength)]);
    // A reservation that lapses frees stock without a write, a scheduled post goes live without
    // one, and a flash sale or markdown starts or ends without one: the page must outlive none
    // (rule 10; the sale bound is shop-wide, so every page with a price is covered — ADR 0051).
    const now = Date.now();
    const validUntil = Math.min(opt.validUntil ?? Number.POSITIVE_INFINITY, await nextReservationExpiry(db), await contentValidUntil(), await nextSaleBoundary(db, now));
    const page = { body, headers, version, validUntil };
    renderCache.set(key, page);
    release(page);
    const out = new Headers(headers);
    out.set('x-render-cache', 'miss');
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: out });
  } finally {
    release();
  }
});

/**
 * The node:http door: answers a fresh hit and returns true, or returns false (and writes nothing)
 * so the caller hands the request to Astro.
 */
export async function serveCachedPage(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const method = req.method ?? 'GET';
  const raw = req.url ?? '/';
  const cookie = req.headers.cookie ?? null;
  // A request line the URL parser refuses ("//[") is Astro's to answer (404), not a cache error.
  const url = URL.parse(raw, 'http://x.invalid');
  if (!url || !isCacheableRequest(method, url, cookie, PERSONAL_COOKIES)) return false;
  // The same key as the middleware's; a request line spelled differently ("/a/../b") just misses.
  const key = url.pathname + url.search;
  if (key !== raw) return false;
  const version = await versions.read();
  const hit = renderCache.get(key, version, Date.now()) ?? (await renderCache.joinRender(key, version));
  if (!hit) return false;
  res.writeHead(200, [...hit.headers.flat(), 'x-render-cache', 'hit']);
  res.end(method === 'HEAD' ? undefined : hit.body);
  return true;
}

(globalThis as Record<symbol, unknown>)[Symbol.for('lookbook.serveCachedPage')] = serveCachedPage;
