/**
 * Creator invitations and one-level referral (docs/architecture.md, rule 5; ADR 0009).
 *
 * The model:
 * - An admin, or a creator, invites a person by email, handle and display name. The invite is a
 *   one-time link `/invite/<token>`: the token is 160 random bits (base32, 32 characters); the
 *   database stores only its SHA-256 (`creator_invites.token_hash`), so a leaked table or backup
 *   cannot be turned into working links. It expires after 7 days and works once.
 * - The email goes through the transactional outbox in the SAME transaction as the invite row
 *   (ADR 0005): no row without its email, no email without its row.
 * - Accepting (setting a password) creates, in one transaction, the `creators` row — with
 *   `invited_by_creator_id` = the inviting creator, if any; `created_at` = now, which starts the
 *   6-month override period — the creator login (argon2, through `createUser`), marks the invite
 *   used (conditional on it still being unused: two tabs cannot both accept) and starts a session.
 *   An expired, used or unknown token writes nothing.
 * - One level only: the inviter's override comes from `creators.invited_by_creator_id` of the
 *   creator credited with the sale (ledger.ts); nothing ever looks further up the chain.
 * - Nobody can be invited with the email of an existing user or the handle of an existing creator;
 *   an open invite reserves its handle. A new invite to an address with an open invite replaces it
 *   (the old link stops working) when the same party sends it; another creator cannot take over
 *   someone else's open invite.
 *
 * Pure helpers first (unit-tested), then the database functions (integration-tested).
 */
import { ensureCreatorCodes } from './creator-codes.ts';
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db, DbOrTx } from '../db.ts';
import { commissionEntries, creatorInvites, creators, users } from '../../../db/schema/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { creatorInviteEmail, INVITE_EMAIL_KIND } from '../mail/index.ts';
import { createUser, EMAIL_MAX, isValidEmail, normaliseEmail } from '../auth/index.ts';
import { checkPasswordStrength } from '../auth/index.ts';
import { createSession, invalidateSession } from '../auth/index.ts';
import type { SessionUser } from '../auth/index.ts';
import { overrideEndsAt } from './commission.ts';

export const INVITE_TTL_MS = 7 * 86_400_000;
/** Invitations a creator may send per 24 hours (the shop's own invites are not limited). */
export const CREATOR_INVITES_PER_DAY = 10;
const TOKEN_BYTES = 20;
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;
/** The same rule as the content collection's creator handle (src/content.config.ts). */
export const HANDLE_PATTERN = /^[a-z0-9][a-z0-9-]{1,30}$/;
export const DISPLAY_NAME_MAX = 80;

// ---------------------------------------------------------------------------------------------
// Pure

/** SHA-256 of the token, hex: what `creator_invites.token_hash` holds. */
export function hashInviteToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * A fresh one-time token (goes into the link only) and its hash (goes into the database).
 * @example const { token, tokenHash } = generateInviteToken();
 */
export function generateInviteToken(): { token: string; tokenHash: string } {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  return { token, tokenHash: hashInviteToken(token) };
}

/** True when the string could be a token we issued (anything else never reaches the database). */
export function isInviteTokenShape(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_PATTERN.test(token);
}

export type InviteState = 'open' | 'expired' | 'used';

/** Used wins over expired: a link that was used says so even after its date. */
export function inviteState(invite: { expiresAt: number; acceptedAt: number | null }, now: number): InviteState {
  if (invite.acceptedAt !== null) return 'used';
  return now < invite.expiresAt ? 'open' : 'expired';
}

/** The site path of an invite link. */
export function invitePath(token: string): string {
  return `/invite/${encodeURIComponent(token)}`;
}

/** The absolute invite link for the email. */
export function inviteUrl(siteUrl: string, token: string): string {
  return new URL(invitePath(token), siteUrl).href;
}

export type InviteField = 'email' | 'handle' | 'displayName';

const inviteSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter the email address to send the invitation to.')
    .max(EMAIL_MAX, 'That email address is too long.')
    .transform(normaliseEmail)
    .refine(isValidEmail, 'Enter a valid email address, like name@example.com.'),
  handle: z
    .string()
    .trim()
    .transform((s) => s.replace(/^@/, '').toLowerCase())
    .pipe(z.string().min(1, 'Choose a handle.').regex(HANDLE_PATTERN, 'A handle is 2–31 characters: lowercase letters, digits and dashes, starting with a letter or digit.')),
  displayName: z
    .string()
    .trim()
    .min(1, 'Enter the name to show for this creator.')
    .max(DISPLAY_NAME_MAX, `The name must be at most ${DISPLAY_NAME_MAX} characters.`)
    .refine((s) => !/[\u0000-\u001f\u007f<>]/.test(s), 'The name cannot contain < > or control characters.'),
});

export interface InviteInput {
  email: string;
  handle: string;
  displayName: string;
}

export type ParsedInviteForm = { ok: true; value: InviteInput } | { ok: false; errors: Partial<Record<InviteField, string>> };

/**
 * @example parseInviteForm({ email: ' Ana@Example.com ', handle: '@Ana-Lee', displayName: 'Ana Lee' })
 *   // { ok: true, value: { email: 'ana@example.com', handle: 'ana-lee', displayName: 'Ana Lee' } }
 */
export function parseInviteForm(fields: Record<string, unknown>): ParsedInviteForm {
  const raw = {
    email: typeof fields.email === 'string' ? fields.email : '',
    handle: typeof fields.handle === 'string' ? fields.handle : '',
    displayName: typeof fields.displayName === 'string' ? fields.displayName : '',
  };
  const r = inviteSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const errors: Partial<Record<InviteField, string>> = {};
  for (const issue of r.error.issues) {
    const f = issue.path[0] as InviteField;
    errors[f] ??= issue.message;
  }
  return { ok: false, errors };
}

// ---------------------------------------------------------------------------------------------
// Creating an invite

export interface InviteMailContext {
  shopName: string;
  locale: string;
  siteUrl: string;
}

export type CreateInviteResult =
  | { ok: true; inviteId: number; token: string; expiresAt: number; replaced: number }
  | { ok: false; reason: 'invalid' | 'email_taken' | 'handle_taken' | 'already_invited' | 'unknown_inviter' | 'rate_limited'; message: string; errors: Partial<Record<InviteField, string>> };

function refusal(reason: Exclude<CreateInviteResult, { ok: true }>['reason'], message: string, field?: InviteField): Exclude<CreateInviteResult, { ok: true }> {
  return { ok: false, reason, message, errors: field ? { [field]: message } : {} };
}

/**
 * Validates, writes the invite and enqueues its email in one transaction. `inviterCreatorId` is the
 * creator who earns the override (null: the shop invites, nobody earns one). `invitedBy` is the
 * actor for the record ('admin:<email>' or 'creator:<handle>'). `limitPerDay` caps a creator's
 * invitations (pass CREATOR_INVITES_PER_DAY from the dashboard).
 * @example await createCreatorInvite(db, { fields: { email, handle, displayName }, inviterCreatorId: 3, invitedBy: 'creator:maya', mail })
 */
