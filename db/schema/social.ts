import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';
import { products, variants } from './catalog.ts';
import { orders } from './commerce.ts';

/**
 * Group buy (拼团) and help-cut (砍一刀): the shop owner's offers, and what readers start from them.
 * Money in minor units, times in ms since the epoch. Where a group or a launch stands is decided
 * from these rows and the clock where it is read (docs/decisions/0048-group-buy-authorise-capture.md,
 * 0049-help-cut-schedule-and-abuse-rules.md); `status` records only what has been settled.
 */

/** Group buy turned on for a product (every variant) or one variant. */
export const groupOffers = sqliteTable(
  'group_offers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** Null: every active variant of the product. */
    variantId: integer('variant_id').references(() => variants.id),
    groupSize: integer('group_size').notNull(),
    priceCents: integer('price_cents').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    /** Seats one buyer (canonical email or account) may hold across this offer's groups. */
    perBuyerLimit: integer('per_buyer_limit').notNull().default(1),
    /** Units this offer may sell in all (null: any stock available). */
    maxUnits: integer('max_units'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('group_offers_product_idx').on(t.productId),
    check('group_offers_size', sql`${t.groupSize} between 2 and 10`),
    check('group_offers_price', sql`${t.priceCents} > 0`),
    // Card authorisations last 7 days: a group must end well inside them.
    check('group_offers_duration', sql`${t.durationMinutes} between 15 and 8640`),
  ],
);

