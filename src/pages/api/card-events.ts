/**
 * POST /api/card-events — card views and clicks beaconed from post pages (CardBeacons.astro;
 * ADR 0010). Body: `{ "post": "<slug>", "events": [{ "card": 0, "kind": "view" }] }`,
 * `Content-Type: application/json` (navigator.sendBeacon with a JSON Blob).
 *
 * Same-origin only: JSON is not a "simple" content type, so another site cannot send it without a
 * CORS preflight (never granted here), and requests the browser marks `Sec-Fetch-Site: cross-site`
 * or with a foreign Origin are refused. Astro's checkOrigin covers only form content types, which
 * this endpoint refuses anyway (415).
 *
 * 400 with a message and nothing written for a bad body; 200 `{ ok, counted }` otherwise, where a
 * card's view or click counts once per visitor (client address) in the dedupe window (ADR 0022);
 * bots are answered 200 `{ ok, ignored: "bot" }` and not counted.
 */
import type { APIRoute } from 'astro';
import { MAX_CARD_EVENTS_BYTES, parseCardEvents, type PostCards } from '../../server/attribution/index.ts';
import { classifyUserAgent } from '../../server/attribution/index.ts';
import { normaliseIp } from '../../server/auth/index.ts';
import { publishedPosts } from '../../lib/content.ts';
import type { PostSummary } from '../../server/content/index.ts';
import { cardQueue } from '../../lib/middleware/referral.ts';

/** The cards of the posts published now (file or studio), rebuilt when the post index changes. */
let postCards: { posts: PostSummary[]; map: Map<string, PostCards> } | undefined;
async function loadPostCards(): Promise<Map<string, PostCards>> {
  const posts = await publishedPosts();
  if (postCards?.posts !== posts) {
    postCards = { posts, map: new Map(posts.map((p) => [p.slug, { creator: p.creator, positions: new Set(p.refs.map((r) => r.position)) }])) };
  }
  return postCards.map;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

/** The body as text, or null when it is larger than `max` bytes (stops reading there). */
async function readCapped(request: Request, max: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > max) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The client address as Astro sees it, or '' when the adapter cannot tell. */
function clientAddressOf(context: { clientAddress: string }): string {
  try {
    return context.clientAddress ?? '';
  } catch {
    return '';
  }
}

export const POST: APIRoute = async (context) => {
  const { request, url } = context;
  const fetchSite = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  if ((fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') || (origin && origin !== url.origin)) {
    return json(403, { ok: false, error: 'Cross-site requests are not accepted.' });
  }
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get('content-type') ?? '')) {
    return json(415, { ok: false, error: 'Send application/json.' });
  }
  const text = await readCapped(request, MAX_CARD_EVENTS_BYTES);
  if (text === null) return json(413, { ok: false, error: `The body is larger than ${MAX_CARD_EVENTS_BYTES} bytes.` });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return json(400, { ok: false, error: 'The body is not JSON.' });
  }
  const cards = await loadPostCards();
  const result = parseCardEvents(body, (post) => cards.get(post), Date.now());
  if (!result.ok) return json(400, { ok: false, error: result.message });
  if (classifyUserAgent(request.headers.get('user-agent')) !== 'browser') return json(200, { ok: true, ignored: 'bot' });
  const counted = cardQueue.enqueueFrom(`ip:${normaliseIp(clientAddressOf(context))}`, result.tallies);
  return json(200, { ok: true, counted });
};
