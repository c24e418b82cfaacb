/**
 * A real, migrated libSQL database per test file (a temp file, WAL mode like production).
 * The handle is closed and its temp directory removed after the test file (an `afterAll` registered
 * here, when a test file imports this helper); a test may still close it earlier itself.
 * @example const db = await createTestDb();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { migrateDb, openDb, type Db } from '../../src/server/db.ts';

export const MIGRATIONS = join(import.meta.dirname, '../../db/migrations');

/** Every database this test file created: closed and deleted once the file is done. */
const created: { db: Db; dir: string }[] = [];

/** Closes and deletes every database created so far (run after each test file). */
export function removeTestDbs(): void {
  for (const { db, dir } of created.splice(0)) {
    db.$client.close(); // closing twice is harmless
    rmSync(dir, { recursive: true, force: true });
  }
}

afterAll(removeTestDbs);

export async function createTestDb(): Promise<Db> {
  return (await createTestDbWithUrl()).db;
}

/** Also returns the URL, so a test can open a second handle (a second app instance) on the same file. */
export async function createTestDbWithUrl(): Promise<{ db: Db; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lookbook-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const db = await openDb({ url });
  created.push({ db, dir });
  await migrateDb(db, MIGRATIONS);
  return { db, url };
}
