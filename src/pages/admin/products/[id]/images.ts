/**
 * POST /admin/products/<id>/images — the edit page's gallery forms (docs/decisions/0043-product-admin.md):
 * a multipart upload (`file` + `alt`, through the media pipeline: src/server/media, ADR 0040) or a
 * small form (`action` = alt | move | remove, `image`). Each calls one workflow and redirects back to
 * the edit page's gallery (303) with a fixed ?done= or ?image_error= code the page turns into words.
 * The middleware lets only admins into /admin; the workflows check the role again. Astro's
 * checkOrigin refuses cross-site posts (CSRF).
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../../lib/app.ts';
import { readUploadForm } from '../../../../server/media/index.ts';
import { addProductImageUpload, adminProductHref, runProductImageAction } from '../../../../server/flows/index.ts';
import type { Refusal } from '../../../../server/shared/index.ts';

const back = (id: number, query: string) => new Response(null, { status: 303, headers: { Location: `${adminProductHref(id, query)}#gallery` } });

/** A refusal → the code the page shows (never the message itself in a URL). */
function errorCode(r: Refusal & { problem?: string; fieldErrors?: Record<string, string> }): string {
  if (r.problem) return r.problem;
  if (r.reason === 'too_many' || r.reason === 'not_found') return r.reason;
  const m = Object.values(r.fieldErrors ?? {})[0] ?? r.message;
  return /at most/.test(m) ? 'alt_long' : 'alt';
}

export const POST: APIRoute = async ({ request, params, locals }) => {
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : null;
  if (id === null) return new Response('No such product.', { status: 404 });
  const app = await getApp();
  if (/^multipart\/form-data/i.test(request.headers.get('content-type') ?? '')) {
    const copy = request.clone();
    const upload = await readUploadForm(request);
    if (!upload.ok) return back(id, `image_error=${upload.problem}&image=new`);
    const alt = String((await copy.formData().catch(() => null))?.get('alt') ?? '').slice(0, 400);
    const r = await addProductImageUpload(app, { user: locals.user, productId: id, bytes: upload.bytes, alt });
    return r.ok ? back(id, 'done=added') : back(id, `image_error=${errorCode(r)}&image=new`);
  }
  const form = await request.formData().catch(() => null);
  const r = await runProductImageAction(app, { user: locals.user, productId: id, form });
  if (r.ok) return back(id, `done=${r.done}`);
  const image = String(form?.get('image') ?? '');
  return back(id, `image_error=${errorCode(r)}${/^\d{1,9}$/.test(image) && form?.get('action') === 'alt' ? `&image=${image}` : ''}`);
};
