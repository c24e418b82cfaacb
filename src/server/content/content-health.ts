/**
 * Content health (docs/decisions/0042-content-health.md): which cards of a post need the creator's
 * attention now that the catalog has moved on since they published — the product is gone, off
 * sale, sold out, the chosen size or colour is sold out or no longer sold, or the price changed.
 *
 * Pure: takes a post's cards (a live revision's refs, with each card's price at publish, or a
 * draft's cards, which have none) and the catalog's current products, and says what is wrong with
 * each card in the creator's words. Money is shown in the shop's money (a formatter is passed in),
 * never in minor units.
 */
import { defaultVariant, variantLabel, type ProductView } from '../catalog/index.ts';

/** A card as health checks it. `priceCents` is the price at publish (null: unknown, a draft). */
export interface HealthCard {
  card: number;
  slug: string;
  variant?: string | undefined;
  component: 'ProductCard' | 'ShopTheLook';
  priceCents?: number | null | undefined;
}

export type CardProblemKind = 'unknown' | 'inactive' | 'sold_out' | 'variant_sold_out' | 'variant_gone' | 'repriced';

export interface CardProblem {
  kind: CardProblemKind;
  message: string;
  /** For 'repriced': the price then and now. */
  wasCents?: number;
  nowCents?: number;
}

export interface CardHealth {
  card: number;
  slug: string;
  variant?: string | undefined;
  component: HealthCard['component'];
  /** The product's name, when the shop still has it. */
  name: string | null;
  problems: CardProblem[];
}

/** The problems that mean a reader cannot buy from the card (vs. a changed price, which they can). */
export const BLOCKING_PROBLEMS: ReadonlySet<CardProblemKind> = new Set(['unknown', 'inactive', 'sold_out', 'variant_gone']);

/**
 * What is wrong with one card now, in people's words; an empty list when nothing is.
 * @example cardProblems({ card: 0, slug: 'linen-shirt', component: 'ProductCard', priceCents: 4200 }, shirtAt4800, fmt.money)
 *   // [{ kind: 'repriced', message: 'Now $48.00, was $42.00 when you published.', … }]
 */
export function cardProblems(card: HealthCard, product: ProductView | undefined, money: (minor: number) => string): CardProblem[] {
  if (!product) {
    return [{ kind: 'unknown', message: `The product this card showed (“${card.slug}”) is no longer in the shop, so readers see “no longer available”.` }];
  }
  const name = product.name;
  if (!product.active) return [{ kind: 'inactive', message: `The ${name} is no longer sold — the shop took it off sale.` }];
  const inStock = product.variants.filter((v) => v.available > 0);
  if (inStock.length === 0) return [{ kind: 'sold_out', message: `The ${name} is sold out${product.variants.length > 1 ? ' in every option' : ''}.` }];
  const out: CardProblem[] = [];
  if (card.variant) {
    const chosen = product.variants.find((v) => v.sku === card.variant);
    if (!chosen) out.push({ kind: 'variant_gone', message: `The option of the ${name} you chose is no longer sold; the card shows another one.` });
    else if (chosen.available <= 0) out.push({ kind: 'variant_sold_out', message: `The ${name} ${optionWords(chosen)} is sold out; the card offers the options still in stock.` });
  }
  // The price compared is the one the card shows (as at publish: the chosen option if it can be
  // bought, else the first that can).
  const shown = defaultVariant(product.variants, card.variant);
  if (card.priceCents !== null && card.priceCents !== undefined && shown && shown.priceCents !== card.priceCents) {
    out.push({ kind: 'repriced', message: `Now ${money(shown.priceCents)}, was ${money(card.priceCents)} when you published.`, wasCents: card.priceCents, nowCents: shown.priceCents });
  }
  return out;
}

/** "in size M", "in Sand", "in Sand, size M". */
function optionWords(v: Pick<ProductView['variants'][number], 'size' | 'colour'>): string {
  if (v.size && v.colour) return `in ${v.colour}, size ${v.size}`;
  if (v.size) return `in size ${v.size}`;
  if (v.colour) return `in ${v.colour}`;
  return `(${variantLabel(v)})`;
}

/** Every card of a post with its problems, in the post's order. */
export function postCardHealth(cards: readonly HealthCard[], products: ReadonlyMap<string, ProductView>, money: (minor: number) => string): CardHealth[] {
  return cards.map((c) => {
    const p = products.get(c.slug);
    return { card: c.card, slug: c.slug, ...(c.variant ? { variant: c.variant } : {}), component: c.component, name: p?.name ?? null, problems: cardProblems(c, p, money) };
  });
}

/** The cards that need attention (at least one problem). */
export function flaggedCards(health: readonly CardHealth[]): CardHealth[] {
  return health.filter((h) => h.problems.length > 0);
}

/**
 * "3 cards need attention" / "1 card needs attention".
 * @example attentionLabel(1) // '1 card needs attention'
 */
export function attentionLabel(n: number): string {
  return n === 1 ? '1 card needs attention' : `${n} cards need attention`;
}

/** A studio post's live cards as content:check reports them (same shape as file posts' problems). */
export interface StudioRefProblem {
  path: string;
  line: number;
  product: string;
  problem: 'unknown_product' | 'inactive_product' | 'no_active_variants' | 'unknown_variant';
  message: string;
}

/**
 * content:check for studio posts: each live card must point at a product that exists, is sold
 * and has active variants, and a chosen variant must still exist. (Sold out and repriced are not
 * broken references — they change by the hour — the studio's content health shows them.)
 */
export function checkStudioRefs(
  posts: readonly { path: string; refs: readonly { slug: string; variant?: string | undefined; line?: number }[] }[],
  products: ReadonlyMap<string, Pick<ProductView, 'active' | 'variants'>>,
): StudioRefProblem[] {
  const out: StudioRefProblem[] = [];
  for (const post of posts) {
    for (const ref of post.refs) {
      const at = { path: post.path, line: ref.line ?? 1, product: ref.slug };
      const p = products.get(ref.slug);
      if (!p) out.push({ ...at, problem: 'unknown_product', message: `no product "${ref.slug}" in the catalog` });
      else if (!p.active) out.push({ ...at, problem: 'inactive_product', message: `product "${ref.slug}" is inactive` });
      else if (p.variants.length === 0) out.push({ ...at, problem: 'no_active_variants', message: `product "${ref.slug}" has no active variants` });
      else if (ref.variant && !p.variants.some((v) => v.sku === ref.variant)) out.push({ ...at, problem: 'unknown_variant', message: `variant "${ref.variant}" of product "${ref.slug}" does not exist or is inactive` });
    }
  }
  return out;
}
