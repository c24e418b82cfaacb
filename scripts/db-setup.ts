/**
 * `npm run db:setup` — apply committed migrations, then seed the demo shop if the database is empty.
 * `--reset` deletes a local database file first (never a remote one).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { migrateDb, openDb } from '../src/server/db.ts';
import { isEmpty, seedDemo } from './seed/seed.ts';
import { demoPostsFromContent, seedDemoActivity } from './seed/demo-activity.ts';
import { seedDemoReviews } from './seed/demo-reviews.ts';
import { seedDemoSales } from './seed/demo-sales.ts';
import { PRODUCTS } from './seed/catalog-data.ts';
import { extractProductRefs } from '../src/server/content/index.ts';
import { splitFrontMatter } from '../src/server/content/index.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { loadScriptEnv } from './env.ts';
import { scriptApp } from './lib/app.ts';

const env = loadScriptEnv();
const reset = process.argv.includes('--reset');

if (env.DATABASE_URL.startsWith('file:')) {
  const file = resolve(env.DATABASE_URL.slice('file:'.length));
  mkdirSync(dirname(file), { recursive: true });
  if (reset) for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) rmSync(file + suffix);
} else if (reset) {
  console.error('--reset only works on a local file: database');
  process.exit(1);
}

const db = await openDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
await migrateDb(db, resolve(import.meta.dirname, '../db/migrations'));
console.log(`migrated ${env.DATABASE_URL}`);
if (await isEmpty(db)) {
  const n = await seedDemo(db);
  console.log(`seeded demo shop: ${n.products} products, ${n.creators} creators, ${n.users} users`);
  if (!process.argv.includes('--no-activity')) {
    const a = await seedDemoActivity(scriptApp(db, env), demoPosts());
    console.log(`seeded demo activity: ${a.orders} paid orders, ${a.clicks} referral clicks`);
    const r = await seedDemoReviews(scriptApp(db, env));
    console.log(`seeded demo buyer shows: ${r.reviews} approved reviews of delivered orders`);
    const s = await seedDemoSales(scriptApp(db, env));
    console.log(`seeded demo sales: ${s.sales} (a live flash sale, one starting in two hours, a markdown) and ${s.presales} pre-order`);
  }
} else {
  console.log('database has products: seed skipped');
}
db.$client.close();

/** Posts from src/content/posts with, per card, a well-stocked SKU of its product. */
function demoPosts() {
  const dir = resolve(import.meta.dirname, '../src/content/posts');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.mdx'))
    .sort()
    .map((f) => ({ slug: f.replace(/\.mdx$/, ''), text: readFileSync(resolve(dir, f), 'utf8') }));
  const skuFor = (slug: string) => PRODUCTS.find((p) => p.slug === slug && p.active !== false)?.variants.find((v) => v.stock >= 6)?.sku;
  return demoPostsFromContent(files, skuFor, (text) => extractProductRefs(splitFrontMatter(text).body));
}
