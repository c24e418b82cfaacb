import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';
import { products, variants } from './catalog.ts';
import { orderLines } from './commerce.ts';
import { media } from './content.ts';

/**
 * Verified buyer reviews and buyer shows (晒单), their photos and readers' reports
 * (docs/decisions/0052-verified-buyer-reviews.md). A review exists only for an order line its
 * author bought, paid for and received; one per account and product. Times in ms since the epoch.
 */

export const REVIEW_STATUSES = ['pending', 'approved', 'hidden'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const FIT_NOTES = ['small', 'true', 'large'] as const;
export type FitNote = (typeof FIT_NOTES)[number];

export const reviews = sqliteTable(
  'reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** The variant bought (size and colour), from the qualifying line. */
    variantId: integer('variant_id')
      .notNull()
      .references(() => variants.id),
    /** The purchase that qualifies the review: paid, not refunded, delivered (or shipped long enough ago). */
    orderLineId: integer('order_line_id')
      .notNull()
      .references(() => orderLines.id),
    /** The post whose card sold the line (order_lines.source_post), copied for "Bought from this post". */
    sourcePost: text('source_post'),
    sourceCard: integer('source_card'),
    rating: integer('rating').notNull(),
    body: text('body').notNull(),
    fit: text('fit', { enum: FIT_NOTES }),
    /** pending until the shop approves it; hidden with a reason the buyer sees on their account. */
    status: text('status', { enum: REVIEW_STATUSES }).notNull().default('pending'),
    hideReason: text('hide_reason'),
    moderatedAt: integer('moderated_at'),
    /** 'admin:<email>' */
    moderatedBy: text('moderated_by'),
    createdAt: integer('created_at').notNull(),
    /** The buyer's last edit (null: never edited). */
    editedAt: integer('edited_at'),
  },
  (t) => [
    uniqueIndex('reviews_user_product_uq').on(t.userId, t.productId),
    index('reviews_product_status_idx').on(t.productId, t.status, t.createdAt),
    index('reviews_post_status_idx').on(t.sourcePost, t.status, t.createdAt),
    index('reviews_status_idx').on(t.status, t.createdAt),
    index('reviews_line_idx').on(t.orderLineId),
    check('reviews_rating', sql`${t.rating} between 1 and 5`),
    check('reviews_hidden_reason', sql`${t.status} <> 'hidden' or ${t.hideReason} is not null`),
  ],
);

/** Up to 6 photos per review, uploads through the media capability (EXIF and GPS stripped). */
export const reviewPhotos = sqliteTable(
  'review_photos',
  {
    reviewId: integer('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    mediaId: text('media_id')
      .notNull()
      .references(() => media.id),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.position] }), check('review_photos_position', sql`${t.position} between 0 and 5`)],
);

export const REPORT_REASONS = ['not_genuine', 'offensive', 'personal_info', 'spam', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** A reader's report of a review: once per person and review; resolved when the shop acts on it. */
export const reviewReports = sqliteTable(
  'review_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reviewId: integer('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason', { enum: REPORT_REASONS }).notNull(),
    note: text('note'),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [uniqueIndex('review_reports_once_uq').on(t.reviewId, t.userId), index('review_reports_open_idx').on(t.resolvedAt, t.reviewId)],
);
