/**
 * Two app instances — separate processes with their own database handles on one file, as in
 * production behind a load balancer — racing for the same units never oversell.
 * (Two handles inside ONE process would block each other: libSQL waits on the file lock
 * synchronously. The app therefore opens exactly one handle per process, src/lib/runtime.ts.)
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../src/server/db.ts';
import { createTestDbWithUrl } from '../../helpers/db.ts';
import { makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import { fillBag } from '../../helpers/checkout.ts';
import { variants } from '../../../db/schema/index.ts';
import { getProductsBySlug } from '../../../src/server/catalog/index.ts';

const ROOT = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
let db: Db;
let url: string;
beforeAll(async () => {
  ({ db, url } = await createTestDbWithUrl());
  await makeProduct(db, { slug: 'drop', variants: [makeVariant({ sku: 'DROP', stock: 7 })] });
});
afterAll(() => db.$client.close());

it('40 checkouts from two instances for 7 units: exactly 7 reserve', async () => {
  const now = Date.now();
  const bags = [];
  for (let i = 0; i < 40; i++) bags.push(await fillBag(db, [{ sku: 'DROP', qty: 1 }], now));
  const worker = (carts: string[]) =>
    run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'tests/helpers/checkout-worker.ts'), url, ...carts], {
      cwd: ROOT,
      env: { ...process.env, NOW: String(now) },
      timeout: 60_000,
    }).then((r) => JSON.parse(r.stdout) as boolean[]);
  const [a, b] = await Promise.all([worker(bags.slice(0, 20)), worker(bags.slice(20))]);
  expect([...a, ...b].filter(Boolean)).toHaveLength(7);
  expect((await getProductsBySlug(db, ['drop'], now)).get('drop')?.variants[0]?.available).toBe(0);
  expect((await db.select({ n: variants.stockOnHand }).from(variants).where(eq(variants.sku, 'DROP')).get())?.n).toBe(7);
}, 90_000);
