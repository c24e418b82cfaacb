// @ts-check
/** Registers the `client:bag` directive (src/directives/bag.ts). */
/** @returns {import('astro').AstroIntegration} */
export default function lookbookDirectives() {
  return {
    name: 'lookbook-directives',
    hooks: {
      'astro:config:setup': ({ addClientDirective }) => {
        addClientDirective({ name: 'bag', entrypoint: new URL('./bag.ts', import.meta.url).pathname });
      },
    },
  };
}