/** One group, started by a reader, usually from a card in a post. `id` is the public, unguessable id. */
export const groupBuys = sqliteTable(
  'group_buys',
  {
    id: text('id').primaryKey(),
    offerId: integer('offer_id')
      .notNull()
      .references(() => groupOffers.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** Snapshots of the offer when the group started: a later edit never changes a running group. */
    groupSize: integer('group_size').notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull(),
    sourcePost: text('source_post'),
    sourceCard: integer('source_card'),
    sourceCreatorId: integer('source_creator_id'),
    startedAt: integer('started_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    /** 'open' until settled: 'filled' (every member captured or being captured) or 'lapsed' (voided). */
    status: text('status', { enum: ['open', 'filled', 'lapsed'] }).notNull().default('open'),
    filledAt: integer('filled_at'),
    settledAt: integer('settled_at'),
  },
  (t) => [
    index('group_buys_offer_idx').on(t.offerId, t.status, t.endsAt),
    index('group_buys_post_idx').on(t.sourcePost),
    index('group_buys_open_idx').on(t.status, t.endsAt),
  ],
);

export const GROUP_MEMBER_STATUSES = ['pending', 'authorised', 'captured', 'left', 'voided', 'expired', 'refunded'] as const;
export type GroupMemberStatus = (typeof GROUP_MEMBER_STATUSES)[number];

/**
 * A seat: one order of one unit at the group price. 'pending' holds the seat while the buyer
 * authorises (the order's reservation TTL); 'authorised' counts towards filling; 'captured' is paid.
 */
export const groupMembers = sqliteTable(
  'group_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    groupId: text('group_id')
      .notNull()
      .references(() => groupBuys.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    variantId: integer('variant_id')
      .notNull()
      .references(() => variants.id),
    /** Canonical email (ADR 0012): the per-buyer limit and "already a member" are keyed on it. */
    canonicalEmail: text('canonical_email').notNull(),
    userId: integer('user_id').references(() => users.id),
    /** What the group page shows: initials only, never the email. */
    initials: text('initials').notNull(),
    isStarter: integer('is_starter', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: GROUP_MEMBER_STATUSES }).notNull().default('pending'),
    holdUntil: integer('hold_until').notNull(),
    paymentId: text('payment_id'),
    joinedAt: integer('joined_at').notNull(),
    authorisedAt: integer('authorised_at'),
    capturedAt: integer('captured_at'),
    /** When the payment provider confirmed the card hold of an ended seat released (null: not yet, the sweeper retries). */
    holdReleasedAt: integer('hold_released_at'),
    endedAt: integer('ended_at'),
    /** Why the seat ended, in words (left, voided because the group lapsed, …). */
    endNote: text('end_note'),
  },
  (t) => [
    index('group_members_group_idx').on(t.groupId, t.status),
    uniqueIndex('group_members_order_uq').on(t.orderId),
    index('group_members_email_idx').on(t.canonicalEmail),
    index('group_members_user_idx').on(t.userId),
  ],
);

/** Help-cut turned on for a product (every variant) or one variant. */
export const cutOffers = sqliteTable(
  'cut_offers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    variantId: integer('variant_id').references(() => variants.id),
    startPriceCents: integer('start_price_cents').notNull(),
    floorPriceCents: integer('floor_price_cents').notNull(),
    helpsNeeded: integer('helps_needed').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    /** Units set aside for launches: each live launch holds one. */
    setAsideUnits: integer('set_aside_units').notNull(),
    /** Launches one reader may start from this offer. */
    perReaderLaunches: integer('per_reader_launches').notNull().default(1),
    /** When time runs out before the floor: 'buy_at_reached' (buy at the price reached) or 'lapse'. */
    onTimeout: text('on_timeout', { enum: ['buy_at_reached', 'lapse'] }).notNull().default('buy_at_reached'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('cut_offers_product_idx').on(t.productId),
    check('cut_offers_prices', sql`${t.floorPriceCents} >= 0 and ${t.startPriceCents} > ${t.floorPriceCents}`),
    check('cut_offers_helps', sql`${t.helpsNeeded} between 1 and 100`),
    check('cut_offers_units', sql`${t.setAsideUnits} >= 1`),
  ],
);

/** One launch: a reader's bargain, its fixed schedule of cuts, and where it came from. */
export const cutLaunches = sqliteTable(
  'cut_launches',
  {
    id: text('id').primaryKey(),
    offerId: integer('offer_id')
      .notNull()
      .references(() => cutOffers.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    variantId: integer('variant_id')
      .notNull()
      .references(() => variants.id),
    launcherUserId: integer('launcher_user_id')
      .notNull()
      .references(() => users.id),
    currency: text('currency').notNull(),
    startPriceCents: integer('start_price_cents').notNull(),
    floorPriceCents: integer('floor_price_cents').notNull(),
    /** JSON array of the cut amounts (minor units), fixed at launch; they sum to start − floor. */
    scheduleJson: text('schedule_json').notNull(),
    helpsNeeded: integer('helps_needed').notNull(),
    /** Running total of the cuts so far, updated with each help in the same transaction. */
    cutCents: integer('cut_cents').notNull().default(0),
    helpsCount: integer('helps_count').notNull().default(0),
    onTimeout: text('on_timeout', { enum: ['buy_at_reached', 'lapse'] }).notNull(),
    sourcePost: text('source_post'),
    sourceCard: integer('source_card'),
    sourceCreatorId: integer('source_creator_id'),
    startedAt: integer('started_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    /** The launcher may buy until then (the held unit is released after). */
    buyBy: integer('buy_by').notNull(),
    /** Set when the launcher places the order for it. */
    orderId: integer('order_id').references(() => orders.id),
    status: text('status', { enum: ['open', 'bought', 'lapsed'] }).notNull().default('open'),
  },
  (t) => [
    index('cut_launches_offer_idx').on(t.offerId, t.status),
    index('cut_launches_launcher_idx').on(t.launcherUserId),
    index('cut_launches_post_idx').on(t.sourcePost),
    check('cut_launches_floor', sql`${t.startPriceCents} - ${t.cutCents} >= ${t.floorPriceCents}`),
    check('cut_launches_helps', sql`${t.helpsCount} <= ${t.helpsNeeded}`),
  ],
);

/** One help: one helper, one launch, one cut from the schedule (by its index). */
export const cutHelps = sqliteTable(
  'cut_helps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    launchId: text('launch_id')
      .notNull()
      .references(() => cutLaunches.id),
    helperUserId: integer('helper_user_id')
      .notNull()
      .references(() => users.id),
    cutIndex: integer('cut_index').notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** The helper's account was new when they helped (they took the largest cut left). */
    newHelper: integer('new_helper', { mode: 'boolean' }).notNull(),
    /** The shop-time-zone day (YYYY-MM-DD) of the help: the daily limit counts by it. */
    shopDay: text('shop_day').notNull(),
    /** SHA-256 of the client address and of the device cookie, for the rate limits only. */
    ipHash: text('ip_hash'),
    deviceHash: text('device_hash'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('cut_helps_helper_uq').on(t.launchId, t.helperUserId),
    uniqueIndex('cut_helps_index_uq').on(t.launchId, t.cutIndex),
    index('cut_helps_day_idx').on(t.helperUserId, t.shopDay),
    index('cut_helps_ip_idx').on(t.ipHash, t.createdAt),
    index('cut_helps_device_idx').on(t.deviceHash, t.createdAt),
  ],
);
