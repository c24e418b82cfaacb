/**
 * A reader's saved shipping addresses. An address is saved when a signed-in reader places an
 * order with it (the same address again only moves to the top, never duplicates), offered first
 * at checkout, and removable from the account page. Only the owner reads or removes them: every
 * query is keyed on the signed-in user's id, never on an id from the request alone.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { readerAddresses } from '../../../db/schema/index.ts';
import type { PostalAddress } from '../shared/index.ts';

/** At most this many per account; the oldest-used one goes when a new one is saved. */
export const MAX_SAVED_ADDRESSES = 10;

export interface SavedAddress extends PostalAddress {
  id: number;
}

function sameAddress(a: PostalAddress, b: PostalAddress): boolean {
  const k = (x: PostalAddress) => [x.name, x.line1, x.line2 ?? '', x.city, x.region ?? '', x.postcode, x.country].map((s) => s.trim().toLowerCase()).join('\u0001');
  return k(a) === k(b);
}

export async function listAddresses(db: DbOrTx, userId: number): Promise<SavedAddress[]> {
  const rows = await db.select().from(readerAddresses).where(eq(readerAddresses.userId, userId)).orderBy(desc(readerAddresses.updatedAt), desc(readerAddresses.id));
  return rows.map((r) => ({ id: r.id, name: r.name, line1: r.line1, line2: r.line2, city: r.city, region: r.region, postcode: r.postcode, country: r.country }));
}

/** Saves (or refreshes) an address the reader just shipped to. */
export async function rememberAddress(db: DbOrTx, userId: number, address: PostalAddress, now = Date.now()): Promise<void> {
  const saved = await listAddresses(db, userId);
  const same = saved.find((s) => sameAddress(s, address));
  if (same) {
    await db.update(readerAddresses).set({ updatedAt: now }).where(and(eq(readerAddresses.id, same.id), eq(readerAddresses.userId, userId)));
    return;
  }
  for (const old of saved.slice(MAX_SAVED_ADDRESSES - 1)) await db.delete(readerAddresses).where(and(eq(readerAddresses.id, old.id), eq(readerAddresses.userId, userId)));
  await db.insert(readerAddresses).values({ userId, ...address, line2: address.line2 ?? null, region: address.region ?? null, createdAt: now, updatedAt: now });
}

/** Removes one of the reader's own addresses; false when it is not theirs (or gone). */
export async function removeAddress(db: DbOrTx, userId: number, addressId: number): Promise<boolean> {
  const done = await db.delete(readerAddresses).where(and(eq(readerAddresses.id, addressId), eq(readerAddresses.userId, userId))).returning({ id: readerAddresses.id });
  return done.length === 1;
}
