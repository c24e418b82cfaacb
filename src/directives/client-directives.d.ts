import 'astro';

declare module 'astro' {
  interface AstroClientDirectives {
    /** Hydrate when the reader first adds to or opens the bag (src/directives/bag.ts). */
    'client:bag'?: boolean;
  }
}
