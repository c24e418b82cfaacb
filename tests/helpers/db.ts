/**
 * A real, migrated libSQL database per test file (a temp file, WAL mode like production).
 * @example const db = await createTestDb(); afterAll(() => db.$client.close());
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDb, openDb, type Db } from '../../src/server/db.ts';

export const MIGRATIONS = join(import.meta.dirname, '../../db/migrations');

export async function createTestDb(): Promise<Db> {
  return (await createTestDbWithUrl()).db;
}

/** Also returns the URL, so a test can open a second handle (a second app instance) on the same file. */
export async function createTestDbWithUrl(): Promise<{ db: Db; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lookbook-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const db = await openDb({ url });
  await migrateDb(db, MIGRATIONS);
  return { db, url };
}
