import './lib/app.ts'; // registers the sweeper for scripts/serve.mjs
import { sequence } from 'astro:middleware';
import { auth } from './lib/middleware/auth.ts';
import { canonicalPaths } from './lib/middleware/canonical-path.ts';
import { cache } from './lib/middleware/render-cache.ts';
import { referral } from './lib/middleware/referral.ts';
import { security } from './lib/middleware/security-headers.ts';

// Security headers wrap everything, so every response gets them (ADR 0023).
// The cache runs next: a hit is served before any session lookup (it only serves requests
// without a session or bag cookie).
// ?ref= runs before it: such a request has a query string, so the cache never answers it.
// A trailing-slash address redirects to the canonical one before anything is cached.
export const onRequest = sequence(security, canonicalPaths, referral, cache, auth);
