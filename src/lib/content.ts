/**
 * Page-side adapter over the one post model (docs/decisions/0038-studio-posts.md): posts kept as
 * files (content collections, fixed at build) and posts written in the studio (the database),
 * merged newest first, with the creators' profiles from both.
 *
 * Live without a rebuild, strict on every instance: the studio half is rebuilt when the content
 * version (bumped in the same transaction as every publish, unpublish, schedule and profile save)
 * changes, or when the next schedule comes due — checked on every call with one single-row read
 * (coalesced, never older than the call: src/server/catalog/version-reader.ts).
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { dateFormat } from '../server/shared/index.ts';
import { getDb, shop } from './runtime.ts';
import { VersionReader } from '../server/catalog/index.ts';
import {
  extractProductRefs,
  getContentVersion,
  listCreatorProfiles,
  newestFirst,
  nextStudioBoundary,
  postIdForSlug,
  readerStudioPosts,
  revisionDoc,
  type PostSummary,
  type StudioDoc,
} from '../server/content/index.ts';
import { getMediaInfo, mediaImage } from '../server/media/index.ts';
import { paths } from '../server/shared/index.ts';

export type CreatorEntry = CollectionEntry<'creators'>;
export type CreatorProfile = CreatorEntry['data'];

/** Shown for a creator who has not uploaded a photo yet. */
export const PLACEHOLDER_AVATAR = '/images/creators/placeholder.svg';

let fileEntries: Promise<CollectionEntry<'posts'>[]> | undefined;
let filePostsPromise: Promise<PostSummary[]> | undefined;
let fileCreatorsPromise: Promise<Map<string, CreatorProfile>> | undefined;

function allFileEntries(): Promise<CollectionEntry<'posts'>[]> {
  fileEntries ??= getCollection('posts');
  return fileEntries;
}

function filePosts(): Promise<PostSummary[]> {
  filePostsPromise ??= allFileEntries().then((entries) =>
    entries
      .filter((e) => !e.data.draft)
      .map((e) => ({
        source: 'file' as const,
        slug: e.id,
        title: e.data.title,
        summary: e.data.summary,
        creator: e.data.creator,
        kind: e.data.kind,
        published: e.data.published,
        hero: { ...e.data.hero, width: 1200, height: 1500 },
        tags: e.data.tags,
        refs: extractProductRefs(e.body ?? ''),
      })),
  );
  return filePostsPromise;
}

/** Every address a file post holds (drafts too): studio posts may not take one. */
export async function fileSlugs(): Promise<Set<string>> {
  return new Set((await allFileEntries()).map((e) => e.id));
}

function fileCreators(): Promise<Map<string, CreatorProfile>> {
  fileCreatorsPromise ??= getCollection('creators').then((entries) => new Map(entries.map((e) => [e.data.handle, e.data])));
  return fileCreatorsPromise;
}

interface ContentIndex {
  version: number;
  /** Rebuild at or after this time (the next scheduled publish). */
  validUntil: number;
  posts: PostSummary[];
  bySlug: Map<string, PostSummary>;
  /** Studio post id → the post as readers see it now (old addresses redirect to it). */
  byPostId: Map<number, PostSummary>;
  creators: Map<string, CreatorProfile>;
}

const versions = new VersionReader(async () => getContentVersion(await getDb()));
let current: ContentIndex | undefined;
let building: { version: number; promise: Promise<ContentIndex> } | undefined;

async function contentIndex(): Promise<ContentIndex> {
  const version = await versions.read();
  const now = Date.now();
  if (current && current.version === version && now < current.validUntil) return current;
  // One rebuild per version at a time; concurrent callers share it.
  if (building && building.version === version) return building.promise;
  const promise = buildIndex(version, now).then((index) => {
    if (!current || index.version >= current.version) current = index;
    return index;
  });
  building = { version, promise };
  try {
    return await promise;
  } finally {
    if (building?.promise === promise) building = undefined;
  }
}

