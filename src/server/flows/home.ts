/**
 * The home page's "Trending" strip: what sold most in the last 7 days (net of refunds), then the
 * pieces creators feature most — only what a reader can still buy, at most six.
 */
import { bestSellingSlugs, getProductsBySlug, totalAvailable, type ProductView } from '../catalog/index.ts';
import { mostFeatured, type PostSummary } from '../content/index.ts';
import { DAY_MS } from '../shared/index.ts';
import type { App } from './app.ts';

export const TRENDING_WINDOW_DAYS = 7;

export async function trendingProducts(app: App, posts: readonly PostSummary[], { now = Date.now(), limit = 6 }: { now?: number; limit?: number } = {}): Promise<ProductView[]> {
  const sold = await bestSellingSlugs(app.db, now - TRENDING_WINDOW_DAYS * DAY_MS, 12);
  const candidates = [...new Set([...sold.map((s) => s.slug), ...mostFeatured(posts).map((c) => c.slug)])].slice(0, 16);
  const products = await getProductsBySlug(app.db, candidates, now);
  return candidates
    .map((s) => products.get(s))
    .filter((p): p is ProductView => p !== undefined && p.active && totalAvailable(p.variants) > 0)
    .slice(0, limit);
}
