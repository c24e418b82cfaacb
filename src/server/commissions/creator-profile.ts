/**
 * A creator's public profile as the database knows it: enough for /creators/<handle> to exist from
 * the day they join, before anyone writes a profile file for them (src/content/creators/*.json
 * adds the bio, avatar and links).
 */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { creators } from '../../../db/schema/index.ts';

export interface PublicCreator {
  handle: string;
  displayName: string;
  joinedAt: number;
}

/** The creator with this handle, or null. Handles are matched exactly, as they appear in URLs. */
export async function publicCreatorByHandle(db: DbOrTx, handle: string): Promise<PublicCreator | null> {
  if (!/^[a-z0-9-]{1,60}$/.test(handle)) return null;
  const row = await db.select({ handle: creators.handle, displayName: creators.displayName, joinedAt: creators.createdAt }).from(creators).where(eq(creators.handle, handle)).get();
  return row ?? null;
}

/** Initials for an avatar placeholder: "Ana Test" → "AT". */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** Who a share link credits: the creator's name and referral code (null: no code yet). */
export interface CreatorReferral {
  id: number;
  handle: string;
  displayName: string;
  referralCode: string | null;
}

/** The creator's referral identity by handle or by id (share links, ADR 0054); null when unknown. */
export async function creatorReferral(db: DbOrTx, by: { handle: string } | { id: number }): Promise<CreatorReferral | null> {
  const cols = { id: creators.id, handle: creators.handle, displayName: creators.displayName, referralCode: creators.referralCode };
  const row = await db
    .select(cols)
    .from(creators)
    .where('handle' in by ? eq(creators.handle, by.handle) : eq(creators.id, by.id))
    .get();
  return row ?? null;
}
