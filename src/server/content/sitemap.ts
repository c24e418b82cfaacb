/**
 * The sitemap's XML (https://www.sitemaps.org/protocol.html): one `<urlset>` while the site has at
 * most `SITEMAP_MAX_URLS` addresses, else a `<sitemapindex>` at /sitemap.xml pointing at parts of
 * at most that many each (/sitemaps/1.xml …). The protocol allows 50,000 per file; 5,000 keeps
 * each part small enough to build per request and well under the 50 MB limit.
 */
import { paginate } from './pagination.ts';

export const SITEMAP_MAX_URLS = 5_000;

export interface SitemapUrl {
  /** A site path ("/posts/x") or an absolute URL. */
  loc: string;
  /** YYYY-MM-DD. */
  lastmod?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** How many parts `total` addresses need; 0 = they fit in one `<urlset>` (no index). */
export function sitemapPartCount(total: number, perFile = SITEMAP_MAX_URLS): number {
  return total <= perFile ? 0 : Math.ceil(total / perFile);
}

/** The addresses of part `part` (1-based), or undefined if there is no such part. */
export function sitemapPart(urls: readonly SitemapUrl[], part: number, perFile = SITEMAP_MAX_URLS): SitemapUrl[] | undefined {
  if (sitemapPartCount(urls.length, perFile) === 0) return undefined;
  const page = paginate(urls, part, perFile);
  return page.ok ? page.items : undefined;
}

/** A `<urlset>` of `urls`, made absolute against `base`. */
export function urlsetXml(urls: readonly SitemapUrl[], base: URL): string {
  const lines = urls.map((u) => `  <url><loc>${esc(new URL(u.loc, base).href)}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</urlset>\n`;
}

/** A `<sitemapindex>` of `parts` parts, each at `partPath(n)`. */
export function sitemapIndexXml(parts: number, base: URL, partPath: (n: number) => string): string {
  const lines: string[] = [];
  for (let n = 1; n <= parts; n++) lines.push(`  <sitemap><loc>${esc(new URL(partPath(n), base).href)}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</sitemapindex>\n`;
}
