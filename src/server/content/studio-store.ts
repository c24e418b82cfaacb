/**
 * Studio posts in the database (docs/decisions/0038-studio-posts.md): the working draft on the
 * post row, a revision per publish, every published slug in post_slugs.
 *
 * Every write that changes what readers see (publish, schedule, unpublish, a profile) bumps the
 * content version in its own transaction: the post index of every app instance and the render
 * cache compare it on each request, so a change is live everywhere at the next request and a
 * cached page is never staler than the last committed write. A schedule needs no write when it
 * comes due: readers' queries decide by the clock (`readerRevision`), and caches end at the next
 * schedule (`nextStudioBoundary`).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db.ts';
import { cacheVersions, creators, media, postRevisions, postSlugs, posts } from '../../../db/schema/index.ts';
import type { PostKind } from './posts.ts';
import type { ProductRef } from './product-refs.ts';
import type { StudioDoc } from './studio-doc.ts';
import { readerRevision, studioStatus, type DraftFields, type PublishState, type StudioStatus } from './studio-rules.ts';

export type StudioPostRow = typeof posts.$inferSelect;
export type RevisionRow = typeof postRevisions.$inferSelect;

/** A card as published, with its product's price then (content health compares it with today's). */
export interface PublishedRef extends ProductRef {
  priceCents: number | null;
}

const CONTENT = 'content';

/** The content version (bumped by every reader-visible studio write). */
export async function getContentVersion(db: DbOrTx): Promise<number> {
  const row = await db.select({ v: cacheVersions.version }).from(cacheVersions).where(eq(cacheVersions.key, CONTENT)).get();
  return row?.v ?? 0;
}

export async function bumpContentVersion(db: DbOrTx): Promise<void> {
  await db
    .insert(cacheVersions)
    .values({ key: CONTENT, version: 1 })
    .onConflictDoUpdate({ target: cacheVersions.key, set: { version: sql`${cacheVersions.version} + 1` } });
}

/** A server-chosen placeholder address for a new draft (replaced by one made from the title). */
export function draftSlug(): string {
  return `draft-${randomBytes(6).toString('hex')}`;
}

export async function insertStudioPost(db: DbOrTx, creatorId: number, now: number): Promise<StudioPostRow> {
  return db.insert(posts).values({ slug: draftSlug(), creatorId, createdAt: now, updatedAt: now }).returning().get();
}

export async function getStudioPost(db: DbOrTx, id: number): Promise<(StudioPostRow & { creatorHandle: string; creatorName: string }) | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const row = await db
    .select({ post: posts, creatorHandle: creators.handle, creatorName: creators.displayName })
    .from(posts)
    .innerJoin(creators, eq(creators.id, posts.creatorId))
    .where(eq(posts.id, id))
    .get();
  return row ? { ...row.post, creatorHandle: row.creatorHandle, creatorName: row.creatorName } : undefined;
}

/** The draft as the editor shows it. */
export function draftFieldsOf(row: StudioPostRow): DraftFields {
  return {
    title: row.title,
    slug: row.slug.startsWith('draft-') && row.firstPublishedAt === null ? '' : row.slug,
    summary: row.summary,
    kind: row.kind,
    tags: parseJsonArray(row.tagsJson),
    heroMediaId: row.heroMediaId,
    heroAlt: row.heroAlt,
    body: row.body,
  };
}

/**
 * Whether `slug` is free for post `postId`: not another studio post's draft address, not an
 * address another post was ever published under, and not a post kept as a file.
 */
export async function slugTaken(db: DbOrTx, slug: string, postId: number, fileSlugs: ReadonlySet<string>): Promise<string | null> {
  if (fileSlugs.has(slug)) return 'A post kept in the site files already uses this address.';
  const [draft, published] = await Promise.all([
    db.select({ id: posts.id }).from(posts).where(and(eq(posts.slug, slug), ne(posts.id, postId))).get(),
    db.select({ id: postSlugs.postId }).from(postSlugs).where(and(eq(postSlugs.slug, slug), ne(postSlugs.postId, postId))).get(),
  ]);
  if (draft || published) return 'Another post already uses this address; choose another.';
  return null;
}

/**
 * Saves the draft if nobody saved since `draftVersion`; returns the new version or null (conflict).
 * Saving what is already stored writes nothing and returns the stored version.
 */
