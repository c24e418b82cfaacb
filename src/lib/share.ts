/**
 * Page-side glue for share cards (ADR 0054): the process's PNG cache and route memo, the reader of
 * the site's own pictures, and the one response every `/og/…png` route gives — a strong ETag
 * (304 on If-None-Match), a Cache-Control that never outlives the card's next change by the clock,
 * and a 404 without a render for anything unknown.
 *
 * These responses are not in the page render cache (ADR 0015): it would replay a Cache-Control
 * computed at render time after the boundary it was computed from has come closer. The route memo
 * gives hits the same cost instead — one coalesced version read, no other query — and its own
 * node:http door (`serveShareCardHit`) answers them before Astro, as the render cache's does.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIContext } from 'astro';
import { SHARE_CARD_CACHE_MB } from 'astro:env/server';
import { getRenderVersion, VersionReader } from '../server/catalog/index.ts';
import { productSlugs, KIND_LABEL, type PostSummary } from '../server/content/index.ts';
import { shareCardPng, shareImageLoader, type ProfileLookup, type ShareCardPlan, type SharePost, type ShareProfile } from '../server/flows/index.ts';
import { cardCacheControl, cardEtag, CardPngCache, CardRouteMemo, etagMatches, type CachedCard, type ImageLoader } from '../server/share/index.ts';
import { getApp } from './app.ts';
import { PLACEHOLDER_AVATAR, type CreatorProfile } from './content.ts';
import { getDb } from './runtime.ts';

/**
 * Where the site's public files are at run time: the build's `client/` directory (next to
 * `server/`, which holds this module once built), else the repository's `public/` (dev, tests).
 */
function findPublicDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'client')) && existsSync(join(dir, 'server', 'entry.mjs'))) return join(dir, 'client');
    if (existsSync(join(dir, 'public')) && existsSync(join(dir, 'package.json'))) return join(dir, 'public');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve('public');
}

const publicDir = findPublicDir();

async function readPublic(rel: string): Promise<Uint8Array | null> {
  const file = resolve(publicDir, rel);
  if (!file.startsWith(publicDir + sep)) return null;
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    return null;
  }
}

export const shareCardCache = new CardPngCache(SHARE_CARD_CACHE_MB * 1024 * 1024);
const memo = new CardRouteMemo(2_000);
const versions = new VersionReader(async () => getRenderVersion(await getDb()));
let images: ImageLoader | undefined;

/** A creator as the card shows them: the placeholder picture counts as none (initials instead). */
export function shareProfile(c: Pick<CreatorProfile, 'handle' | 'name' | 'avatar'>): ShareProfile {
  return { handle: c.handle, name: c.name, avatar: c.avatar && c.avatar !== PLACEHOLDER_AVATAR ? c.avatar : null };
}

export function profileLookup(creators: Map<string, CreatorProfile>): ProfileLookup {
  return (handle) => {
    const c = creators.get(handle);
    return c ? shareProfile(c) : undefined;
  };
}

/** The share workflows' view of a post. */
export function sharePost(post: PostSummary, creators: Map<string, CreatorProfile>): SharePost {
  const c = creators.get(post.creator);
  return {
    slug: post.slug,
    title: post.title,
    kindLabel: KIND_LABEL[post.kind],
    heroSrc: post.hero.src,
    creator: c ? shareProfile(c) : { handle: post.creator, name: post.creator, avatar: null },
    productSlugs: productSlugs(post.refs),
  };
}

const notFound = () => new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

/** The headers of a card response at `now` (Cache-Control computed now, never replayed). */
function cardHeaders(card: CachedCard, now: number, withBody: boolean): Record<string, string> {
  const h: Record<string, string> = { ETag: cardEtag(card.key), 'Cache-Control': cardCacheControl(card.validUntil, now) };
  if (withBody) Object.assign(h, { 'Content-Type': 'image/png', 'Content-Length': String(card.png.byteLength) });
  return h;
}

/**
 * Answers a card route. `plan` reads what the card shows (null: unknown → 404, nothing rendered).
 * `versioned`: everything the card shows changes only with the render version or by the clock
 * (posts, products, creators), so a hit skips `plan`; groups and help-cuts change with every join
 * and help, so their `plan` runs each time (the PNG is still reused while it is the same).
 */
export async function serveShareCard(context: APIContext, plan: () => Promise<ShareCardPlan | null>, { versioned }: { versioned: boolean }): Promise<Response> {
  const path = context.url.pathname + context.url.search;
  const now = Date.now();
  const version = versioned ? await versions.read() : -1;
  let card = versioned ? memo.get(path, version, now) : undefined;
  if (!card) {
    const p = await plan();
    if (!p) return notFound();
    images ??= shareImageLoader(await getApp(), readPublic);
    card = await shareCardPng(p, { images, cache: shareCardCache });
    if (versioned) memo.set(path, version, now, card);
  }
  if (etagMatches(context.request.headers.get('if-none-match'), cardEtag(card.key))) return new Response(null, { status: 304, headers: cardHeaders(card, now, false) });
  return new Response(card.png as Uint8Array<ArrayBuffer>, { status: 200, headers: cardHeaders(card, now, true) });
}

/**
 * The node:http door for cards (scripts/serve.mjs, like the render cache's, ADR 0015): a card whose
 * memo is fresh at the current render version is written straight from memory — one coalesced
 * version read, no Astro Request. Returns false (writing nothing) for anything else, which then
 * goes to Astro. The security headers are set by serve.mjs before this runs.
 */
export async function serveShareCardHit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  const raw = req.url ?? '/';
  const url = URL.parse(raw, 'http://x.invalid');
  if (!url || url.pathname + url.search !== raw) return false;
  const now = Date.now();
  const card = memo.get(raw, await versions.read(), now);
  if (!card) return false;
  const etag = cardEtag(card.key);
  const inm = req.headers['if-none-match'];
  if (etagMatches(typeof inm === 'string' ? inm : null, etag)) {
    res.writeHead(304, cardHeaders(card, now, false));
    res.end();
    return true;
  }
  res.writeHead(200, cardHeaders(card, now, true));
  res.end(method === 'HEAD' ? undefined : card.png);
  return true;
}

(globalThis as Record<symbol, unknown>)[Symbol.for('lookbook.serveShareCard')] = serveShareCardHit;
