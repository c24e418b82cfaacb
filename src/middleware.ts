import './lib/jobs.ts'; // registers the sweeper for scripts/serve.mjs
import { sequence } from 'astro:middleware';
import { auth } from './lib/middleware/auth.ts';
import { cache } from './lib/middleware/render-cache.ts';
import { referral } from './lib/middleware/referral.ts';

// The cache runs first: a hit is served before any session lookup (it only serves requests
// without a session or bag cookie).
// ?ref= runs before it: such a request has a query string, so the cache never answers it.
export const onRequest = sequence(referral, cache, auth);
