/**
 * POST /logout — ends the session, clears the cookie, goes home. POST only: a link or an image
 * pointing here must not sign anyone out, and checkOrigin refuses cross-site posts.
 */
import type { APIRoute } from 'astro';
import { getDb } from '../lib/runtime.ts';
import { clearSessionCookie } from '../lib/session-cookie.ts';
import { logOut } from '../server/auth/index.ts';
import { paths } from '../server/shared/index.ts';

export const POST: APIRoute = async ({ locals, cookies, redirect }) => {
  await logOut(await getDb(), locals.session?.id);
  clearSessionCookie(cookies);
  locals.user = null;
  locals.session = null;
  const response = redirect(paths.home(), 302);
  response.headers.set('Cache-Control', 'private, no-store');
  return response;
};

export const GET: APIRoute = () =>
  new Response('Sign out with the "Sign out" button (POST /logout).', {
    status: 405,
    headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' },
  });
