// @ts-check
/**
 * Writes each shoppable block's id into a post while it is compiled (docs/decisions/0014-card-ids.md):
 * a Vite transform that runs on src/content/posts/*.mdx before @astrojs/mdx compiles them, using the
 * one card scanner (src/server/content/product-refs.ts). Listed before mdx() in astro.config.mjs.
 */
// The scanner's own file, not the content face: this runs in Astro's config loader, before the app.
import { assignCardIds } from '../server/content/product-refs.ts';

const POSTS = /\/src\/content\/posts\/[^/]+\.mdx$/;

/** @returns {import('astro').AstroIntegration} */
export default function cardIds() {
  return {
    name: 'lookbook-card-ids',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'lookbook-card-ids',
                enforce: 'pre',
                transform(code, id) {
                  const file = id.split('?')[0] ?? id;
                  if (!POSTS.test(file)) return null;
                  return { code: assignCardIds(code), map: null };
                },
              },
            ],
          },
        });
      },
    },
  };
}
