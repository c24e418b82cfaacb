/**
 * GET /media/<id> — the name a post's Markdown uses for an upload (`![alt](/media/<id>)`, see
 * src/server/media/media-urls.ts mediaMarkdown). Readers never see it: the studio renderer turns it
 * into a `<picture>` of the renditions. The editor, which shows the Markdown's own `src`, does: so
 * it redirects to the middle WebP rendition (302 — the id is stable, the rendition it points to is
 * a choice that may change).
 */
import type { APIRoute } from 'astro';
import { getMediaInfo, MEDIA_ID, mediaImage } from '../../server/media/index.ts';
import { getDb } from '../../lib/runtime.ts';

const notFound = () => new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

export const GET: APIRoute = async ({ params }) => {
  const id = params.id ?? '';
  if (!MEDIA_ID.test(id)) return notFound();
  const info = (await getMediaInfo(await getDb(), [id], { anyOwner: true })).get(id);
  if (!info) return notFound();
  return new Response(null, { status: 302, headers: { Location: mediaImage(info).src, 'Cache-Control': 'public, max-age=3600' } });
};
