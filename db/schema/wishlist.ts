import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';
import { products, variants } from './catalog.ts';
import { creators } from './auth.ts';

/**
 * Wishlists, alerts and creator boards (docs/decisions/0053-wishlists-alerts-boards.md). Money in
 * minor units, times in ms since the epoch. A saved item and an alert carry the credit they were
 * made from — the post and card (`source_post`, `source_card`) or the board (`source_board_id`),
 * and that creator — in the same shape as a bag line (db/schema/commerce.ts, `cart_lines`), so a
 * later purchase can credit them (attribution source "saved", ADR 0008 as amended by ADR 0053).
 */

/** A guest's server-side list: its random id is the only thing in the `lb_saved` cookie. */
export const savedLists = sqliteTable('saved_lists', {
  /** 144 random bits, URL-safe (like a bag id): unguessable. */
  id: text('id').primaryKey(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** One product on a reader's wishlist (an account's, or a guest list's until it merges on sign-in). */
export const savedItems = sqliteTable(
  'saved_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    guestListId: text('guest_list_id').references(() => savedLists.id, { onDelete: 'cascade' }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** The size/colour chosen when saving, if any. */
    variantId: integer('variant_id').references(() => variants.id),
    sourcePost: text('source_post'),
    sourceCard: integer('source_card'),
    sourceBoardId: integer('source_board_id'),
    /** The creator of that post or board (null: saved from the product page, nobody to credit). */
    sourceCreatorId: integer('source_creator_id'),
    /** The price the reader saw when saving ("price dropped since you saved"). */
    priceSeenCents: integer('price_seen_cents').notNull(),
    savedAt: integer('saved_at').notNull(),
  },
  (t) => [
    uniqueIndex('saved_items_user_product_uq').on(t.userId, t.productId),
    uniqueIndex('saved_items_guest_product_uq').on(t.guestListId, t.productId),
    check('saved_items_one_owner', sql`(${t.userId} is null) <> (${t.guestListId} is null)`),
  ],
);

export const ALERT_KINDS = ['restock', 'price_drop'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * "Tell me when it's back in my size" (a sold-out variant) and "Tell me when the price drops" (a
 * product). One email per alert, sent once: `sent_at` is set by a conditional UPDATE in the same
 * transaction as the outbox insert. The unsubscribe link's token is stored as a SHA-256 only.
 */
export const stockAlerts = sqliteTable(
  'stock_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ALERT_KINDS }).notNull(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** The sold-out variant (restock); null for a price drop on the product. */
    variantId: integer('variant_id').references(() => variants.id),
    /** `variant_id` or 0, so "already set" is one unique index (NULLs never collide in SQLite). */
    variantKey: integer('variant_key').notNull().default(0),
    /** Canonical email (ADR 0012): what "already set" compares — never used to send. */
    email: text('email').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The lowest price of the product (price drop) or the variant's price (restock) when set. */
    priceSeenCents: integer('price_seen_cents').notNull(),
    sourcePost: text('source_post'),
    sourceCard: integer('source_card'),
    sourceBoardId: integer('source_board_id'),
    sourceCreatorId: integer('source_creator_id'),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** The price that made a price-drop alert fire (shown on the alert page). */
    sentPriceCents: integer('sent_price_cents'),
    outboxEmailId: integer('outbox_email_id'),
    unsubscribedAt: integer('unsubscribed_at'),
    /** The address as typed, trimmed and lower-cased (normaliseEmail): where the email goes. */
    sendTo: text('send_to').notNull().default(''),
  },
  (t) => [
    uniqueIndex('stock_alerts_open_uq')
      .on(t.kind, t.productId, t.variantKey, t.email)
      .where(sql`${t.sentAt} is null and ${t.unsubscribedAt} is null`),
    index('stock_alerts_due_idx').on(t.productId, t.sentAt, t.unsubscribedAt),
  ],
);

/** A creator's named board of products ("Autumn capsule"), shown on their page and shareable. */
export const boards = sqliteTable(
  'boards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    creatorId: integer('creator_id')
      .notNull()
      .references(() => creators.id),
    name: text('name').notNull(),
    /** Unique per creator: /creators/<handle>/boards/<slug>. */
    slug: text('slug').notNull(),
    description: text('description').notNull().default(''),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('boards_creator_slug_uq').on(t.creatorId, t.slug)],
);

export const boardItems = sqliteTable(
  'board_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    boardId: integer('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** 0-based order on the board. */
    position: integer('position').notNull(),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [uniqueIndex('board_items_board_product_uq').on(t.boardId, t.productId), index('board_items_board_idx').on(t.boardId, t.position)],
);
