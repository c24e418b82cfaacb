/**
 * The one way to open the database. Pages get a handle from src/lib/runtime.ts, scripts and tests
 * call `openDb` themselves; domain code in src/server/* receives the handle as an argument.
 * ADR 0002: Drizzle on libSQL — a local file in WAL mode by default, sqld/Turso through DATABASE_URL.
 */
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from '../../db/schema/index.ts';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };
export { schema };

export interface DbOptions {
  url: string;
  authToken?: string | undefined;
}

export async function openDb({ url, authToken }: DbOptions): Promise<Db> {
  // `timeout` is SQLite's busy timeout on every pooled connection: concurrent writers (several
  // transactions, several instances) queue for up to 5 s instead of failing with SQLITE_BUSY.
  // libSQL enables foreign keys on every connection by default.
  const client = createClient({ url, authToken, timeout: 5000 });
  if (url.startsWith('file:')) {
    // WAL lets readers proceed while a writer commits; the mode is stored in the file.
    await client.execute('PRAGMA journal_mode = WAL');
  }
  return drizzle(client, { schema }) as Db;
}

/** Applies committed migrations from db/migrations (idempotent). */
export async function migrateDb(db: Db, migrationsFolder: string): Promise<void> {
  await migrate(db, { migrationsFolder });
}

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the handle or an open transaction: domain writes accept both. */
export type DbOrTx = Db | Tx;
