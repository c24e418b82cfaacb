/**
 * GET /media/<id>/<width>.<format> — one rendition of an uploaded image (src/server/media;
 * docs/decisions/0040-media-uploads.md). Public: uploads are shown on public pages, and ids are
 * random. The bytes behind a URL never change (a new upload gets a new id), so browsers and CDNs
 * may keep them for a year. Anything that is not one of our ids and file names is a 404 before the
 * database is asked.
 */
import type { APIRoute } from 'astro';
import { getRendition, MEDIA_ID, parseMediaFile } from '../../../server/media/index.ts';
import { getDb } from '../../../lib/runtime.ts';

const notFound = () => new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

export const GET: APIRoute = async ({ params }) => {
  const id = params.id ?? '';
  const file = parseMediaFile(params.file ?? '');
  if (!MEDIA_ID.test(id) || !file) return notFound();
  const rendition = await getRendition(await getDb(), id, file.width, file.format);
  if (!rendition) return notFound();
  return new Response(rendition.bytes, {
    status: 200,
    headers: {
      'Content-Type': rendition.contentType,
      'Content-Length': String(rendition.bytes.byteLength),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  });
};
