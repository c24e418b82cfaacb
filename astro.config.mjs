// @ts-check
import { defineConfig, envField } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import mdx from '@astrojs/mdx';
import lookbookDirectives from './src/directives/integration.mjs';
import cardIds from './src/lib/card-ids-integration.mjs';
import { astroEnvSchema } from './src/server/shared/config.ts';
import { CSP_DIRECTIVES } from './src/lib/security-headers.mjs';

const site = process.env.SITE_URL ?? 'http://127.0.0.1:4321';

// https://docs.astro.build/en/reference/configuration-reference/
export default defineConfig({
  site,
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  // cardIds() must come before mdx(): it writes each card's id into the post's MDX source.
  integrations: [react(), cardIds(), mdx(), lookbookDirectives()],
  server: { host: '127.0.0.1', port: 4321 },
  security: {
    checkOrigin: true,
    // Content-Security-Policy on every page (ADR 0023): Astro hashes the page's own inline scripts
    // and styles into script-src/style-src; nothing else inline runs. Style attributes (the
    // product swatches' colour, the emails shown in the dev mailbox) are allowed: CSS, not script.
    csp: {
      directives: CSP_DIRECTIVES,
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
  // The site has no astro:assets transforms; /_image answers 404 (src/lib/no-image-endpoint.ts).
  image: { endpoint: { route: '/_image', entrypoint: './src/lib/no-image-endpoint.ts' } },
  trailingSlash: 'ignore',
  build: { inlineStylesheets: 'auto' },
  prefetch: false,
  devToolbar: { enabled: false },
  env: {
    // Every variable the app reads is declared here and read through astro:env/server only
    // (docs/architecture.md, rule 7). `secret` access = read at run time, never inlined into a bundle.
    validateSecrets: true,
    // The one list of variables and their rules: src/server/shared/config.ts (ADR 0013).
    schema: astroEnvSchema(envField),
  },
});
