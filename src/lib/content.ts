/**
 * Page-side adapter over the content collections: loads published posts and creators once per
 * process (the collections are fixed at build time) as plain data for src/server/content.
 */
import { dateFormat } from '../server/shared/index.ts';
import { shop } from './runtime.ts';
import { getCollection, type CollectionEntry } from 'astro:content';
import { extractProductRefs } from '../server/content/index.ts';
import { newestFirst, type PostSummary } from '../server/content/index.ts';

export type CreatorEntry = CollectionEntry<'creators'>;

let postsPromise: Promise<PostSummary[]> | undefined;
let creatorsPromise: Promise<Map<string, CreatorEntry['data']>> | undefined;

export function publishedPosts(): Promise<PostSummary[]> {
  postsPromise ??= getCollection('posts', (p) => !p.data.draft).then((entries) =>
    newestFirst(
      entries.map((e) => ({
        slug: e.id,
        title: e.data.title,
        summary: e.data.summary,
        creator: e.data.creator,
        kind: e.data.kind,
        published: e.data.published,
        hero: e.data.hero,
        tags: e.data.tags,
        refs: extractProductRefs(e.body ?? ''),
      })),
    ),
  );
  return postsPromise;
}

export function creatorsByHandle(): Promise<Map<string, CreatorEntry['data']>> {
  creatorsPromise ??= getCollection('creators').then((entries) => new Map(entries.map((e) => [e.data.handle, e.data])));
  return creatorsPromise;
}

/** Post dates ("November 23, 2026" in en-US), in the shop's locale. */
export const postDateFormat = dateFormat(shop.locale, 'long-day');
