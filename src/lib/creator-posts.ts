/**
 * A creator's published posts, newest first, without scanning every post on each request: the
 * posts are grouped by creator once per content index (`publishedPosts()` returns the same array
 * until a publish rebuilds it, so the array itself is the cache key — a new one is grouped afresh
 * and the old grouping is garbage with it).
 */
import type { PostSummary } from '../server/content/index.ts';
import { publishedPosts } from './content.ts';

const grouped = new WeakMap<readonly PostSummary[], Map<string, PostSummary[]>>();
const NONE: readonly PostSummary[] = Object.freeze([]);

export async function creatorPosts(handle: string): Promise<readonly PostSummary[]> {
  const all = await publishedPosts();
  let byCreator = grouped.get(all);
  if (!byCreator) {
    byCreator = new Map();
    for (const p of all) {
      const list = byCreator.get(p.creator);
      if (list) list.push(p);
      else byCreator.set(p.creator, [p]);
    }
    grouped.set(all, byCreator);
  }
  return byCreator.get(handle) ?? NONE;
}
