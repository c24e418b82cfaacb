/**
 * The reads content health needs (docs/decisions/0042-content-health.md): for a creator's posts
 * (or every post), the cards readers see now — the live revision's refs, with each card's price
 * at publish — and the draft's source. Two queries however many posts there are.
 */
import { and, eq, inArray, isNotNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { postRevisions, posts } from '../../../db/schema/index.ts';
import { parseRefs, type PublishedRef } from './studio-store.ts';
import { readerRevision } from './studio-rules.ts';

export interface HealthPostRow {
  postId: number;
  creatorId: number;
  /** The draft's source (card ids written in). */
  body: string;
  /** What readers see now, when the post is live. */
  live: { revisionId: number; refs: PublishedRef[] } | null;
}

/**
 * Posts of `creatorId` (every post: null) with their live cards; only `postIds` when given (at most
 * a page of them), only posts readers may see when `liveOnly`.
 */
export async function healthPosts(
  db: DbOrTx,
  { creatorId, postIds, liveOnly = false, now }: { creatorId: number | null; postIds?: readonly number[]; liveOnly?: boolean; now: number },
): Promise<HealthPostRow[]> {
  if (postIds && postIds.length === 0) return [];
  const rows = await db
    .select({
      id: posts.id,
      creatorId: posts.creatorId,
      body: posts.body,
      liveRevisionId: posts.liveRevisionId,
      firstPublishedAt: posts.firstPublishedAt,
      unpublishedAt: posts.unpublishedAt,
      scheduledRevisionId: posts.scheduledRevisionId,
      scheduledFor: posts.scheduledFor,
    })
    .from(posts)
    .where(
      and(
        creatorId === null ? undefined : eq(posts.creatorId, creatorId),
        postIds ? inArray(posts.id, [...postIds]) : undefined,
        liveOnly ? or(isNotNull(posts.liveRevisionId), isNotNull(posts.scheduledRevisionId)) : undefined,
      ),
    );
  const reader = rows.map((r) => ({ r, rev: readerRevision(r, now) })).filter((x) => !liveOnly || x.rev !== null);
  const ids = reader.flatMap((x) => (x.rev ? [x.rev.revisionId] : []));
  const refs = new Map<number, PublishedRef[]>();
  // SQLite limits bound parameters per statement; read revisions in chunks.
  for (let i = 0; i < ids.length; i += 500) {
    const revs = await db.select({ id: postRevisions.id, refsJson: postRevisions.refsJson }).from(postRevisions).where(inArray(postRevisions.id, ids.slice(i, i + 500)));
    for (const rev of revs) refs.set(rev.id, parseRefs(rev.refsJson));
  }
  return reader.map(({ r, rev }) => ({
    postId: r.id,
    creatorId: r.creatorId,
    body: r.body,
    live: rev ? { revisionId: rev.revisionId, refs: refs.get(rev.revisionId) ?? [] } : null,
  }));
}
