/**
 * One address per page: `/posts/<slug>/` answers 301 to `/posts/<slug>` — the form the sitemap,
 * the RSS feed and every page's canonical link use — instead of a second 200 (astro.config keeps
 * `trailingSlash: 'ignore'` so endpoints and form posts are not redirected). GET and HEAD only;
 * the query string is kept. Runs before the render cache, so the cache only ever holds canonical
 * paths (scripts/serve.mjs's fast path answers those and hands everything else to Astro).
 */
import type { MiddlewareHandler } from 'astro';

/**
 * The canonical form of a path with a trailing slash, or null when it is already canonical.
 * @example canonicalPath('/posts/a/') // '/posts/a';  canonicalPath('/') // null
 */
export function canonicalPath(pathname: string): string | null {
  if (pathname.length <= 1 || !pathname.endsWith('/')) return null;
  const trimmed = pathname.replace(/\/+$/, '');
  // "//evil.example/" must not become a protocol-relative Location.
  return trimmed === '' || trimmed.startsWith('//') ? '/' : trimmed;
}

export const canonicalPaths: MiddlewareHandler = async ({ request, url }, next) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') return next();
  const to = canonicalPath(url.pathname);
  if (to === null) return next();
  return new Response(null, { status: 301, headers: { location: `${to}${url.search}`, 'cache-control': 'public, max-age=3600' } });
};