export async function writeDraft(
  tx: DbOrTx,
  id: number,
  fields: DraftFields,
  { draftVersion, nextCard, now }: { draftVersion: number; nextCard: number; now: number },
): Promise<number | null> {
  // A save of exactly what is stored changes nothing, so it keeps the version and is no conflict,
  // whichever version it was based on: the editor's "Preview" saves the form in another tab while
  // this tab's autosave may send the same text, and neither may turn the other into a conflict.
  const current = await tx.select().from(posts).where(eq(posts.id, id)).get();
  if (!current) return null;
  if (
    current.title === fields.title &&
    (!fields.slug || current.slug === fields.slug) &&
    current.summary === fields.summary &&
    current.kind === fields.kind &&
    current.tagsJson === JSON.stringify(fields.tags) &&
    current.heroMediaId === fields.heroMediaId &&
    current.heroAlt === fields.heroAlt &&
    current.body === fields.body &&
    current.nextCard === nextCard
  ) {
    return current.draftVersion;
  }
  if (current.draftVersion !== draftVersion) return null;
  const row = await tx
    .update(posts)
    .set({
      title: fields.title,
      ...(fields.slug ? { slug: fields.slug } : {}),
      summary: fields.summary,
      kind: fields.kind,
      tagsJson: JSON.stringify(fields.tags),
      heroMediaId: fields.heroMediaId,
      heroAlt: fields.heroAlt,
      body: fields.body,
      nextCard,
      draftVersion: sql`${posts.draftVersion} + 1`,
      updatedAt: now,
    })
    .where(and(eq(posts.id, id), eq(posts.draftVersion, draftVersion)))
    .returning({ v: posts.draftVersion })
    .get();
  return row?.v ?? null;
}

export async function insertRevision(
  tx: DbOrTx,
  row: StudioPostRow,
  { doc, refs, publishAt, userId, now }: { doc: StudioDoc; refs: PublishedRef[]; publishAt: number; userId: number; now: number },
): Promise<RevisionRow> {
  const last = await tx.select({ n: sql<number>`coalesce(max(${postRevisions.number}), 0)` }).from(postRevisions).where(eq(postRevisions.postId, row.id)).get();
  return tx
    .insert(postRevisions)
    .values({
      postId: row.id,
      number: Number(last?.n ?? 0) + 1,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      kind: row.kind,
      tagsJson: row.tagsJson,
      heroMediaId: row.heroMediaId,
      heroAlt: row.heroAlt,
      body: row.body,
      docJson: JSON.stringify(doc),
      refsJson: JSON.stringify(refs),
      createdAt: now,
      createdByUserId: userId,
      publishAt,
    })
    .returning()
    .get();
}

/** Records that the post is (or will be) reachable at `slug`; old slugs stay and redirect. */
export async function claimSlug(tx: DbOrTx, slug: string, postId: number, now: number): Promise<void> {
  await tx.insert(postSlugs).values({ slug, postId, createdAt: now }).onConflictDoNothing();
}

/** Writes the publish state (settle first: `settled` in studio-rules.ts). */
export async function writePublishState(tx: DbOrTx, id: number, state: PublishState, now: number): Promise<void> {
  await tx
    .update(posts)
    .set({
      liveRevisionId: state.liveRevisionId,
      firstPublishedAt: state.firstPublishedAt,
      unpublishedAt: state.unpublishedAt,
      scheduledRevisionId: state.scheduledRevisionId,
      scheduledFor: state.scheduledFor,
      updatedAt: now,
    })
    .where(eq(posts.id, id));
}

export async function listRevisions(db: DbOrTx, postId: number): Promise<Pick<RevisionRow, 'id' | 'number' | 'title' | 'slug' | 'createdAt' | 'publishAt'>[]> {
  return db
    .select({ id: postRevisions.id, number: postRevisions.number, title: postRevisions.title, slug: postRevisions.slug, createdAt: postRevisions.createdAt, publishAt: postRevisions.publishAt })
    .from(postRevisions)
    .where(eq(postRevisions.postId, postId))
    .orderBy(desc(postRevisions.number));
}

export async function getRevision(db: DbOrTx, postId: number, revisionId: number): Promise<RevisionRow | undefined> {
  if (!Number.isSafeInteger(revisionId)) return undefined;
  return db.select().from(postRevisions).where(and(eq(postRevisions.id, revisionId), eq(postRevisions.postId, postId))).get();
}

