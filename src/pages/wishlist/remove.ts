/**
 * POST /wishlist/remove — "Remove" on the wishlist page. Only the reader's own item can go; then
 * back to the wishlist (303), which says what was removed.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../lib/app.ts';
import { formFields } from '../../lib/bag.ts';
import { guestListId } from '../../lib/wishlist.ts';
import { ownerOf, removeSaved } from '../../server/flows/index.ts';
import { wishlistPaths } from '../../server/shared/index.ts';

export const POST: APIRoute = async ({ request, cookies, locals, redirect }) => {
  const fields = await formFields(request).catch(() => ({}) as Record<string, string>);
  const app = await getApp();
  const r = await removeSaved(app, { owner: ownerOf(locals.user, guestListId(cookies)), fields });
  const res = redirect(`${wishlistPaths.wishlist()}?${r.ok ? 'removed=1' : 'gone=1'}`, 303);
  res.headers.set('Cache-Control', 'private, no-store');
  return res;
};

export const GET: APIRoute = ({ redirect }) => redirect(wishlistPaths.wishlist(), 303);