async function buildIndex(version: number, now: number): Promise<ContentIndex> {
  const db = await getDb();
  const [files, studio, boundary, dbCreators, fileProfiles] = await Promise.all([filePosts(), readerStudioPosts(db, now), nextStudioBoundary(db, now), listCreatorProfiles(db), fileCreators()]);
  const heroIds = [...new Set(studio.map((p) => p.hero.mediaId).filter((x): x is string => x !== null))];
  const avatarIds = dbCreators.map((c) => c.avatarMediaId).filter((x): x is string => x !== null);
  const images = await getMediaInfo(db, [...heroIds, ...avatarIds], { anyOwner: true });
  const byPostId = new Map<number, PostSummary>();
  const studioPosts = studio.map((p) => {
    const info = p.hero.mediaId ? images.get(p.hero.mediaId) : undefined;
    const img = info ? mediaImage(info) : undefined;
    const summary: PostSummary = {
      source: 'studio',
      revisionId: p.revisionId,
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      creator: p.creator,
      kind: p.kind,
      published: new Date(p.publishedAt),
      hero: img
        ? { src: img.src, alt: p.hero.alt, width: img.width, height: img.height, srcsetAvif: img.srcsetAvif, srcsetWebp: img.srcsetWebp }
        : { src: '/images/posts/placeholder.svg', alt: p.hero.alt, width: 1200, height: 1500 },
      tags: p.tags,
      refs: p.refs,
    };
    byPostId.set(p.postId, summary);
    return summary;
  });
  // A file post wins an address clash (the studio refuses such slugs; this only guards old data).
  const fileSet = new Set(files.map((f) => f.slug));
  const posts = newestFirst([...files, ...studioPosts.filter((p) => !fileSet.has(p.slug))]);
  const creators = new Map(fileProfiles);
  for (const c of dbCreators) {
    const file = fileProfiles.get(c.handle);
    if (c.profileUpdatedAt === null && file) continue;
    const avatar = c.avatarMediaId ? images.get(c.avatarMediaId) : undefined;
    creators.set(c.handle, {
      handle: c.handle,
      name: c.displayName,
      bio: c.profileUpdatedAt === null ? `${c.displayName} creates for this shop. Their posts and picks will appear here.` : c.bio,
      ...(c.location ? { location: c.location } : {}),
      avatar: avatar ? paths.media(avatar.id, avatar.widths[0]!, 'webp') : (file?.avatar ?? PLACEHOLDER_AVATAR),
      links: c.links,
      featured: file?.featured ?? false,
    });
  }
  return { version, validUntil: boundary, posts, bySlug: new Map(posts.map((p) => [p.slug, p])), byPostId, creators };
}

/** Every published post, newest first (file and studio). */
export async function publishedPosts(): Promise<PostSummary[]> {
  return (await contentIndex()).posts;
}

/** Every creator with a public page: profile files, studio profiles, and creators who just joined. */
export async function creatorsByHandle(): Promise<Map<string, CreatorProfile>> {
  return (await contentIndex()).creators;
}

/** The published post at `slug`, if any (one map lookup). */
export async function publishedPost(slug: string): Promise<PostSummary | undefined> {
  return (await contentIndex()).bySlug.get(slug);
}

/** A lookup over the posts readers see now (for checks that need a plain function). */
export async function publishedPostLookup(): Promise<(slug: string) => PostSummary | undefined> {
  const { bySlug } = await contentIndex();
  return (slug) => bySlug.get(slug);
}

/** Revisions never change, so their documents are cached by id (bounded). */
const docs = new Map<number, StudioDoc>();
const DOC_CACHE = 500;

export async function studioDocument(revisionId: number): Promise<StudioDoc | undefined> {
  const hit = docs.get(revisionId);
  if (hit) return hit;
  const doc = await revisionDoc(await getDb(), revisionId);
  if (!doc) return undefined;
  docs.set(revisionId, doc);
  if (docs.size > DOC_CACHE) docs.delete(docs.keys().next().value!);
  return doc;
}

/** Where an old address of a studio post leads now (its current address), if anywhere. */
export async function movedPost(slug: string): Promise<string | undefined> {
  const index = await contentIndex();
  const id = await postIdForSlug(await getDb(), slug);
  const post = id === undefined ? undefined : index.byPostId.get(id);
  return post && post.slug !== slug ? post.slug : undefined;
}

/** The next moment a schedule changes what readers see (the render cache ends entries there). */
export async function contentValidUntil(): Promise<number> {
  return (await contentIndex()).validUntil;
}

/** Post dates ("November 23, 2026" in en-US), in the shop's locale. */
export const postDateFormat = dateFormat(shop.locale, 'long-day');
