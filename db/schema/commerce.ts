import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { variants } from './catalog.ts';

/**
 * The bag lives in the DB; an HttpOnly cookie (`lb_bag`) holds its random id.
 * Each line remembers where it was added: a post and the card's position in it, or the product page.
 */
export const carts = sqliteTable('carts', {
  id: text('id').primaryKey(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const cartLines = sqliteTable(
  'cart_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cartId: text('cart_id')
      .notNull()
      .references(() => carts.id, { onDelete: 'cascade' }),
    variantId: integer('variant_id')
      .notNull()
      .references(() => variants.id),
    qty: integer('qty').notNull(),
    /** Content id of the post whose card added the line (null: product page or shop). */
    sourcePost: text('source_post'),
    /** 0-based position of that card among the post's product cards. */
    sourceCard: integer('source_card'),
    /** The post's creator when the line was added (content knows who wrote the post). */
    sourceCreatorId: integer('source_creator_id'),
    /** Added from a creator's board (db/schema/wishlist.ts); `source_creator_id` is its creator. */
    sourceBoardId: integer('source_board_id'),
    /** Added from the wishlist or an alert email: when the item was saved (the "saved" window, ADR 0053). */
    sourceSavedAt: integer('source_saved_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('cart_lines_cart_variant_uq').on(t.cartId, t.variantId), check('cart_lines_qty', sql`${t.qty} between 1 and 10`)],
);

/** Shop coupons (percent or amount off, dates, total and per-email limits). */
export const coupons = sqliteTable(
  'coupons',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Stored upper-case; matched case-insensitively. */
    code: text('code').notNull().unique(),
    kind: text('kind', { enum: ['percent', 'amount'] }).notNull(),
    percentOff: integer('percent_off'),
    amountOffCents: integer('amount_off_cents'),
    minSubtotalCents: integer('min_subtotal_cents').notNull().default(0),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    maxRedemptions: integer('max_redemptions'),
    perEmailLimit: integer('per_email_limit'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    /** A creator's personal code: its use credits the creator (precedence "code", ADR 0008). */
    creatorId: integer('creator_id'),
  },
  (t) => [
    check('coupons_percent', sql`${t.percentOff} is null or ${t.percentOff} between 1 and 100`),
    check('coupons_amount', sql`${t.amountOffCents} is null or ${t.amountOffCents} > 0`),
  ],
);

/**
 * The payment state only (ADR 0045): where the parcels are is `fulfilmentStatus`, so a partly
 * refunded order still shows that it was shipped. 'shipped'/'delivered' were payment states before
 * migration 0008, which turned them into 'paid'.
 */
export const ORDER_STATUSES = ['pending', 'paid', 'canceled', 'refunded', 'partially_refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What happened to an order's parcels, apart from its payment: unfulfilled → partial → shipped → delivered, or returned. */
export const FULFILMENT_STATUSES = ['unfulfilled', 'partial', 'shipped', 'delivered', 'returned'] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

export const orders = sqliteTable(
  'orders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Human order number, e.g. LB-7KX4-M2QD: no 0/O, 1/I/L, so it can be read aloud. */
    number: text('number').notNull().unique(),
    cartId: text('cart_id'),
    email: text('email').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    currency: text('currency').notNull(),
    subtotalCents: integer('subtotal_cents').notNull(),
    discountCents: integer('discount_cents').notNull().default(0),
    shippingCents: integer('shipping_cents').notNull(),
    totalCents: integer('total_cents').notNull(),
    refundedCents: integer('refunded_cents').notNull().default(0),
    couponId: integer('coupon_id').references(() => coupons.id),
    couponCode: text('coupon_code'),
    shippingMethod: text('shipping_method').notNull(),
    shippingLabel: text('shipping_label').notNull(),
    shipName: text('ship_name').notNull(),
    shipLine1: text('ship_line1').notNull(),
    shipLine2: text('ship_line2'),
    shipCity: text('ship_city').notNull(),
    shipRegion: text('ship_region'),
    shipPostcode: text('ship_postcode').notNull(),
    shipCountry: text('ship_country').notNull(),
    provider: text('provider', { enum: ['test', 'stripe'] }).notNull(),
    /** Provider checkout session id (Stripe `cs_…`, or the test provider's id). */
    providerSessionId: text('provider_session_id'),
    /** Provider payment id (Stripe PaymentIntent `pi_…`), needed for refunds. */
    providerPaymentId: text('provider_payment_id'),
    reservationExpiresAt: integer('reservation_expires_at').notNull(),
    /** Paid after its reservation lapsed and stock was short: the money must go back. */
    needsRefund: integer('needs_refund', { mode: 'boolean' }).notNull().default(false),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    /** Parcels, apart from payment: unfulfilled → partial → shipped → delivered (or returned). */
    fulfilmentStatus: text('fulfilment_status', { enum: FULFILMENT_STATUSES }).notNull().default('unfulfilled'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    paidAt: integer('paid_at'),
    // Attribution inputs captured at checkout; the decision is made per line at payment.
    /** The last referral click from the verified signed cookie. */
    refClickId: text('ref_click_id'),
    refCreatorId: integer('ref_creator_id'),
    refClickedAt: integer('ref_clicked_at'),
    /** The creator whose personal code was used. */
    codeCreatorId: integer('code_creator_id'),
    /**
     * The buyer placed the same bag again as this later order: this one is superseded (its hold
     * released, its checkout expired), and a payment that still lands on it is refunded.
     */
    supersededByOrderId: integer('superseded_by_order_id'),
    /** The signed-in account that placed the order, if any (self-referral, ADR 0012). */
    buyerUserId: integer('buyer_user_id'),
  },
  (t) => [
    index('orders_status_created_idx').on(t.status, t.createdAt),
    index('orders_created_idx').on(t.createdAt),
    index('orders_email_idx').on(t.email),
    index('orders_session_idx').on(t.providerSessionId),
    index('orders_payment_idx').on(t.providerPaymentId),
    index('orders_code_creator_idx').on(t.codeCreatorId, t.paidAt),
    index('orders_fulfilment_idx').on(t.fulfilmentStatus, t.paidAt),
    index('orders_cart_idx').on(t.cartId),
  ],
);

export const orderLines = sqliteTable(
  'order_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    variantId: integer('variant_id')
      .notNull()
      .references(() => variants.id),
    // Snapshots at order time: later catalog edits never change an order.
    productSlug: text('product_slug').notNull(),
    sku: text('sku').notNull(),
    title: text('title').notNull(),
    variantLabel: text('variant_label').notNull(),
    imagePath: text('image_path'),
    unitPriceCents: integer('unit_price_cents').notNull(),
    qty: integer('qty').notNull(),
    subtotalCents: integer('subtotal_cents').notNull(),
    discountCents: integer('discount_cents').notNull().default(0),
    sourcePost: text('source_post'),
    sourceCard: integer('source_card'),
    sourceCreatorId: integer('source_creator_id'),
    /** Copied from the bag line: bought from a creator's board, or from the wishlist (ADR 0053). */
    sourceBoardId: integer('source_board_id'),
    sourceSavedAt: integer('source_saved_at'),
    refundedQty: integer('refunded_qty').notNull().default(0),
    refundedCents: integer('refunded_cents').notNull().default(0),
    // The attribution decision (docs/architecture.md, rule 4): made once at payment, never recomputed.
    creditedCreatorId: integer('credited_creator_id'),
    /**
     * How the line was sold when not through the bag: 'group' (a member's seat in a group buy) or
     * 'cut' (a help-cut bought at the price reached). Null for bag lines.
     */
    channel: text('channel', { enum: ['group', 'cut'] }),
    /** 'post' | 'group' | 'cut' | 'saved' | 'board' | 'code' | 'link' | 'none' | 'excluded' */
    attributionSource: text('attribution_source', { enum: ['post', 'group', 'cut', 'saved', 'board', 'code', 'link', 'none', 'excluded'] }),
    /** The post slug, the code, or the click id behind the decision. */
    attributionRef: text('attribution_ref'),
    attributionReason: text('attribution_reason'),
    /** When the order was paid (copied for fast per-creator reporting). */
    paidAt: integer('paid_at'),
  },
  (t) => [
    index('order_lines_order_idx').on(t.orderId),
    index('order_lines_variant_idx').on(t.variantId),
    index('order_lines_credit_idx').on(t.creditedCreatorId, t.paidAt),
    index('order_lines_source_creator_idx').on(t.sourceCreatorId, t.paidAt),
  ],
);

/**
 * Stock held for a pending order (docs/architecture.md, rule 2). Live = status 'active' and not yet expired;
 * availability = on hand − live reservations. Expiry needs no sweeper: an expired row simply stops
 * counting.
 */
export const stockReservations = sqliteTable(
  'stock_reservations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The pending order holding the stock; null for a hold without an order yet (`holdFor`). */
    orderId: integer('order_id').references(() => orders.id, { onDelete: 'cascade' }),
    /**
     * Stock set aside before any order exists, named by what holds it: 'cut:<launch id>' (a help-cut
     * launch keeps its unit until it is bought or lapses). Counts in availability like any
     * reservation; the order placed for it releases the hold in the same transaction.
     */
    holdFor: text('hold_for'),
    variantId: integer('variant_id')
      .notNull()
      .references(() => variants.id),
    qty: integer('qty').notNull(),
    status: text('status', { enum: ['active', 'converted', 'released'] }).notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('stock_reservations_live_idx').on(t.variantId, t.status, t.expiresAt),
    index('stock_reservations_order_idx').on(t.orderId),
    index('stock_reservations_hold_idx').on(t.holdFor),
    check('stock_reservations_qty', sql`${t.qty} > 0`),
  ],
);

/** One parcel: some lines (or parts of them) of an order, with carrier and tracking number. */
export const shipments = sqliteTable(
  'shipments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    shippedAt: integer('shipped_at').notNull(),
    deliveredAt: integer('delivered_at'),
    returnedAt: integer('returned_at'),
    /** 'admin:<email>' */
    actor: text('actor').notNull(),
  },
  (t) => [index('shipments_order_idx').on(t.orderId)],
);

export const shipmentLines = sqliteTable(
  'shipment_lines',
  {
    shipmentId: integer('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
    orderLineId: integer('order_line_id')
      .notNull()
      .references(() => orderLines.id, { onDelete: 'cascade' }),
    qty: integer('qty').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.orderLineId] }), index('shipment_lines_line_idx').on(t.orderLineId), check('shipment_lines_qty', sql`${t.qty} > 0`)],
);

