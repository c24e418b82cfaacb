/**
 * The sitemap's XML (src/server/content/sitemap.ts): one urlset up to 5,000 addresses, an index of
 * parts of at most 5,000 past that, every address absolute and escaped.
 */
import { describe, expect, it } from 'vitest';
import { SITEMAP_MAX_URLS, sitemapIndexXml, sitemapPart, sitemapPartCount, urlsetXml, type SitemapUrl } from '../../../src/server/content/index.ts';
import { paths } from '../../../src/server/shared/index.ts';

const BASE = new URL('https://shop.example');
const urls = (n: number): SitemapUrl[] => Array.from({ length: n }, (_, i) => ({ loc: `/posts/p${i + 1}` }));

describe('sitemap parts', () => {
  it('one file up to 5,000 addresses, then parts of at most 5,000', () => {
    expect(SITEMAP_MAX_URLS).toBe(5000);
    expect(sitemapPartCount(0)).toBe(0);
    expect(sitemapPartCount(5000)).toBe(0);
    expect(sitemapPartCount(5001)).toBe(2);
    expect(sitemapPartCount(10_000)).toBe(2);
    expect(sitemapPartCount(10_001)).toBe(3);
  });

  it('the parts hold every address once, in order; there are no parts without an index', () => {
    const all = urls(12_345);
    const parts = [1, 2, 3].map((n) => sitemapPart(all, n)!);
    expect(parts.map((p) => p.length)).toEqual([5000, 5000, 2345]);
    expect(parts.flat()).toEqual(all);
    expect(sitemapPart(all, 4)).toBeUndefined();
    expect(sitemapPart(all, 0)).toBeUndefined();
    expect(sitemapPart(urls(5000), 1)).toBeUndefined();
  });
});

describe('sitemap XML', () => {
  it('a urlset of absolute, escaped addresses with their dates', () => {
    const xml = urlsetXml([{ loc: '/' }, { loc: '/posts/a&b<c>', lastmod: '2026-11-17' }], BASE);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        '  <url><loc>https://shop.example/</loc></url>\n' +
        '  <url><loc>https://shop.example/posts/a&amp;b%3Cc%3E</loc><lastmod>2026-11-17</lastmod></url>\n' +
        '</urlset>\n',
    );
  });

  it('an index pointing at each part', () => {
    const xml = sitemapIndexXml(2, BASE, paths.sitemapPart);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        '  <sitemap><loc>https://shop.example/sitemaps/1.xml</loc></sitemap>\n' +
        '  <sitemap><loc>https://shop.example/sitemaps/2.xml</loc></sitemap>\n' +
        '</sitemapindex>\n',
    );
  });
});
