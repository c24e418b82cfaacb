import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { creators } from './auth.ts';
import { orderLines, orders } from './commerce.ts';
import { categories } from './catalog.ts';

/**
 * Referral clicks. The id is made by the app before the row is written (clicks are
 * written in batches), and travels in the signed attribution cookie. No raw IP is stored: the
 * visitor hash is an HMAC of IP + user agent with a secret. Bots and link-preview fetchers are
 * recorded as such and never count; a repeat from one visitor within a short time does not count.
 */
export const clicks = sqliteTable(
  'clicks',
  {
    id: text('id').primaryKey(),
    creatorId: integer('creator_id')
      .notNull()
      .references(() => creators.id),
    post: text('post'),
    target: text('target').notNull(),
    visitorHash: text('visitor_hash').notNull(),
    uaClass: text('ua_class', { enum: ['browser', 'bot', 'preview'] }).notNull(),
    referrerHost: text('referrer_host'),
    counted: integer('counted', { mode: 'boolean' }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('clicks_creator_at_idx').on(t.creatorId, t.at), index('clicks_visitor_idx').on(t.visitorHash, t.creatorId, t.at)],
);

/** Counted clicks per creator, UTC day and post ('' = no post): what the dashboard reads. */
export const clickDaily = sqliteTable(
  'click_daily',
  {
    creatorId: integer('creator_id').notNull(),
    day: integer('day').notNull(),
    post: text('post').notNull().default(''),
    clicks: integer('clicks').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.creatorId, t.day, t.post] })],
);

/** Card interactions per post, card position and UTC day: views (beacons), clicks, add-to-bags. */
export const cardDaily = sqliteTable(
  'card_daily',
  {
    creatorId: integer('creator_id').notNull(),
    post: text('post').notNull(),
    card: integer('card').notNull(),
    day: integer('day').notNull(),
    views: integer('views').notNull().default(0),
    clicks: integer('clicks').notNull().default(0),
    adds: integer('adds').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.creatorId, t.post, t.card, t.day] }), index('card_daily_creator_day_idx').on(t.creatorId, t.day)],
);

/** Optional per-category commission rate (basis points). */
export const categoryCommissionRates = sqliteTable('category_commission_rates', {
  categoryId: integer('category_id')
    .primaryKey()
    .references(() => categories.id),
  rateBps: integer('rate_bps').notNull(),
});

/**
 * The commission ledger (docs/architecture.md, rule 5): append-only. A row is never updated or deleted.
 * Status is derived: paid when a payout settles it; otherwise approved once `available_at` has
 * passed (the lock window), else pending — decided where read, so no sweeper is needed.
 */
export const commissionEntries = sqliteTable(
  'commission_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    creatorId: integer('creator_id')
      .notNull()
      .references(() => creators.id),
    kind: text('kind', { enum: ['sale', 'reversal', 'override', 'override_reversal'] }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** The net amount the commission was computed on (sale/override), for the statement. */
    baseCents: integer('base_cents').notNull(),
    rateBps: integer('rate_bps').notNull(),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: integer('order_line_id').references(() => orderLines.id),
    /** For reversals and overrides: the entry they follow from. */
    sourceEntryId: integer('source_entry_id'),
    availableAt: integer('available_at').notNull(),
    createdAt: integer('created_at').notNull(),
    note: text('note').notNull(),
  },
  (t) => [
    index('commission_entries_creator_idx').on(t.creatorId, t.createdAt),
    index('commission_entries_available_idx').on(t.creatorId, t.availableAt),
    index('commission_entries_source_idx').on(t.sourceEntryId),
    index('commission_entries_line_idx').on(t.orderLineId),
    uniqueIndex('commission_entries_one_sale_per_line').on(t.orderLineId).where(sql`kind = 'sale'`),
    uniqueIndex('commission_entries_one_override_per_sale').on(t.sourceEntryId).where(sql`kind = 'override'`),
    check('commission_entries_sign', sql`(kind in ('sale','override') and amount_cents >= 0) or (kind in ('reversal','override_reversal') and amount_cents <= 0)`),
  ],
);

export const payoutBatches = sqliteTable('payout_batches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  thresholdCents: integer('threshold_cents').notNull(),
});

export const payouts = sqliteTable(
  'payouts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    batchId: integer('batch_id')
      .notNull()
      .references(() => payoutBatches.id),
    creatorId: integer('creator_id')
      .notNull()
      .references(() => creators.id),
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: ['pending', 'paid'] }).notNull(),
    reference: text('reference'),
    createdAt: integer('created_at').notNull(),
    paidAt: integer('paid_at'),
  },
  (t) => [index('payouts_creator_idx').on(t.creatorId, t.createdAt), index('payouts_batch_idx').on(t.batchId)],
);

/** Which ledger entries a payout settles; an entry is settled at most once. */
export const payoutItems = sqliteTable(
  'payout_items',
  {
    payoutId: integer('payout_id')
      .notNull()
      .references(() => payouts.id),
    entryId: integer('entry_id')
      .notNull()
      .unique()
      .references(() => commissionEntries.id),
  },
  (t) => [index('payout_items_payout_idx').on(t.payoutId)],
);

/** Creator invitations: a one-time link (only its SHA-256 stored) to set a password. */
export const creatorInvites = sqliteTable(
  'creator_invites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    handle: text('handle').notNull(),
    displayName: text('display_name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    inviterCreatorId: integer('inviter_creator_id'),
    invitedBy: text('invited_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    creatorId: integer('creator_id'),
  },
  (t) => [index('creator_invites_email_idx').on(t.email), index('creator_invites_inviter_idx').on(t.inviterCreatorId)],
);
