/**
 * Pure helpers over published posts (plain data; the page adapter src/lib/content.ts loads them
 * from the content collections).
 */
import type { ProductRef } from './product-refs.ts';

export type PostKind = 'look' | 'guide' | 'review';
export const KIND_LABEL: Record<PostKind, string> = { look: 'Look', guide: 'Styling guide', review: 'Review' };

/** A cover image: file posts use a fixed-size image, studio posts an upload with its renditions. */
export interface PostHero {
  src: string;
  alt: string;
  width?: number;
  height?: number;
  srcsetAvif?: string;
  srcsetWebp?: string;
}

export interface PostSummary {
  /** Where the post lives: a file in src/content/posts, or the studio (the database). */
  source?: 'file' | 'studio';
  /** Studio posts: the revision readers see (its document is rendered by the post page). */
  revisionId?: number;
  slug: string;
  title: string;
  summary: string;
  creator: string;
  kind: PostKind;
  published: Date;
  hero: PostHero;
  tags: string[];
  refs: ProductRef[];
}

export function newestFirst<T extends Pick<PostSummary, 'published' | 'slug'>>(posts: readonly T[]): T[] {
  return [...posts].sort((a, b) => b.published.getTime() - a.published.getTime() || a.slug.localeCompare(b.slug));
}

/**
 * Related posts: shared tags count most, the same creator next, shared products after; newest breaks ties.
 */
export function relatedPosts(post: PostSummary, all: readonly PostSummary[], limit = 3): PostSummary[] {
  const tags = new Set(post.tags);
  const products = new Set(post.refs.map((r) => r.slug));
  const scored = all
    .filter((p) => p.slug !== post.slug)
    .map((p) => {
      const sharedTags = p.tags.filter((t) => tags.has(t)).length;
      const sharedProducts = new Set(p.refs.map((r) => r.slug).filter((s) => products.has(s))).size;
      return { p, score: sharedTags * 3 + (p.creator === post.creator ? 2 : 0) + sharedProducts };
    });
  return scored
    .sort((a, b) => b.score - a.score || b.p.published.getTime() - a.p.published.getTime())
    .slice(0, limit)
    .map((s) => s.p);
}

/** The posts whose cards show a product ("Featured in"), newest first. */
export function postsFeaturing(productSlug: string, all: readonly PostSummary[]): PostSummary[] {
  return newestFirst(all.filter((p) => p.refs.some((r) => r.slug === productSlug)));
}

/** Products ranked by how many posts feature them (the home page's "trending" strip before sales data exists). */
export function mostFeatured(all: readonly PostSummary[]): { slug: string; posts: number }[] {
  const counts = new Map<string, number>();
  for (const p of all) for (const slug of new Set(p.refs.map((r) => r.slug))) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  return [...counts].map(([slug, posts]) => ({ slug, posts })).sort((a, b) => b.posts - a.posts || a.slug.localeCompare(b.slug));
}