/** The shop's internal notes on an order (never shown to the buyer). */
export const orderNotes = sqliteTable(
  'order_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    actor: text('actor').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('order_notes_order_idx').on(t.orderId, t.createdAt)],
);

/** Every status change and notable action on an order, with time and actor. */
export const orderEvents = sqliteTable(
  'order_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    /** 'system', 'buyer', 'provider:stripe', 'provider:test', 'admin:<email>', 'sweeper' */
    actor: text('actor').notNull(),
    note: text('note'),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.at)],
);

/** Provider events by id: a repeated delivery is recognised and changes nothing twice. */
export const paymentEvents = sqliteTable(
  'payment_events',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    type: text('type').notNull(),
    orderId: integer('order_id').references(() => orders.id),
    outcome: text('outcome').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('payment_events_order_idx').on(t.orderId)],
);

export const couponRedemptions = sqliteTable(
  'coupon_redemptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    couponId: integer('coupon_id')
      .notNull()
      .references(() => coupons.id),
    orderId: integer('order_id')
      .notNull()
      .unique()
      .references(() => orders.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Set when the order is canceled or expires: the redemption no longer counts. */
    releasedAt: integer('released_at'),
  },
  (t) => [index('coupon_redemptions_coupon_idx').on(t.couponId, t.email)],
);

/** Transactional outbox: mail is written in the same transaction as the change it reports. */
export const outboxEmails = sqliteTable(
  'outbox_emails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    kind: text('kind').notNull(),
    orderId: integer('order_id').references(() => orders.id),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_emails_pending_idx').on(t.sentAt, t.id)],
);

/** Secrets the app generates for itself on first use (e.g. the order-link HMAC key), shared by all instances. */
export const appSecrets = sqliteTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: integer('created_at').notNull(),
});
