/**
 * POST (multipart `file`): an image for this post — cover or inline — processed by the media
 * capability and owned by the post's creator (src/server/flows/studio.ts `uploadStudioImage`).
 * JSON: `{ ok: true, media: { id, width, height, widths, src, srcsetAvif, srcsetWebp, markdown } }`
 * or `{ ok: false, message }` with the status the refusal maps to.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../../lib/app.ts';
import { uploadStudioImage } from '../../../../server/flows/index.ts';
import { MEDIA_LIMITS, mediaImage, mediaMarkdown, uploadRefusal, uploadStatus } from '../../../../server/media/index.ts';
import { httpStatus } from '../../../../server/shared/index.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

export const POST: APIRoute = async ({ locals, params, request }) => {
  const user = locals.user;
  if (!user) return json(401, { ok: false, message: 'Your session has ended. Sign in again to upload.' });
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : 0;
  // Refuse an oversized body before reading it (the multipart envelope adds a little).
  if (Number(request.headers.get('content-length') ?? '0') > MEDIA_LIMITS.maxBytes + 64 * 1024) {
    const r = uploadRefusal('too_large');
    return json(uploadStatus(r), { ok: false, message: r.message });
  }
  const form = await request.formData().catch(() => null);
  const file = form?.get('file');
  if (!(file instanceof File) || file.size === 0) return json(400, { ok: false, message: 'Choose an image to upload.' });
  const r = await uploadStudioImage(await getApp(), user, id, new Uint8Array(await file.arrayBuffer()));
  if (!r.ok) return json('problem' in r ? uploadStatus(r) : httpStatus(r), { ok: false, message: r.message });
  return json(200, { ok: true, media: { ...r.media, ...mediaImage(r.media), markdown: mediaMarkdown(r.media.id) } });
};
