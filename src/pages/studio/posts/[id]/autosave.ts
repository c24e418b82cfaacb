/**
 * POST JSON `{ draftVersion, fields: { title, slug, summary, kind, tags, heroMediaId, heroAlt, body } }`:
 * the editor's autosave (src/server/flows/studio.ts `saveStudioDraft`).
 * 200 `{ ok: true, draftVersion, savedAt, body }` (the body with card ids written in);
 * 409 `{ ok: false, reason: 'conflict', message }` when another window saved since;
 * 400 `{ ok: false, message, problems?, fieldErrors? }` — nothing written.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../../lib/app.ts';
import { fileSlugs } from '../../../../lib/content.ts';
import { saveStudioDraft } from '../../../../server/flows/index.ts';
import { httpStatus } from '../../../../server/shared/index.ts';

const MAX_BYTES = 400_000;
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });

export const POST: APIRoute = async ({ locals, params, request }) => {
  const user = locals.user;
  if (!user) return json(401, { ok: false, reason: 'signed_out', message: 'Your session has ended. Sign in again in another tab, then keep writing: nothing here is lost yet.' });
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : 0;
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BYTES) return json(413, { ok: false, message: 'The post is too long to save (at most 100,000 characters).' });
  let input: { draftVersion?: unknown; fields?: unknown };
  try {
    input = (await request.json()) as typeof input;
  } catch {
    return json(400, { ok: false, message: 'The draft could not be read. Reload the page and try again.' });
  }
  const fields = input && typeof input.fields === 'object' && input.fields !== null ? (input.fields as Record<string, unknown>) : {};
  const draftVersion = typeof input?.draftVersion === 'number' ? input.draftVersion : Number(input?.draftVersion);
  const r = await saveStudioDraft(await getApp(), user, id, { fields, draftVersion: Number.isSafeInteger(draftVersion) ? draftVersion : -1, fileSlugs: await fileSlugs() });
  if (!r.ok) return json(httpStatus(r), r);
  return json(200, { ok: true, draftVersion: r.draftVersion, savedAt: new Date(r.savedAt).toISOString(), body: r.body });
};
