import { sql } from 'drizzle-orm';
import { blob, check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { creators, users } from './auth.ts';

/**
 * Posts written in the studio (docs/decisions/0038-studio-posts.md). Posts kept as files in
 * src/content/posts stay files; both meet in one post model in src/server/content.
 *
 * A post row is the creator's working draft. What readers see is a revision: `liveRevisionId`
 * (since `firstPublishedAt`, unless `unpublishedAt` is set) or, once `scheduledFor` has passed,
 * `scheduledRevisionId` — decided where read, so a scheduled post goes live at its time with no
 * sweeper.
 */
export const posts = sqliteTable(
  'posts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The current slug; every slug it was published under stays in post_slugs and redirects. */
    slug: text('slug').notNull().unique(),
    creatorId: integer('creator_id')
      .notNull()
      .references(() => creators.id),
    title: text('title').notNull().default(''),
    summary: text('summary').notNull().default(''),
    kind: text('kind', { enum: ['look', 'guide', 'review'] }).notNull().default('look'),
    tagsJson: text('tags_json').notNull().default('[]'),
    heroMediaId: text('hero_media_id'),
    heroAlt: text('hero_alt').notNull().default(''),
    /** The MDX source (validated against the allow-list on every save and again on publish). */
    body: text('body').notNull().default(''),
    /** The next card id to hand out: ids are never reused, so a card keeps its id through edits. */
    nextCard: integer('next_card').notNull().default(0),
    /** Bumped by every save; an autosave carrying an older one is refused (another tab saved). */
    draftVersion: integer('draft_version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    liveRevisionId: integer('live_revision_id'),
    firstPublishedAt: integer('first_published_at'),
    unpublishedAt: integer('unpublished_at'),
    scheduledRevisionId: integer('scheduled_revision_id'),
    scheduledFor: integer('scheduled_for'),
  },
  (t) => [
    index('posts_creator_idx').on(t.creatorId, t.updatedAt),
    index('posts_scheduled_idx').on(t.scheduledFor),
    check('posts_next_card_check', sql`${t.nextCard} >= 0`),
  ],
);

/** Every publish keeps a revision: the exact front matter and body readers saw, compiled. */
export const postRevisions = sqliteTable(
  'post_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id),
    /** 1, 2, 3… per post. */
    number: integer('number').notNull(),
    /** The address readers reach it at while this revision is live. */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    kind: text('kind', { enum: ['look', 'guide', 'review'] }).notNull(),
    tagsJson: text('tags_json').notNull(),
    heroMediaId: text('hero_media_id'),
    heroAlt: text('hero_alt').notNull(),
    body: text('body').notNull(),
    /** The validated document tree the post page renders (never the MDX compiled to code). */
    docJson: text('doc_json').notNull(),
    /** The cards at publish, with each product's price then (content health: "repriced since publish"). */
    refsJson: text('refs_json').notNull(),
    createdAt: integer('created_at').notNull(),
    createdByUserId: integer('created_by_user_id').references(() => users.id),
    /** When it goes (or went) live. */
    publishAt: integer('publish_at').notNull(),
  },
  (t) => [index('post_revisions_post_idx').on(t.postId, t.number)],
);

/** Every slug a studio post has been published under: unique across posts, old ones redirect. */
export const postSlugs = sqliteTable(
  'post_slugs',
  {
    slug: text('slug').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('post_slugs_post_idx').on(t.postId)],
);

/**
 * Uploaded images, processed by sharp (src/server/media). The owner is the creator who uploaded
 * it (null: the shop). Stored in the database so every app instance serves the same files.
 */
export const media = sqliteTable(
  'media',
  {
    /** Random, server-chosen: nothing a user types becomes a path. */
    id: text('id').primaryKey(),
    ownerCreatorId: integer('owner_creator_id').references(() => creators.id),
    uploadedByUserId: integer('uploaded_by_user_id').references(() => users.id),
    /** Sniffed from the bytes: jpeg, png, webp, avif, gif, heif, tiff. */
    sourceFormat: text('source_format').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** The widths rendered, ascending, as JSON (e.g. [480, 960, 1600]). */
    widthsJson: text('widths_json').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('media_owner_idx').on(t.ownerCreatorId, t.createdAt)],
);

export const mediaFiles = sqliteTable(
  'media_files',
  {
    mediaId: text('media_id')
      .notNull()
      .references(() => media.id),
    width: integer('width').notNull(),
    format: text('format', { enum: ['avif', 'webp', 'jpeg'] }).notNull(),
    height: integer('height').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.mediaId, t.width, t.format] })],
);
