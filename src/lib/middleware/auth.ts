import { defineMiddleware } from 'astro:middleware';

/** Placeholder: sets locals.user / locals.session from the session cookie (see src/server/auth). */
export const auth = defineMiddleware(async (_context, next) => next());
