import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, check } from 'drizzle-orm/sqlite-core';

/** Brands and categories are small lookup tables; products point at them. */
export const brands = sqliteTable('brands', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
});

export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
});

/**
 * A product is what a post's card points at (by slug — slugs appear in MDX, keep them stable).
 * Prices and stock live on variants.
 */
export const products = sqliteTable(
  'products',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    brandId: integer('brand_id')
      .notNull()
      .references(() => brands.id),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    description: text('description').notNull(),
    /** Site-relative path of the default image (served from /public). */
    imagePath: text('image_path').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    /** Last admin edit (null: never edited since the seed or import created it). */
    updatedAt: integer('updated_at'),
    /** Archived: off the shop for good but kept, because orders and posts point at it (never deleted). */
    archivedAt: integer('archived_at'),
    /** Search-engine title and description; null: the product's name and description are used. */
    seoTitle: text('seo_title'),
    seoDescription: text('seo_description'),
    /** Free tags, JSON array of strings. */
    tagsJson: text('tags_json').notNull().default('[]'),
  },
  (t) => [index('products_category_idx').on(t.categoryId), index('products_brand_idx').on(t.brandId)],
);

/** A product's gallery: uploads through the media pipeline, in order, each with its alt text. */
export const productImages = sqliteTable(
  'product_images',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    mediaId: text('media_id').notNull(),
    alt: text('alt').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('product_images_product_idx').on(t.productId, t.position)],
);

/**
 * A product's former slugs (its current one is products.slug): an old address keeps redirecting to
 * the product. A slug is unique across current and former slugs (checked where a slug is set).
 */
export const productSlugs = sqliteTable(
  'product_slugs',
  {
    slug: text('slug').primaryKey(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('product_slugs_product_idx').on(t.productId)],
);

/**
 * A variant is the unit that is sold and stocked: own SKU, size, colour, price (minor units).
 * Availability = stock_on_hand − live reservations (docs/architecture.md, rule 2).
 */
export const variants = sqliteTable(
  'variants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    sku: text('sku').notNull().unique(),
    size: text('size'),
    colour: text('colour'),
    colourHex: text('colour_hex'),
    imagePath: text('image_path'),
    priceCents: integer('price_cents').notNull(),
    compareAtCents: integer('compare_at_cents'),
    stockOnHand: integer('stock_on_hand').notNull().default(0),
    position: integer('position').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [
    index('variants_product_idx').on(t.productId),
    check('variants_price_nonneg', sql`${t.priceCents} >= 0`),
    check('variants_stock_nonneg', sql`${t.stockOnHand} >= 0`),
  ],
);

/**
 * Monotonic counters that say "something that a cached page shows has changed".
 * The post render cache (ADR 0003) compares its entry's version with this row on every hit,
 * so a price or stock change is visible on the very next request, on every instance.
 */
export const cacheVersions = sqliteTable('cache_versions', {
  key: text('key').primaryKey(),
  version: integer('version').notNull().default(0),
});
