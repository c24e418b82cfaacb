/**
 * Workflows of reader accounts (docs/decisions/0050-reader-accounts.md): asking for a one-time
 * sign-in link, signing in with it, and what the account page shows. Staff and creators keep
 * signing in with their password (sign-in.ts).
 */
import { z } from 'zod';
import { EMAIL_MAX, createLoginLink, findLoginLink, loginLinkPath, toRetryAfterSeconds, useLoginLink, waitInWords, LOGIN_LINK_TTL_MS, type LinkState, type SessionUser } from '../auth/index.ts';
import { listAddresses, removeAddress, type SavedAddress } from '../accounts/index.ts';
import { EMAIL_KINDS, enqueueEmail, signInLinkEmail } from '../mail/index.ts';
import { ordersForAccount, type AccountOrder } from '../orders/index.ts';
import { groupsForUser, launchesForUser, type LaunchView, type UserGroupSeat } from '../social/index.ts';
import { fieldErrorsFromZod, getAppSecret, paths, refuse, safeNextPath, type Refusal } from '../shared/index.ts';
import { users } from '../../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { mergeGuestList } from '../wishlist/index.ts';
import { deliverMailSoon, type App } from './app.ts';
import { accountReviews, type AccountReviews } from './reviews.ts';

const schema = z.object({
  email: z
    .string({ error: 'Enter your email address.' })
    .trim()
    .min(1, 'Enter your email address.')
    .max(EMAIL_MAX, 'That email address is too long.')
    .pipe(z.email('Enter a valid email address, like name@example.com.')),
  next: z.string().max(2000).optional(),
});

export type SignInLinkOutcome = { ok: true; email: string } | (Refusal<'invalid' | 'throttled'> & { retryAfterSeconds?: number });


/**
 * "Email me a sign-in link". The same answer whether or not the address has an account; the
 * email goes through the outbox in the transaction that records the link.
 */
export async function requestSignInLink(
  app: App,
  { form, ip, now = Date.now() }: { form: { email?: unknown; next?: unknown }; ip: string | null; now?: number },
): Promise<SignInLinkOutcome> {
  const parsed = schema.safeParse({ email: form.email ?? '', next: typeof form.next === 'string' && form.next !== '' ? form.next : undefined });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsFromZod(parsed.error);
    return refuse('invalid', Object.values(fieldErrors).join(' '), fieldErrors);
  }
  const { email, next } = parsed.data;
  const site = app.config.shop.siteUrl;
  const result = await app.db.transaction(async (tx) => {
    const link = await createLoginLink(tx, { email, returnTo: next ? safeNextPath(next, '') : null, ip, now });
    if (link.kind !== 'send') return link;
    const mail = signInLinkEmail({
      shopName: app.config.shop.name,
      email: link.email,
      signInUrl: link.token ? new URL(loginLinkPath(link.token), site).href : null,
      minutes: Math.round(LOGIN_LINK_TTL_MS / 60_000),
      passwordUrl: new URL(paths.login(), site).href,
    });
    await enqueueEmail(tx, { to: link.email, ...mail, kind: EMAIL_KINDS.signInLink }, now);
    return link;
  });
  if (result.kind === 'throttled') {
    const secs = toRetryAfterSeconds(result.retryAfterMs);
    return { ...refuse('throttled', `Too many sign-in links were asked for from here. Wait ${waitInWords(secs)} and try again.`), retryAfterSeconds: secs };
  }
  deliverMailSoon(app);
  return { ok: true, email: email.trim().toLowerCase() };
}

/** What the link page shows before the reader confirms (no writes). */
export function inspectSignInLink(app: App, token: unknown, now = Date.now()): Promise<LinkState> {
  return findLoginLink(app.db, token, now);
}

export const LINK_PROBLEM: Record<'unknown' | 'expired' | 'used' | 'not_allowed', string> = {
  unknown: 'This sign-in link is not valid. Check that the whole link was copied, or ask for a new one.',
  expired: 'This sign-in link has expired (links work for 15 minutes). Ask for a new one below.',
  used: 'This sign-in link has been used already (each works once). Ask for a new one below.',
  not_allowed: 'This address belongs to a staff or creator account, which signs in with its password.',
};

