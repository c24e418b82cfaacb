import { index, integer, sqliteTable, text, blob } from 'drizzle-orm/sqlite-core';

/**
 * Creator rows carry what the shop needs, and the public profile a creator edits in the studio
 * (bio, location, avatar, links). A creator with a file in src/content/creators shows that file's
 * profile until they save one in the studio (docs/decisions/0038-studio-posts.md).
 */
export const creators = sqliteTable(
  'creators',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    handle: text('handle').notNull().unique(),
    displayName: text('display_name').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Referral code used in /r/<code> and ?ref=<code>. Stored upper-case. */
    referralCode: text('referral_code').unique(),
    /** Creator-specific commission rate in basis points (null: the shop default). */
    commissionRateBps: integer('commission_rate_bps'),
    /** One-level referral: the creator who invited this one (docs/architecture.md, rule 5). */
    invitedByCreatorId: integer('invited_by_creator_id'),
    /** Studio profile; null until the creator saves one. */
    bio: text('bio'),
    location: text('location'),
    /** An uploaded image (media.id). */
    avatarMediaId: text('avatar_media_id'),
    /** JSON array of { label, url } (validated on save: http(s) only). */
    linksJson: text('links_json'),
    profileUpdatedAt: integer('profile_updated_at'),
  },
  (t) => [index('creators_invited_by_idx').on(t.invitedByCreatorId)],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull().unique(),
    /** '' for a reader: readers sign in by a one-time email link only, never by password. */
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'creator', 'reader'] }).notNull(),
    creatorId: integer('creator_id').references(() => creators.id),
    createdAt: integer('created_at').notNull(),
    /** When the mailbox was proven (a one-time link used); null until then. */
    emailVerifiedAt: integer('email_verified_at'),
    /** What others see of a reader (a group's members, a cut's helpers): a first name or nickname. */
    displayName: text('display_name'),
  },
  (t) => [index('users_creator_idx').on(t.creatorId)],
);

/**
 * Sessions per the Lucia guide: the cookie holds `id.secret`; only SHA-256(secret) is stored.
 */
export const authSessions = sqliteTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);

/**
 * Login throttling buckets, one per key ("email:<addr>" or "ip:<addr>"), kept in the DB so that
 * several app instances share them.
 */
export const loginThrottles = sqliteTable('login_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: integer('window_started_at').notNull(),
  lockedUntil: integer('locked_until').notNull().default(0),
});

/**
 * One-time sign-in links for readers. The link carries `id.secret`; only SHA-256(secret) is kept.
 * Single use (`usedAt`), short-lived (`expiresAt`), tied to the normalised email it was sent to.
 */
export const loginLinks = sqliteTable(
  'login_links',
  {
    id: text('id').primaryKey(),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    email: text('email').notNull(),
    /** A local path to return to after signing in (validated as a same-site path when created). */
    returnTo: text('return_to'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('login_links_email_idx').on(t.email, t.createdAt)],
);

/** A reader's saved shipping addresses (offered at checkout and when joining a group). */
export const readerAddresses = sqliteTable(
  'reader_addresses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    region: text('region'),
    postcode: text('postcode').notNull(),
    country: text('country').notNull(),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('reader_addresses_user_idx').on(t.userId)],
);
