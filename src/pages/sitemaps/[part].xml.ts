/**
 * One part of the sitemap once /sitemap.xml is an index (more than 5,000 addresses): /sitemaps/1.xml …,
 * at most 5,000 addresses each (src/server/content/sitemap.ts). A part that does not exist — or any
 * part while the sitemap is still one file — is not found.
 */
import type { APIRoute } from 'astro';
import { sitemapUrls, XML_HEADERS } from '../../lib/sitemap.ts';
import { sitemapPart, urlsetXml } from '../../server/content/index.ts';

export const GET: APIRoute = async ({ params, site, url, locals }) => {
  // Only the address paths.sitemapPart(n) builds: no sign, no leading zero.
  const raw = params.part ?? '';
  const part = /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : undefined;
  const urls = part === undefined ? undefined : sitemapPart(await sitemapUrls(), part);
  if (!urls) return new Response(null, { status: 404, statusText: 'Not found' });
  locals.renderCache = { cacheable: true };
  return new Response(urlsetXml(urls, site ?? new URL(url.origin)), { headers: XML_HEADERS });
};