export async function createCreatorInvite(
  db: Db,
  {
    fields,
    inviterCreatorId,
    invitedBy,
    mail,
    limitPerDay,
    now = Date.now(),
  }: { fields: Record<string, unknown>; inviterCreatorId: number | null; invitedBy: string; mail: InviteMailContext; limitPerDay?: number; now?: number },
): Promise<CreateInviteResult> {
  const parsed = parseInviteForm(fields);
  if (!parsed.ok) {
    return { ok: false, reason: 'invalid', message: Object.values(parsed.errors).join(' '), errors: parsed.errors };
  }
  const { email, handle, displayName } = parsed.value;
  const { token, tokenHash } = generateInviteToken();
  const expiresAt = now + INVITE_TTL_MS;

  return db.transaction(async (tx) => {
    let inviterName: string | null = null;
    if (inviterCreatorId !== null) {
      const inviter = await tx.select({ id: creators.id, displayName: creators.displayName }).from(creators).where(eq(creators.id, inviterCreatorId)).get();
      if (!inviter) return refusal('unknown_inviter', 'The inviting creator does not exist.');
      inviterName = inviter.displayName;
    }
    // Both checks first, so the form can show both problems at once.
    const emailTaken = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    const handleTaken = await tx.select({ id: creators.id }).from(creators).where(eq(creators.handle, handle)).get();
    if (emailTaken || handleTaken) {
      const errors: Partial<Record<InviteField, string>> = {};
      if (emailTaken) errors.email = `${email} already has an account here, so it cannot be invited.`;
      if (handleTaken) errors.handle = `The handle @${handle} is already taken by a creator. Choose another.`;
      return { ok: false, reason: emailTaken ? 'email_taken' : 'handle_taken', message: Object.values(errors).join(' '), errors } as const;
    }
    const open = await tx
      .select({ id: creatorInvites.id, email: creatorInvites.email, handle: creatorInvites.handle, inviterCreatorId: creatorInvites.inviterCreatorId, invitedBy: creatorInvites.invitedBy })
      .from(creatorInvites)
      .where(and(isNull(creatorInvites.acceptedAt), gt(creatorInvites.expiresAt, now), or(eq(creatorInvites.email, email), eq(creatorInvites.handle, handle))));
    if (open.some((o) => o.handle === handle && o.email !== email)) {
      return refusal('handle_taken', `The handle @${handle} is reserved by an open invitation to someone else. Choose another.`, 'handle');
    }
    const sameEmail = open.filter((o) => o.email === email);
    // The shop may re-send anyone's invitation; a creator only their own.
    const mayReplace = (o: (typeof open)[number]) => (invitedBy.startsWith('admin:') ? true : o.inviterCreatorId === inviterCreatorId && inviterCreatorId !== null);
    if (sameEmail.some((o) => !mayReplace(o))) {
      return refusal('already_invited', `${email} already has an open invitation from someone else.`, 'email');
    }
    if (limitPerDay !== undefined && inviterCreatorId !== null) {
      const recent = await tx
        .select({ n: count() })
        .from(creatorInvites)
        .where(and(eq(creatorInvites.inviterCreatorId, inviterCreatorId), gte(creatorInvites.createdAt, now - 86_400_000)))
        .get();
      if ((recent?.n ?? 0) >= limitPerDay) {
        return refusal('rate_limited', `You can send up to ${limitPerDay} invitations a day. Try again tomorrow.`);
      }
    }
    // Replacing: the old link stops working (expired now); its row stays as a record.
    if (sameEmail.length > 0) {
      await tx.update(creatorInvites).set({ expiresAt: now }).where(inArray(creatorInvites.id, sameEmail.map((o) => o.id)));
    }
    const row = await tx
      .insert(creatorInvites)
      .values({ email, handle, displayName, tokenHash, inviterCreatorId, invitedBy, createdAt: now, expiresAt })
      .returning({ id: creatorInvites.id })
      .get();
    const rendered = creatorInviteEmail({
      shopName: mail.shopName,
      locale: mail.locale,
      to: email,
      displayName,
      handle,
      inviterName,
      acceptUrl: inviteUrl(mail.siteUrl, token),
      expiresAt,
    });
    await enqueueEmail(tx, { to: email, subject: rendered.subject, text: rendered.text, html: rendered.html, kind: INVITE_EMAIL_KIND }, now);
    return { ok: true, inviteId: row.id, token, expiresAt, replaced: sameEmail.length } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading and accepting

export interface InviteView {
  id: number;
  email: string;
  handle: string;
  displayName: string;
  inviterName: string | null;
  expiresAt: number;
}

export type InviteLookupFailure = { ok: false; reason: 'unknown' | 'expired' | 'used'; message: string };
export type InviteLookup = { ok: true; invite: InviteView } | InviteLookupFailure;

const LOOKUP_MESSAGES: Record<InviteLookupFailure['reason'], string> = {
  unknown: 'This invitation link is not valid. Check that you copied the whole link from the email, or ask for a new invitation.',
  expired: 'This invitation has expired. Ask the person who invited you (or the shop) to send a new one.',
  used: 'This invitation has already been used. If it was you, sign in with your email and password.',
};

function lookupFailure(reason: InviteLookupFailure['reason']): InviteLookupFailure {
  return { ok: false, reason, message: LOOKUP_MESSAGES[reason] };
}

async function loadInvite(db: DbOrTx, token: unknown) {
  if (!isInviteTokenShape(token)) return null;
  const row = await db.select().from(creatorInvites).where(eq(creatorInvites.tokenHash, hashInviteToken(token))).get();
  return row ?? null;
}

/** What the invite page shows for a token (no writes). */
export async function findInvite(db: DbOrTx, token: unknown, now = Date.now()): Promise<InviteLookup> {
  const row = await loadInvite(db, token);
  if (!row) return lookupFailure('unknown');
  const state = inviteState(row, now);
  if (state !== 'open') return lookupFailure(state);
  const inviter = row.inviterCreatorId !== null ? await db.select({ displayName: creators.displayName }).from(creators).where(eq(creators.id, row.inviterCreatorId)).get() : undefined;
  return {
    ok: true,
    invite: { id: row.id, email: row.email, handle: row.handle, displayName: row.displayName, inviterName: inviter?.displayName ?? null, expiresAt: row.expiresAt },
  };
}

export type AcceptInviteResult =
  | { ok: true; user: SessionUser; creatorId: number; sessionToken: string; sessionExpiresAt: number }
  | InviteLookupFailure
  | { ok: false; reason: 'weak_password' | 'taken'; message: string };

class AcceptAbort extends Error {
  constructor(readonly result: Exclude<AcceptInviteResult, { ok: true }>) {
    super(result.message);
  }
}

/**
 * Accepts an invite: creator row (with its inviter), creator login, invite marked used, new session
 * — all or nothing. The password is checked before anything is opened.
 */
export async function acceptInvite(
  db: Db,
  { token, password, previousSessionId, now = Date.now() }: { token: unknown; password: string; previousSessionId?: string | null | undefined; now?: number },
): Promise<AcceptInviteResult> {
  if (!isInviteTokenShape(token)) return lookupFailure('unknown');
  const strength = checkPasswordStrength(password);
  if (!strength.ok) return { ok: false, reason: 'weak_password', message: strength.reason };
  try {
    return await db.transaction(async (tx) => {
      const row = await loadInvite(tx, token);
      if (!row) throw new AcceptAbort(lookupFailure('unknown'));
      const state = inviteState(row, now);
      if (state !== 'open') throw new AcceptAbort(lookupFailure(state));
      if (await tx.select({ id: creators.id }).from(creators).where(eq(creators.handle, row.handle)).get()) {
        throw new AcceptAbort({ ok: false, reason: 'taken', message: `The handle @${row.handle} has been taken since this invitation was sent. Ask for a new invitation with another handle.` });
      }
      // The inviter must still exist; if not, the invitee simply has no inviter.
      const inviterId =
        row.inviterCreatorId !== null && (await tx.select({ id: creators.id }).from(creators).where(eq(creators.id, row.inviterCreatorId)).get()) ? row.inviterCreatorId : null;
      const creator = await tx
        .insert(creators)
        .values({ handle: row.handle, displayName: row.displayName, createdAt: now, invitedByCreatorId: inviterId })
        .returning({ id: creators.id })
        .get();
      // A referral code and a personal code from day one (no "ask the shop" on the dashboard).
      await ensureCreatorCodes(tx, creator.id, now);
      const created = await createUser(tx, { email: row.email, password, role: 'creator', creatorHandle: row.handle, now });
      if (!created.ok) {
        throw new AcceptAbort(
          created.reason === 'weak_password'
            ? { ok: false, reason: 'weak_password', message: created.message }
            : { ok: false, reason: 'taken', message: `An account with ${row.email} exists already. Sign in instead, or ask for an invitation to another address.` },
        );
      }
      // Single use, even against a second tab submitting at the same moment.
      const marked = await tx
        .update(creatorInvites)
        .set({ acceptedAt: now, creatorId: creator.id })
        .where(and(eq(creatorInvites.id, row.id), isNull(creatorInvites.acceptedAt)))
        .returning({ id: creatorInvites.id });
      if (marked.length !== 1) throw new AcceptAbort(lookupFailure('used'));
      if (previousSessionId) await invalidateSession(tx, previousSessionId);
      const { token: sessionToken, session } = await createSession(tx, created.user.id, now);
      return { ok: true, user: created.user, creatorId: creator.id, sessionToken, sessionExpiresAt: session.expiresAt } as const;
    });
  } catch (err) {
    if (err instanceof AcceptAbort) return err.result;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Lists

export interface InviteeRow {
  creatorId: number;
  handle: string;
  displayName: string;
  joinedAt: number;
  /** When sales stop earning the inviter an override (6 calendar months after joining). */
  overrideEndsAt: number;
  overrideActive: boolean;
  /** Sum of the inviter's `override` and `override_reversal` entries for this invitee's sales. */
  overrideCents: number;
}

export interface OpenInviteRow {
  id: number;
  email: string;
  handle: string;
  displayName: string;
  invitedBy: string;
  inviterCreatorId: number | null;
  createdAt: number;
  expiresAt: number;
  state: InviteState;
}

/**
 * Override earnings per invitee: an override entry points at the invitee's sale entry; an
 * override reversal points at the override entry. Both belong to the inviter.
 */
async function overrideSums(db: DbOrTx, inviterId: number): Promise<Map<number, number>> {
  const rows = await db.all<{ invitee: number | null; cents: number }>(sql`
    select case when e.kind = 'override' then s1.creator_id else s2.creator_id end as invitee, sum(e.amount_cents) as cents
    from commission_entries e
    left join commission_entries s1 on s1.id = e.source_entry_id
    left join commission_entries s2 on s2.id = s1.source_entry_id
    where e.creator_id = ${inviterId} and e.kind in ('override', 'override_reversal')
    group by invitee`);
  return new Map(rows.filter((r) => r.invitee !== null).map((r) => [Number(r.invitee), Number(r.cents)]));
}

/** The creators someone invited (joined), with override earnings and period end; newest first. */
export async function listInvitees(db: DbOrTx, inviterId: number, now = Date.now()): Promise<InviteeRow[]> {
  const rows = await db
    .select({ creatorId: creators.id, handle: creators.handle, displayName: creators.displayName, joinedAt: creators.createdAt })
    .from(creators)
    .where(eq(creators.invitedByCreatorId, inviterId))
    .orderBy(desc(creators.createdAt), desc(creators.id));
  const sums = await overrideSums(db, inviterId);
  return rows.map((r) => {
    const ends = overrideEndsAt(r.joinedAt);
    return { ...r, overrideEndsAt: ends, overrideActive: now < ends, overrideCents: sums.get(r.creatorId) ?? 0 };
  });
}

/**
 * Invitations not (yet) accepted: open ones first, then recently expired ones (last 30 days).
 * `inviterCreatorId` limits to one creator's invitations; omitted: all (the admin).
 */
export async function listPendingInvites(db: DbOrTx, { inviterCreatorId, now = Date.now() }: { inviterCreatorId?: number; now?: number } = {}): Promise<OpenInviteRow[]> {
  const rows = await db
    .select({
      id: creatorInvites.id,
      email: creatorInvites.email,
      handle: creatorInvites.handle,
      displayName: creatorInvites.displayName,
      invitedBy: creatorInvites.invitedBy,
      inviterCreatorId: creatorInvites.inviterCreatorId,
      createdAt: creatorInvites.createdAt,
      expiresAt: creatorInvites.expiresAt,
      acceptedAt: creatorInvites.acceptedAt,
    })
    .from(creatorInvites)
    .where(
      and(
        isNull(creatorInvites.acceptedAt),
        gt(creatorInvites.expiresAt, now - 30 * 86_400_000),
        inviterCreatorId !== undefined ? eq(creatorInvites.inviterCreatorId, inviterCreatorId) : undefined,
      ),
    )
    .orderBy(desc(creatorInvites.expiresAt), asc(creatorInvites.id))
    .limit(200);
  return rows.map(({ acceptedAt, ...r }) => ({ ...r, state: inviteState({ expiresAt: r.expiresAt, acceptedAt }, now) }));
}

/** Total override earnings of an inviter (all invitees), for a headline figure. */
export async function overrideTotal(db: DbOrTx, inviterId: number): Promise<number> {
  const row = await db
    .select({ sum: sql<number>`coalesce(sum(${commissionEntries.amountCents}), 0)` })
    .from(commissionEntries)
    .where(and(eq(commissionEntries.creatorId, inviterId), inArray(commissionEntries.kind, ['override', 'override_reversal'])))
    .get();
  return Number(row?.sum ?? 0);
}
