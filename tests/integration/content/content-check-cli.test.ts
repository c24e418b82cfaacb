/** `npm run content:check` against a real migrated database and a folder of posts. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDb, openDb, type Db } from '../../../src/server/db.ts';
import { makeProduct } from '../../../db/factories/factories.ts';
import { MIGRATIONS } from '../../helpers/db.ts';

const ROOT = join(import.meta.dirname, '../../..');
let db: Db;
let url: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookbook-cc-'));
  url = `file:${join(dir, 'cc.db')}`;
  db = await openDb({ url });
  await migrateDb(db, MIGRATIONS);
  await makeProduct(db, { slug: 'live-tee' });
  await makeProduct(db, { slug: 'retired-coat', active: false });
});
afterAll(() => db.$client.close());

function run(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'lookbook-posts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/content-check.ts'), '--dir', dir], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('content:check', () => {
  it('passes when every card points at a live product', () => {
    const r = run({ 'ok.mdx': '---\ntitle: x\n---\n\n<ProductCard product="live-tee" />\n' });
    expect(r.out).toContain('every product reference is live');
    expect(r.status).toBe(0);
  });
  it('lists each broken reference with file, line and product, and exits non-zero', () => {
    const r = run({
      'a.mdx': '---\ntitle: x\n---\n\nText.\n\n<ProductCard product="retired-coat" />\n',
      'b.mdx': '<ShopTheLook products={["live-tee", "ghost"]} />\n',
    });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/a\.mdx:7\s+retired-coat\s+product "retired-coat" is inactive/);
    expect(r.out).toMatch(/b\.mdx:1\s+ghost\s+no product "ghost" in the catalog/);
    expect(r.out).toContain('2 broken product references');
  });
});
