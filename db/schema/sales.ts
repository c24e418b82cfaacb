import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth.ts';
import { products, variants } from './catalog.ts';
import { orderLines, orders } from './commerce.ts';

/**
 * Flash sales (秒杀), scheduled markdowns and presale (预售): the shop owner's schedules, and what
 * orders took from a flash sale. What a reader pays at a moment is derived from these rows and the
 * clock where it is read (src/server/sales, docs/decisions/0051-flash-sales-markdowns-presale.md);
 * nothing flips a flag when a sale starts or ends.
 */

export const PRICE_SCHEDULE_KINDS = ['flash', 'markdown'] as const;

/** A scheduled price on a product (every active variant) or on one variant, from `starts_at` until `ends_at`. */
export const priceSchedules = sqliteTable(
  'price_schedules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** Null: every active variant of the product. */
    variantId: integer('variant_id').references(() => variants.id),
    kind: text('kind', { enum: PRICE_SCHEDULE_KINDS }).notNull(),
    priceCents: integer('price_cents').notNull(),
    /** Epoch ms; the price applies from `starts_at` (inclusive) until `ends_at` (exclusive). */
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    /** Flash sales only: units sold at this price in all, and by one buyer (canonical email or account). */
    unitsAllotted: integer('units_allotted'),
    perBuyerLimit: integer('per_buyer_limit'),
    createdAt: integer('created_at').notNull(),
    /** Set when the shop owner cancels it; a canceled schedule prices nothing from then on. */
    canceledAt: integer('canceled_at'),
  },
  (t) => [
    index('price_schedules_product_idx').on(t.productId),
    check('price_schedules_price', sql`${t.priceCents} >= 1`),
    check('price_schedules_window', sql`${t.endsAt} > ${t.startsAt}`),
    check(
      'price_schedules_flash_terms',
      sql`(${t.kind} = 'flash' and ${t.unitsAllotted} >= 1 and ${t.perBuyerLimit} >= 1) or (${t.kind} = 'markdown' and ${t.unitsAllotted} is null and ${t.perBuyerLimit} is null)`,
    ),
  ],
);

/**
 * What one order line took from a flash sale. Allotment and per-buyer use count only rows whose
 * order is paid or still holds a live reservation, so a lapsed or canceled order gives its units
 * back without any write (derived where read, like availability).
 */
export const flashSaleTakes = sqliteTable(
  'flash_sale_takes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    scheduleId: integer('schedule_id')
      .notNull()
      .references(() => priceSchedules.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: integer('order_line_id')
      .notNull()
      .references(() => orderLines.id),
    /** The buyer's canonical email (docs/decisions/0012-canonical-email.md). */
    email: text('email').notNull(),
    userId: integer('user_id').references(() => users.id),
    qty: integer('qty').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('flash_sale_takes_schedule_idx').on(t.scheduleId),
    index('flash_sale_takes_email_idx').on(t.scheduleId, t.email),
    index('flash_sale_takes_order_idx').on(t.orderId),
    check('flash_sale_takes_qty', sql`${t.qty} >= 1`),
  ],
);

/**
 * Presale on a product: sold before it is in stock, up to `cap_units`, shipping on `ships_on` (a
 * calendar date in the shop's time zone, YYYY-MM-DD). One presale per product at a time.
 */
export const presales = sqliteTable(
  'presales',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    shipsOn: text('ships_on').notNull(),
    capUnits: integer('cap_units').notNull(),
    /** Optional window (epoch ms); null = open from creation / until the ship date. */
    opensAt: integer('opens_at'),
    closesAt: integer('closes_at'),
    createdAt: integer('created_at').notNull(),
    canceledAt: integer('canceled_at'),
  },
  (t) => [
    index('presales_product_idx').on(t.productId),
    check('presales_cap', sql`${t.capUnits} >= 1`),
  ],
);

/** The presale units one order line took (counted like flash takes: paid or live-held orders only). */
export const presaleTakes = sqliteTable(
  'presale_takes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    presaleId: integer('presale_id')
      .notNull()
      .references(() => presales.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    orderLineId: integer('order_line_id')
      .notNull()
      .references(() => orderLines.id),
    qty: integer('qty').notNull(),
    /** The ship date promised when the order was placed (a later change of the presale never rewrites it). */
    shipsOn: text('ships_on').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('presale_takes_presale_idx').on(t.presaleId), uniqueIndex('presale_takes_line_idx').on(t.orderLineId)],
);
