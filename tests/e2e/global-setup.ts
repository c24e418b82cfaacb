/**
 * Global setup of the `e2e` vitest project: build the site once, start the built server
 * (NODE_ENV=production, 127.0.0.1, free port) on a fresh migrated + seeded database, and hand its
 * address to the specs — `inject('baseURL')` in a spec, or just use `newPage()` from ./helpers/browser.ts.
 *
 * The build goes to tests/.tmp/e2e-dist (not dist/) so an e2e run never clobbers, or is clobbered by,
 * a `npm run build` someone runs at the same time.
 *
 * Knobs: E2E_NO_BUILD=1 reuses the last e2e build; E2E_DIST_DIR=<dir> builds (or reuses) there; LOOKBOOK_SERVER_LOG=1 echoes the server's log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSite, ROOT, startBuiltServer } from '../../scripts/lib/serve-built.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The e2e server, e.g. `http://127.0.0.1:43123` (no trailing slash). */
    baseURL: string;
    /** The `file:` database the e2e server uses (already migrated and seeded). */
    databaseUrl: string;
    /** The build the e2e server runs (for specs that start a second instance of it). */
    distDir: string;
  }
}

// E2E_DIST_DIR puts the build elsewhere (two e2e runs side by side must not share one).
const E2E_DIST = process.env.E2E_DIST_DIR || 'tests/.tmp/e2e-dist';

export default async function setup(project: TestProject) {
  const reuse = process.env.E2E_NO_BUILD === '1' && existsSync(join(ROOT, E2E_DIST, 'server/entry.mjs'));
  if (!reuse) await buildSite({ outDir: E2E_DIST, verbose: false });
  const server = await startBuiltServer({ distDir: E2E_DIST });
  project.provide('baseURL', server.baseURL);
  project.provide('databaseUrl', server.databaseUrl);
  project.provide('distDir', E2E_DIST);
  return async () => {
    await server.stop();
  };
}
