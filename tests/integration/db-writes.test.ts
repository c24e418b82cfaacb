/**
 * One process, one handle: plain writes issued while transactions are open must queue behind
 * them, not deadlock on the file lock (src/server/db.ts serialiseWrites).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/server/db.ts';
import { createTestDb } from '../helpers/db.ts';
import { loginThrottles } from '../../db/schema/index.ts';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.$client.close());

it('interleaves 30 transactions with 30 plain writes without SQLITE_BUSY', async () => {
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 30; i++) {
    work.push(
      db.transaction(async (tx) => {
        await tx.insert(loginThrottles).values({ key: `tx-${i}`, failures: 0, windowStartedAt: 0 });
        await new Promise((r) => setTimeout(r, 2)); // the transaction stays open across an await
        await tx.update(loginThrottles).set({ failures: 1 }).where(eq(loginThrottles.key, `tx-${i}`));
      }),
    );
    work.push(db.insert(loginThrottles).values({ key: `plain-${i}`, failures: 2, windowStartedAt: 0 }));
  }
  await Promise.all(work);
  const rows = await db.select({ n: sql<number>`count(*)`, f: sql<number>`sum(${loginThrottles.failures})` }).from(loginThrottles).get();
  expect(rows).toEqual({ n: 60, f: 30 + 60 });
});
