/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    user: import('./server/auth/index.ts').SessionUser | null;
    session: import('./server/auth/index.ts').SessionInfo | null;
    /** Products preloaded (one query) for the MDX cards of the page being rendered. */
    cards?: import('./lib/cards.ts').CardContext;
    /** Set by a page whose HTML is the same for every anonymous reader (ADR 0003). */
    renderCache?: { cacheable: boolean; validUntil?: number };
  }
}

