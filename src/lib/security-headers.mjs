// @ts-check
/**
 * The security headers every response carries (ADR 0023), in one place for both doors:
 * the Astro middleware (src/lib/middleware/security-headers.ts) and scripts/serve.mjs, which sets
 * them on every node:http response — static files and render-cache hits never reach Astro.
 * Plain JavaScript so that serve.mjs can import it without a build.
 *
 * Pages rendered by Astro carry their own Content-Security-Policy (astro.config.mjs
 * `security.csp`: the same directives plus hashes of the page's inline scripts and styles), so
 * FALLBACK_CSP only applies to what has none: endpoints, redirects, static files.
 */

/** The CSP directives besides script-src/style-src (which Astro writes with its hashes). */
/** @type {(`default-src${string}` | `img-src${string}` | `font-src${string}` | `connect-src${string}` | `object-src${string}` | `base-uri${string}` | `form-action${string}` | `frame-ancestors${string}`)[]} */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  // Checkout posts here and may be redirected to Stripe Checkout (ADR 0006).
  "form-action 'self' https://checkout.stripe.com",
  "frame-ancestors 'none'",
];

/** For responses without a page's own policy: nothing may run or frame them. */
export const FALLBACK_CSP = [...CSP_DIRECTIVES, "script-src 'self'", "style-src 'self'"].join('; ');

/** HSTS only behind HTTPS (SECURE_COOKIES=true): a year, subdomains included. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * @param {{ secure: boolean }} options `secure`: SECURE_COOKIES (the site is served over HTTPS)
 * @returns {[string, string][]} header name and value pairs; Content-Security-Policy is FALLBACK_CSP
 * @example securityHeaders({ secure: false }) // [['X-Frame-Options', 'DENY'], …]
 */
export function securityHeaders({ secure }) {
  /** @type {[string, string][]} */
  const headers = [
    ['Content-Security-Policy', FALLBACK_CSP],
    ['X-Frame-Options', 'DENY'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ];
  if (secure) headers.push(['Strict-Transport-Security', HSTS]);
  return headers;
}
