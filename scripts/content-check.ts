/**
 * `npm run content:check` — lists every card in src/content/posts that points at a product that
 * does not exist, is inactive or has no active variants (file:line and product); exits 1 if any.
 * Checks against the database in DATABASE_URL (run `npm run db:setup` first on a fresh clone).
 * `--dir <folder>` checks another folder of .mdx files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { openDb } from '../src/server/db.ts';
import { listCatalogEntries } from '../src/server/catalog/index.ts';
import { checkContentRefs } from '../src/server/content/index.ts';
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
try {
  catalog = await listCatalogEntries(db);
} catch (err) {
  console.error(`content:check could not read the catalog at ${env.DATABASE_URL} — run \`npm run db:setup\` first.\n${String(err)}`);
  process.exit(2);
}
db.$client.close();

const problems = checkContentRefs(files, catalog);
for (const p of problems) console.log(`${p.path}:${p.line}  ${p.product || '(none)'}  ${p.message}`);
if (problems.length) {
  console.log(`\n${problems.length} broken product reference${problems.length === 1 ? '' : 's'} in ${files.length} posts`);
  process.exit(1);
}
console.log(`content:check: ${files.length} posts, every product reference is live`);
