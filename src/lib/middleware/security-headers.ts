/**
 * Security headers on every response Astro makes (ADR 0023; the list is in
 * src/lib/security-headers.mjs, shared with scripts/serve.mjs). Registered first in
 * src/middleware.ts, so redirects, the 403 page, endpoints and render-cache answers all get them.
 * A page's own Content-Security-Policy (Astro's, with its script and style hashes) is kept; the
 * fallback policy only fills in where there is none.
 */
import { defineMiddleware } from 'astro:middleware';
import { securityHeaders } from '../security-headers.mjs';
import { shop } from '../runtime.ts';

const HEADERS = securityHeaders({ secure: shop.secureCookies });

export function withSecurityHeaders(response: Response): Response {
  let out = response;
  for (const [name, value] of HEADERS) {
    if (name === 'Content-Security-Policy' && out.headers.has(name)) continue;
    try {
      out.headers.set(name, value);
    } catch {
      // Immutable headers (a redirect or fetched response): copy into a new Response first.
      out = new Response(out.body, out);
      out.headers.set(name, value);
    }
  }
  return out;
}

export const security = defineMiddleware(async (_context, next) => withSecurityHeaders(await next()));
