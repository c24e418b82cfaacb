/** The test database helper leaves nothing behind: the temp directory goes once a test file is done. */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestDbWithUrl, removeTestDbs } from '../helpers/db.ts';

describe('createTestDb', () => {
  it('gives a migrated database whose directory removeTestDbs (run after every file) deletes', async () => {
    const { db, url } = await createTestDbWithUrl();
    const file = fileURLToPath(url.replace(/^file:/, 'file://'));
    const tables = await db.$client.execute("select count(*) as n from sqlite_master where type = 'table' and name = 'orders'");
    expect(tables.rows[0]?.n).toBe(1);
    expect(existsSync(dirname(file))).toBe(true);

    removeTestDbs();

    expect(existsSync(dirname(file))).toBe(false);
  });
});
