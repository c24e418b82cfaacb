/**
 * The database handle's types, derived from the schema. They live beside the schema so that
 * db/ (schema, migrations, factories) needs nothing from src/; src/server/db.ts opens the handle.
 */
import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type * as schema from './schema/index.ts';

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
