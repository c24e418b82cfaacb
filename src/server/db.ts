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
  const db = drizzle(client, { schema }) as Db;
  serialiseTransactions(db);
  return db;
}

/**
 * SQLite has one writer at a time, and every Drizzle transaction on libSQL is a write transaction
 * (BEGIN IMMEDIATE). Running them one after another inside the process costs no throughput, and it
 * avoids two failure modes under load: busy-waiting on the file lock, and libSQL's pool rejecting a
 * transaction outright when all its connections are held by open ones (TRANSACTION_ACTIVE).
 * Other instances still queue on the lock through the busy timeout.
 * Never call `db.transaction` from inside a transaction callback — use the `tx` handle.
 */
function serialiseTransactions(db: Db): void {
  const run = db.transaction.bind(db);
  let tail: Promise<unknown> = Promise.resolve();
  db.transaction = ((fn, config) => {
    const next = tail.then(() => run(fn, config));
    tail = next.catch(() => undefined);
    return next;
  }) as Db['transaction'];
}

/** Applies committed migrations from db/migrations (idempotent). */
export async function migrateDb(db: Db, migrationsFolder: string): Promise<void> {
  await migrate(db, { migrationsFolder });
}

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the handle or an open transaction: domain writes accept both. */
export type DbOrTx = Db | Tx;
