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
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'creator'] }).notNull(),
    creatorId: integer('creator_id').references(() => creators.id),
    createdAt: integer('created_at').notNull(),
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