export interface StudioListRow {
  id: number;
  slug: string;
  title: string;
  creatorHandle: string;
  creatorName: string;
  status: StudioStatus;
  /** The address readers use now (the live revision's), when published. */
  liveSlug: string | null;
  updatedAt: number;
  publishedAt: number | null;
  scheduledFor: number | null;
  /** The draft has changes readers do not see yet. */
  unpublishedChanges: boolean;
}

/** The studio's list: a creator's posts (or every post, `creatorId` null), newest edit first. */
export async function listStudioPosts(db: DbOrTx, { creatorId, q, now, limit = 200 }: { creatorId: number | null; q?: string; now: number; limit?: number }): Promise<StudioListRow[]> {
  const term = q?.trim().slice(0, 80);
  const pattern = term ? `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db
    .select({ post: posts, creatorHandle: creators.handle, creatorName: creators.displayName })
    .from(posts)
    .innerJoin(creators, eq(creators.id, posts.creatorId))
    .where(
      and(
        creatorId === null ? undefined : eq(posts.creatorId, creatorId),
        pattern ? or(sql`${posts.title} like ${pattern} escape '\\'`, sql`${posts.slug} like ${pattern} escape '\\'`, sql`${posts.tagsJson} like ${pattern} escape '\\'`) : undefined,
      ),
    )
    .orderBy(desc(posts.updatedAt), desc(posts.id))
    .limit(limit);
  const liveIds = rows.map((r) => readerRevision(r.post, now)?.revisionId).filter((x): x is number => x !== undefined);
  const live = liveIds.length
    ? new Map((await db.select({ id: postRevisions.id, slug: postRevisions.slug, createdAt: postRevisions.createdAt }).from(postRevisions).where(inArray(postRevisions.id, liveIds))).map((r) => [r.id, r]))
    : new Map<number, { slug: string; createdAt: number }>();
  return rows.map(({ post, creatorHandle, creatorName }) => {
    const reader = readerRevision(post, now);
    const rev = reader ? live.get(reader.revisionId) : undefined;
    return {
      id: post.id,
      slug: post.slug,
      title: post.title,
      creatorHandle,
      creatorName,
      status: studioStatus(post, now),
      liveSlug: rev?.slug ?? null,
      updatedAt: post.updatedAt,
      publishedAt: reader?.publishedAt ?? null,
      scheduledFor: post.scheduledFor !== null && post.scheduledFor > now ? post.scheduledFor : null,
      unpublishedChanges: rev ? post.updatedAt > rev.createdAt : post.firstPublishedAt === null ? false : true,
    };
  });
}

/** A published studio post as the reader index needs it (no body, no document). */
export interface ReaderStudioPost {
  postId: number;
  revisionId: number;
  slug: string;
  title: string;
  summary: string;
  kind: PostKind;
  tags: string[];
  creator: string;
  publishedAt: number;
  hero: { mediaId: string | null; alt: string };
  refs: PublishedRef[];
}

/**
 * Every studio post readers see at `now`, each at the revision they see. Reads only the index's
 * columns (no body, no document), so 10,000 posts load in one pass.
 */
export async function readerStudioPosts(db: Db, now: number): Promise<ReaderStudioPost[]> {
  const candidates = await db
    .select({
      id: posts.id,
      liveRevisionId: posts.liveRevisionId,
      firstPublishedAt: posts.firstPublishedAt,
      unpublishedAt: posts.unpublishedAt,
      scheduledRevisionId: posts.scheduledRevisionId,
      scheduledFor: posts.scheduledFor,
      creator: creators.handle,
    })
    .from(posts)
    .innerJoin(creators, eq(creators.id, posts.creatorId))
    .where(or(isNotNull(posts.liveRevisionId), isNotNull(posts.scheduledRevisionId)));
  const visible = candidates.map((c) => ({ c, r: readerRevision(c, now) })).filter((x) => x.r !== null);
  const out: ReaderStudioPost[] = [];
  // SQLite limits bound parameters per statement; read revisions in chunks.
  for (let i = 0; i < visible.length; i += 500) {
    const chunk = visible.slice(i, i + 500);
    const revs = await db
      .select({
        id: postRevisions.id,
        slug: postRevisions.slug,
        title: postRevisions.title,
        summary: postRevisions.summary,
        kind: postRevisions.kind,
        tagsJson: postRevisions.tagsJson,
        heroMediaId: postRevisions.heroMediaId,
        heroAlt: postRevisions.heroAlt,
        refsJson: postRevisions.refsJson,
      })
      .from(postRevisions)
      .where(inArray(postRevisions.id, chunk.map((x) => x.r!.revisionId)));
    const byId = new Map(revs.map((r) => [r.id, r]));
    for (const { c, r } of chunk) {
      const rev = byId.get(r!.revisionId);
      if (!rev) continue;
      out.push({
        postId: c.id,
        revisionId: rev.id,
        slug: rev.slug,
        title: rev.title,
        summary: rev.summary,
        kind: rev.kind,
        tags: parseJsonArray(rev.tagsJson),
        creator: c.creator,
        publishedAt: r!.publishedAt,
        hero: { mediaId: rev.heroMediaId, alt: rev.heroAlt },
        refs: parseRefs(rev.refsJson),
      });
    }
  }
  return out;
}

/** The next moment a schedule changes what readers see (caches must not outlive it). */
export async function nextStudioBoundary(db: DbOrTx, now: number): Promise<number> {
  const row = await db.select({ at: sql<number | null>`min(${posts.scheduledFor})` }).from(posts).where(gt(posts.scheduledFor, now)).get();
  return row?.at ?? Number.POSITIVE_INFINITY;
}

/** The published document of a revision (immutable: callers may cache it by id). */
export async function revisionDoc(db: DbOrTx, revisionId: number): Promise<StudioDoc | undefined> {
  const row = await db.select({ doc: postRevisions.docJson }).from(postRevisions).where(eq(postRevisions.id, revisionId)).get();
  return row ? (JSON.parse(row.doc) as StudioDoc) : undefined;
}

/** The post an old (or current) published address belongs to. */
export async function postIdForSlug(db: DbOrTx, slug: string): Promise<number | undefined> {
  const row = await db.select({ postId: postSlugs.postId }).from(postSlugs).where(eq(postSlugs.slug, slug)).get();
  return row?.postId;
}

/** Posts for content:check and content health: each studio post's draft refs are in its body. */
export async function allStudioPosts(db: DbOrTx): Promise<(StudioPostRow & { creatorHandle: string })[]> {
  const rows = await db.select({ post: posts, creatorHandle: creators.handle }).from(posts).innerJoin(creators, eq(creators.id, posts.creatorId)).orderBy(asc(posts.id));
  return rows.map((r) => ({ ...r.post, creatorHandle: r.creatorHandle }));
}

/** Media ids that exist (the hero of a draft may have been uploaded by its creator only). */
export async function mediaOwners(db: DbOrTx, ids: readonly string[]): Promise<Map<string, number | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: media.id, owner: media.ownerCreatorId }).from(media).where(inArray(media.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.owner]));
}

export function parseJsonArray(json: string | null): string[] {
  try {
    const v: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function parseRefs(json: string): PublishedRef[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as PublishedRef[]) : [];
  } catch {
    return [];
  }
}

/**
 * Every earlier address of a renamed studio post → the address of its latest published revision
 * (one creator's posts, or everyone's with null). Credit is recorded under the address a reader
 * bought from; the dashboard adds a post's addresses up under the one it has now.
 * @example await formerSlugs(db, 7) // Map { 'linen-notes' => 'linen-notes-for-august' }
 */
export async function formerSlugs(db: DbOrTx, creatorId: number | null): Promise<Map<string, string>> {
  const rows = await db
    .select({ old: postSlugs.slug, now: postRevisions.slug })
    .from(postSlugs)
    .innerJoin(posts, eq(posts.id, postSlugs.postId))
    .innerJoin(postRevisions, eq(postRevisions.id, posts.liveRevisionId))
    .where(and(ne(postSlugs.slug, postRevisions.slug), creatorId === null ? undefined : eq(posts.creatorId, creatorId)));
  return new Map(rows.map((r) => [r.old, r.now]));
}

/** The earlier addresses of the published post now at `slug` (a studio rename keeps them), oldest first. */
export async function formerSlugsOf(db: DbOrTx, slug: string): Promise<string[]> {
  const rows = await db
    .select({ old: postSlugs.slug })
    .from(postSlugs)
    .innerJoin(posts, eq(posts.id, postSlugs.postId))
    .innerJoin(postRevisions, eq(postRevisions.id, posts.liveRevisionId))
    .where(and(eq(postRevisions.slug, slug), ne(postSlugs.slug, slug)))
    .orderBy(postSlugs.createdAt);
  return rows.map((r) => r.old);
}
