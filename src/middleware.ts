import './lib/jobs.ts'; // registers the sweeper for scripts/serve.mjs
import { sequence } from 'astro:middleware';
import { auth } from './lib/middleware/auth.ts';
import { cache } from './lib/middleware/render-cache.ts';

// The cache runs first: a hit is served before any session lookup (it only serves requests
// without a session or bag cookie).
export const onRequest = sequence(cache, auth);
