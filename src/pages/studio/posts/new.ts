/** POST: start a draft (an admin names the creator) and open it in the editor. */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { createStudioPost } from '../../../server/flows/index.ts';
import { paths } from '../../../server/shared/index.ts';

export const POST: APIRoute = async ({ locals, request, redirect }) => {
  const user = locals.user;
  if (!user) return redirect(paths.login('/studio'), 303);
  const form = await request.formData().catch(() => null);
  const creator = String(form?.get('creator') ?? '');
  const created = await createStudioPost(await getApp(), user, { ...(/^\d{1,9}$/.test(creator) ? { creatorId: Number(creator) } : {}) });
  if (!created.ok) return redirect('/studio?error=creator', 303);
  return redirect(paths.studioPost(created.id), 303);
};
