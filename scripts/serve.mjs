// Production server: the built Astro app (@astrojs/node standalone handler) behind a node:http
// server that first offers each request to the render cache (ADR 0003). Reads HOST and PORT, and
// LOOKBOOK_DIST (the build directory, default ./dist) so tests can serve a build of their own.
import http from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/server/shared/config.ts';
import { securityHeaders } from '../src/lib/security-headers.mjs';

// HOST, PORT and SWEEP_INTERVAL_MS follow the same rules as every other variable
// (src/server/shared/config.ts): a bad value stops the server with its name, never a silent default.
const checked = loadConfig(process.env);
if (!checked.ok) {
  console.error(`Lookbook could not start: invalid environment\n${checked.errors.map((e) => `  ${e}`).join('\n')}`);
  process.exit(1);
}
const config = checked.values;
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const dist = resolve(process.env.LOOKBOOK_DIST ?? new URL('../dist', import.meta.url).pathname);
const { handler } = await import(pathToFileURL(resolve(dist, 'server/entry.mjs')).href);
const FAST = Symbol.for('lookbook.serveCachedPage');
// Share cards have a door of their own (src/lib/share.ts, ADR 0054): a memoised card is written
// before Astro, with its Cache-Control computed at the moment it is sent.
const SHARE_CARD = Symbol.for('lookbook.serveShareCard');

const host = config.HOST;
const port = config.PORT;

// Security headers on every response, set before anyone writes (ADR 0023): static files and
// render-cache hits are answered here without Astro's middleware. Pages replace the fallback
// Content-Security-Policy with their own (hashes of their inline scripts and styles).
const SECURITY_HEADERS = securityHeaders({ secure: config.SECURE_COOKIES });

const server = http.createServer((req, res) => {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  const serveCard = globalThis[SHARE_CARD];
  if (serveCard && req.url?.startsWith('/og/')) {
    return void serveCard(req, res).then(
      (served) => {
        if (!served) handler(req, res);
      },
      (err) => {
        console.error('share card door failed; rendering instead', err);
        if (!res.headersSent) handler(req, res);
      },
    );
  }
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
const SWEEP_MS = config.SWEEP_INTERVAL_MS;
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
