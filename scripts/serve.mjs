// Production server: the built Astro app (@astrojs/node standalone handler) behind a node:http
// server that first offers each request to the render cache (ADR 0003). Reads HOST and PORT.
import http from 'node:http';

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import('../dist/server/entry.mjs');
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
server.listen(port, host, () => console.log(`Lookbook listening on http://${host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
