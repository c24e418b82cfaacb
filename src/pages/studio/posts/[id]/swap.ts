/**
 * POST (form: `card`, `product`, optional `variant`, `draftVersion`): the content health "Swap in"
 * button (src/server/flows/content-health.ts `swapCard`). A plain form that works without
 * JavaScript; cross-site posts are refused by Astro's origin check (astro.config.mjs
 * `security.checkOrigin`), as for every studio form. Answers 303 back to the editor with a notice
 * code; someone else's post (or none) is a 404, as everywhere in the studio.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../../lib/app.ts';
import { fileSlugs } from '../../../../lib/content.ts';
import { swapCard, swapNotice } from '../../../../server/flows/index.ts';
import { paths } from '../../../../server/shared/index.ts';

export const POST: APIRoute = async ({ locals, params, request, redirect }) => {
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : 0;
  const user = locals.user;
  if (!user) return redirect(paths.login(paths.studioPost(id)), 303);
  const form = await request.formData().catch(() => null);
  const field = (k: string) => {
    const v = form?.get(k);
    return typeof v === 'string' ? v.trim() : '';
  };
  const card = /^\d{1,9}$/.test(field('card')) ? Number(field('card')) : -1;
  const draftVersion = /^\d{1,12}$/.test(field('draftVersion')) ? Number(field('draftVersion')) : -1;
  const variant = field('variant') || undefined;
  const app = await getApp();
  const r = await swapCard(app, user, id, { card, product: field('product').slice(0, 100), variant, draftVersion, fileSlugs: await fileSlugs() });
  if (!r.ok && r.reason === 'not_found') return new Response(null, { status: 404, statusText: 'Not found' });
  return redirect(`${paths.studioPost(id)}?health=${swapNotice(r)}#content-health`, 303);
};
