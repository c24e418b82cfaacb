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
}

/**
 * The block's position when the compiled id (`card={N}`, docs/decisions/0014-card-ids.md) names a
 * ref of this post showing this product; otherwise none, and the card sells without post credit.
 * @example cardPosition(ctx, 2, 'linen-shirt') // 2
 */
export function cardPosition(ctx: CardContext | undefined, card: number | undefined, slug: string): number | undefined {
  if (!ctx || card === undefined || !Number.isInteger(card)) return undefined;
  return ctx.refs.some((r) => r.position === card && r.slug === slug) ? card : undefined;
}
