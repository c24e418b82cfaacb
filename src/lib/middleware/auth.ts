/**
 * Sets `locals.user` / `locals.session` from the `lb_session` cookie and guards the signed-in areas
 * (rules in src/server/auth/access.ts, session model in src/server/auth/session.ts, ADR 0004).
 *
 * - A valid cookie: locals are set; when the session slid, the cookie is re-sent with the new Max-Age.
 * - A bad cookie (malformed, unknown, wrong secret, expired): deleted, and the request is anonymous.
 * - /admin…, /dashboard… without a session: 302 to /login?next=<path>; with the wrong role: the 403 page.
 * - Responses to signed-in requests and to guarded paths are `Cache-Control: private, no-store`,
 *   so no shared cache (or the render cache) ever stores one person's page for another.
 * - Uploaded images (/media/…) are the same bytes for everyone and never read the session: they
 *   skip all of this and keep their own public, immutable caching (src/pages/media/).
 */
import { defineMiddleware } from 'astro:middleware';
import { decideAccess } from '../../server/auth/index.ts';
import { validateSessionToken } from '../../server/auth/index.ts';
import { getDb } from '../runtime.ts';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../session-cookie.ts';

const FORBIDDEN_PAGE = '/403';
const PUBLIC_MEDIA = '/media/';

export const auth = defineMiddleware(async (context, next) => {
  const { cookies, locals, url } = context;
  locals.user = null;
  locals.session = null;
  if (url.pathname.startsWith(PUBLIC_MEDIA)) return next();

  const token = cookies.get(SESSION_COOKIE)?.value;
  if (token) {
    const now = Date.now();
    const result = await validateSessionToken(await getDb(), token, now);
    if (result.ok) {
      locals.user = result.user;
      locals.session = result.session;
      if (result.refreshed) setSessionCookie(cookies, token, result.session.expiresAt, now);
    } else {
      clearSessionCookie(cookies);
    }
  }

  const access = decideAccess(locals.user, url.pathname, url.search);
  if (access.kind === 'login') return noStore(context.redirect(access.location, 302));
  if (access.kind === 'forbidden') {
    // Render the site's 403 page in place (the URL stays, so signing in as someone else can come back).
    const page = await next(FORBIDDEN_PAGE);
    return noStore(new Response(page.body, { status: 403, statusText: 'Forbidden', headers: page.headers }));
  }

  const response = await next();
  if (locals.user || token) return noStore(response);
  return response;
});

function noStore(response: Response): Response {
  try {
    response.headers.set('Cache-Control', 'private, no-store');
    return response;
  } catch {
    // Immutable headers (e.g. a redirect or fetched response): copy into a new Response.
    const copy = new Response(response.body, response);
    copy.headers.set('Cache-Control', 'private, no-store');
    return copy;
  }
}
