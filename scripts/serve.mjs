// Production server: the built Astro app (@astrojs/node standalone handler) behind a node:http
// server that first offers each request to the render cache (ADR 0003). Reads HOST and PORT, and
// LOOKBOOK_DIST (the build directory, default ./dist) so tests can serve a build of their own.
import http from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const dist = resolve(process.env.LOOKBOOK_DIST ?? new URL('../dist', import.meta.url).pathname);
const { handler } = await import(pathToFileURL(resolve(dist, 'server/entry.mjs')).href);
const FAST = Symbol.for('lookbook.serveCachedPage');

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4321);

const server = http.createServer((req, res) => {
  const serveCached = globalThis[FAST];
  if (!serveCached) return handler(req, res);
  serveCached(req, res).then(
    (served) => {
      if (!served) handler(req, res);
    },
    (err) => {
      console.error('render cache failed; rendering instead', err);
      if (!res.headersSent) handler(req, res);
    },
  );
});
server.listen(port, host, async () => {
  // Fail fast: load the app and validate its configuration before taking traffic.
  try {
    const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`);
    if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
  } catch (err) {
    console.error(`Lookbook could not start: ${err instanceof Error ? err.message : err} (the error above names the setting).`);
    process.exit(1);
  }
  console.log(`Lookbook listening on http://${host}:${port}`);
});

// Sweepers only tidy up (docs/architecture.md, rule 8): lapsed pending orders, late refunds, mail, sessions.
// The app registers them when its middleware first loads; every instance may run them.
const SWEEP = Symbol.for('lookbook.sweep');
const SWEEP_MS = Number(process.env.SWEEP_INTERVAL_MS ?? 60_000);
if (SWEEP_MS > 0) {
  const timer = setInterval(() => {
    const run = globalThis[SWEEP];
    if (typeof run === 'function') run().catch((err) => console.error('sweep failed', err));
  }, SWEEP_MS);
  timer.unref();
}
// On shutdown, stop taking requests and write the clicks and card events still queued in memory.
const FLUSH = Symbol.for('lookbook.flushQueuedWrites');
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    const flush = globalThis[FLUSH];
    Promise.resolve(typeof flush === 'function' ? flush() : undefined)
      .catch((err) => console.error('could not write queued clicks on shutdown', err))
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
