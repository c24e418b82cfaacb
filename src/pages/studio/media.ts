/**
 * POST /studio/media — an image upload from the studio (src/server/media;
 * docs/decisions/0040-media-uploads.md). A multipart form: `file` (the image) and optionally
 * `for` (hero, inline or avatar). Answers JSON: `{ ok: true, media: { id, width, height, widths,
 * src, srcsetAvif, srcsetWebp, markdown } }` (201), or `{ ok: false, message }` with 400, 413
 * (too large) or 415 (not an image we accept).
 *
 * The auth middleware lets only creators and admins into /studio (src/server/auth/access.ts); the
 * user is checked here again. A creator's upload is theirs; an admin's belongs to the shop. Astro's
 * checkOrigin refuses multipart posts from other sites (CSRF).
 */
import type { APIRoute } from 'astro';
import { mediaImage, mediaMarkdown, readUploadForm, saveUpload, uploadStatus } from '../../server/media/index.ts';
import { getDb } from '../../lib/runtime.ts';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

export const POST: APIRoute = async ({ request, locals }) => {
  const user = locals.user;
  if (!user) return json(401, { ok: false, message: 'Sign in to upload images.' });
  if (user.role === 'creator' && user.creatorId === null) return json(403, { ok: false, message: 'Your account has no creator profile to upload to.' });
  const form = await readUploadForm(request);
  if (!form.ok) return json(uploadStatus(form), { ok: false, message: form.message });
  const saved = await saveUpload(await getDb(), {
    bytes: form.bytes,
    ownerCreatorId: user.role === 'admin' ? null : user.creatorId,
    uploadedByUserId: user.id,
    now: Date.now(),
  });
  if (!saved.ok) return json(uploadStatus(saved), { ok: false, message: saved.message });
  const { id, width, height, widths } = saved.media;
  const image = mediaImage(saved.media);
  return json(201, {
    ok: true,
    media: { id, width, height, widths, src: image.src, srcsetAvif: image.srcsetAvif, srcsetWebp: image.srcsetWebp, markdown: mediaMarkdown(id) },
  });
};
