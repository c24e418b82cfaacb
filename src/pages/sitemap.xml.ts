/**
 * A live sitemap: posts and creators from content, active products from the database.
 * (@astrojs/sitemap only lists prerendered pages; every page here is server-rendered.)
 * Up to 5,000 addresses it is one `<urlset>`; past that a `<sitemapindex>` of parts at
 * /sitemaps/1.xml … (src/server/content/sitemap.ts, ./sitemaps/[part].xml.ts).
 * Render-cached: a publish bumps the content version and a product change the catalog's.
 */
import type { APIRoute } from 'astro';
import { sitemapUrls, XML_HEADERS } from '../lib/sitemap.ts';
import { sitemapIndexXml, sitemapPartCount, urlsetXml } from '../server/content/index.ts';
import { paths } from '../server/shared/index.ts';

export const GET: APIRoute = async ({ site, url, locals }) => {
  const base = site ?? new URL(url.origin);
  const urls = await sitemapUrls();
  const parts = sitemapPartCount(urls.length);
  const body = parts === 0 ? urlsetXml(urls, base) : sitemapIndexXml(parts, base, paths.sitemapPart);
  locals.renderCache = { cacheable: true };
  return new Response(body, { headers: XML_HEADERS });
};
