/**
 * Astro's `/_image` endpoint, switched off (astro.config.mjs `image.endpoint.entrypoint`, ADR 0023).
 * The site never uses astro:assets transforms — its images are static SVG files — so the
 * default endpoint was only a way to make the server work (and it answered 500 for SVGs).
 * Every request to it is a plain 404.
 */
import type { APIRoute } from 'astro';

export const prerender = false;

export const ALL: APIRoute = () =>
  new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
