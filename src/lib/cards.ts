/**
 * The per-request context the MDX card components read: the products of every card on the page,
 * loaded in one query by the page before it renders the post body.
 */
import type { ProductView } from '../server/catalog/index.ts';
import type { ProductRef } from '../server/content/index.ts';

export interface CardContext {
  postSlug: string;
  refs: ProductRef[];
  products: Map<string, ProductView>;
  /** Positions already claimed by rendered cards (a product can appear twice in one post). */
  claimed: Set<number>;
}

/**
 * The position of the next card for `slug`: the first unclaimed ref with that slug.
 * Positions identify a card within a post (the Buy and Credit issues record them on cart lines).
 */
export function claimPosition(ctx: CardContext | undefined, slug: string, component: ProductRef['component']): number | undefined {
  if (!ctx) return undefined;
  const ref = ctx.refs.find((r) => r.slug === slug && r.component === component && !ctx.claimed.has(r.position));
  if (!ref) return undefined;
  ctx.claimed.add(ref.position);
  return ref.position;
}