export type SignInWithLinkOutcome =
  | { ok: true; token: string; expiresAt: number; redirectTo: string }
  | Refusal<'not_found' | 'expired' | 'used' | 'not_allowed'>;

/**
 * "Sign in" on the link page: uses the link once, in one transaction, and starts the session. A
 * guest wishlist in this browser (`guestListId`, from its cookie) moves into the account in the
 * same transaction (duplicates keep the earliest save and its credit, ADR 0053).
 */
export async function signInWithLink(
  app: App,
  { token, previousSessionId, guestListId = null, now = Date.now() }: { token: unknown; previousSessionId?: string | null | undefined; guestListId?: string | null; now?: number },
): Promise<SignInWithLinkOutcome> {
  const r = await app.db.transaction(async (tx) => {
    const used = await useLoginLink(tx, { token, previousSessionId, now });
    if (used.ok) await mergeGuestList(tx, guestListId, used.user.id);
    return used;
  });
  if (!r.ok) return refuse(r.reason === 'unknown' ? 'not_found' : r.reason, LINK_PROBLEM[r.reason]);
  return { ok: true, token: r.token, expiresAt: r.expiresAt, redirectTo: safeNextPath(r.returnTo, paths.account()) };
}

export interface AccountOverview {
  email: string;
  displayName: string | null;
  verified: boolean;
  orders: AccountOrder[];
  addresses: SavedAddress[];
  /** Help-cut bargains started or helped (`mine`: started by this account). */
  cuts: (LaunchView & { mine: boolean })[];
  /** Group-buy seats taken by this account. */
  groups: UserGroupSeat[];
  /** Pieces received and not reviewed yet, and the reader's reviews with where they stand. */
  reviews: AccountReviews;
}

/** The account page: orders (guest orders with the same email once verified) and saved addresses. */
export async function accountOverview(app: App, user: SessionUser, now = Date.now()): Promise<AccountOverview> {
  const row = await app.db.select({ verifiedAt: users.emailVerifiedAt, displayName: users.displayName }).from(users).where(eq(users.id, user.id)).get();
  const verified = (row?.verifiedAt ?? null) !== null;
  const linkSecret = await getAppSecret(app.db, 'order_links');
  const [orders, addresses, cuts] = await Promise.all([
    ordersForAccount(app.db, { userId: user.id, email: user.email, verified, linkSecret, now }),
    listAddresses(app.db, user.id),
    launchesForUser(app.db, user.id, now),
  ]);
  const groups = await groupsForUser(app.db, user.id, now);
  const reviews = await accountReviews(app, user, now);
  return { email: user.email, displayName: row?.displayName ?? null, verified, orders, addresses, cuts, groups, reviews };
}

export const DISPLAY_NAME_MAX = 40;

/**
 * The name others see of a reader — its first letter only, on groups and bargains ("M•••").
 * Letters, spaces, dots, dashes and apostrophes; empty clears it.
 */
export async function setDisplayName(app: App, user: SessionUser, raw: unknown): Promise<{ ok: true; displayName: string | null } | Refusal<'invalid'>> {
  const name = typeof raw === 'string' ? raw.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
  if (name.length > DISPLAY_NAME_MAX) return refuse('invalid', `Keep your name under ${DISPLAY_NAME_MAX} characters.`, { displayName: `Keep your name under ${DISPLAY_NAME_MAX} characters.` });
  if (name !== '' && !/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u.test(name)) {
    const message = 'Use letters and spaces (dots, dashes and apostrophes are fine), starting with a letter.';
    return refuse('invalid', message, { displayName: message });
  }
  await app.db.update(users).set({ displayName: name === '' ? null : name }).where(eq(users.id, user.id));
  return { ok: true, displayName: name === '' ? null : name };
}

/** "Remove" next to a saved address; only the reader's own. */
export async function forgetAddress(app: App, user: SessionUser, rawId: unknown): Promise<{ ok: true } | Refusal<'not_found'>> {
  const id = typeof rawId === 'string' && /^[1-9][0-9]{0,9}$/.test(rawId) ? Number(rawId) : null;
  if (id === null || !(await removeAddress(app.db, user.id, id))) return refuse('not_found', 'That address is not in your account (it may have been removed already).');
  return { ok: true };
}
