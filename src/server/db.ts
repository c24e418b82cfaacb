/**
 * The one way to open the database. Pages get a handle from src/lib/runtime.ts, scripts and tests
 * call `openDb` themselves; domain code in src/server/* receives the handle as an argument.
 * ADR 0002: Drizzle on libSQL — a local file in WAL mode by default, sqld/Turso through DATABASE_URL.
 */
import { createClient, type Client, type TransactionMode } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from '../../db/schema/index.ts';

import type { Db } from '../../db/types.ts';
export type { Db, DbOrTx, Tx } from '../../db/types.ts';
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
  const db = drizzle(serialiseWrites(client), { schema }) as Db;
  return db;
}

/**
 * One writer at a time inside the process (ADR 0002).
 *
 * SQLite allows one writer; libSQL waits for the file lock *synchronously* (busy timeout), which
 * blocks the whole event loop. If a write on one pooled connection waited for a transaction open on
 * another connection of the same process, that transaction could never reach COMMIT: a deadlock
 * until the timeout, then SQLITE_BUSY. So every write statement, batch and transaction (all
 * Drizzle transactions on libSQL are BEGIN IMMEDIATE) takes an in-process lock first; reads never
 * wait (WAL). It also keeps libSQL's pool from rejecting a transaction when all its connections are
 * held (TRANSACTION_ACTIVE). Other processes still queue on the file lock through the busy timeout.
 *
 * Never write through `db` inside a transaction callback — use the `tx` handle; the outer
 * transaction holds the lock.
 */
export function serialiseWrites(client: Client): Client {
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const ready = tail.then(() => release);
    tail = tail.then(() => held);
    return ready;
  };
  const locked = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        const execute = target.execute.bind(target) as (...a: unknown[]) => ReturnType<Client['execute']>;
        return (...a: unknown[]) => (isWrite(a[0]) ? locked(() => execute(...a)) : execute(...a));
      }
      if (prop === 'batch' || prop === 'migrate' || prop === 'executeMultiple') {
        const fn = Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>;
        return (...a: unknown[]) => locked(() => fn.apply(target, a));
      }
      if (prop === 'transaction') {
        return async (mode?: TransactionMode) => {
          const release = await acquire();
          let done = false;
          const finish = () => {
            if (!done) {
              done = true;
              release();
            }
          };
          let tx: Awaited<ReturnType<Client['transaction']>>;
          try {
            tx = await target.transaction(mode);
          } catch (err) {
            finish();
            throw err;
          }
          return new Proxy(tx, {
            get(t, p, r) {
              const v = Reflect.get(t, p, r) as unknown;
              if (p === 'commit' || p === 'rollback') return async () => {
                try {
                  return await (v as () => Promise<void>).call(t);
                } finally {
                  finish();
                }
              };
              if (p === 'close') return () => {
                try {
                  return (v as () => void).call(t);
                } finally {
                  finish();
                }
              };
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
            },
          });
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const WRITE = /^\s*(?:--[^\n]*\n\s*)*(insert|update|delete|replace|create|drop|alter|begin|commit|rollback|savepoint|release|vacuum|reindex|analyze|with)\b/i;
function isWrite(stmt: unknown): boolean {
  const text = typeof stmt === 'string' ? stmt : (stmt as { sql?: string } | null)?.sql ?? '';
  // PRAGMA reads are common (journal_mode), PRAGMA writes rare; treat "with" CTEs as writes to be safe.
  return WRITE.test(text);
}

/** Applies committed migrations from db/migrations (idempotent). */
export async function migrateDb(db: Db, migrationsFolder: string): Promise<void> {
  await migrate(db, { migrationsFolder });
}

/** Either the handle or an open transaction: domain writes accept both. */
