/**
 * `npm run content:check` — lists every card in src/content/posts that points at a product that
 * does not exist, is inactive or has no active variants (file:line and product); exits 1 if any.
 * Studio posts are checked too, as readers see them now (each live revision's cards, also for a
 * chosen variant that no longer exists), listed as `studio/@creator/slug:line` in the same style.
 * Checks against the database in DATABASE_URL (run `npm run db:setup` first on a fresh clone).
 * `--dir <folder>` checks another folder of .mdx files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { openDb } from '../src/server/db.ts';
import { getProductsBySlug, listCatalogEntries } from '../src/server/catalog/index.ts';
import { checkContentRefs, checkStudioRefs, readerStudioPosts } from '../src/server/content/index.ts';
import { loadScriptEnv } from './env.ts';

const env = loadScriptEnv();
const dirFlag = process.argv.indexOf('--dir');
const dir = resolve(dirFlag > 0 && process.argv[dirFlag + 1] ? process.argv[dirFlag + 1]! : 'src/content/posts');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mdx') || f.endsWith('.md'))
  .sort()
  .map((f) => ({ path: relative(process.cwd(), join(dir, f)), text: readFileSync(join(dir, f), 'utf8') }));

const db = await openDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
let catalog;
let studio;
try {
  catalog = await listCatalogEntries(db);
  // Studio posts live in the database: check what readers see now (the live revisions).
  const live = await readerStudioPosts(db, Date.now());
  const products = await getProductsBySlug(db, live.flatMap((p) => p.refs.map((r) => r.slug)));
  studio = { count: live.length, problems: checkStudioRefs(live.map((p) => ({ path: `studio/@${p.creator}/${p.slug}`, refs: p.refs })), products) };
} catch (err) {
  console.error(`content:check could not read the catalog at ${env.DATABASE_URL} — run \`npm run db:setup\` first.\n${String(err)}`);
  process.exit(2);
}
db.$client.close();

const problems = [...checkContentRefs(files, catalog), ...studio.problems];
const posts = `${files.length} posts${studio.count ? ` and ${studio.count} studio post${studio.count === 1 ? '' : 's'}` : ''}`;
for (const p of problems) console.log(`${p.path}:${p.line}  ${p.product || '(none)'}  ${p.message}`);
if (problems.length) {
  console.log(`\n${problems.length} broken product reference${problems.length === 1 ? '' : 's'} in ${posts}`);
  process.exit(1);
}
console.log(`content:check: ${posts}, every product reference is live`);
