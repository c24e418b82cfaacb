/**
 * Content health workflows (docs/decisions/0042-content-health.md): which cards of a creator's
 * posts need attention now that the catalog has changed since they published (out of stock, off
 * sale, gone, the chosen option sold out, repriced), replacement suggestions for each, and the
 * one-click swap.
 *
 * Ownership as in the studio (flows/studio.ts): a creator sees and swaps only their own posts, an
 * admin every post, and someone else's post answers like a missing one. A swap goes through the
 * studio's own save (`saveStudioDraft`, so the allow-list and every draft rule run again); when the
 * post is live and its draft holds nothing unpublished, the swap is published at once as a new
 * revision so readers see it on their next request. A refused swap writes nothing.
 */
import type { SessionUser } from '../auth/index.ts';
import { findReplacements, getProductsBySlug, defaultVariant, type ProductView, type ReplacementTarget } from '../catalog/index.ts';
import {
  BLOCKING_PROBLEMS,
  draftCards,
  draftFieldsOf,
  flaggedCards,
  getRevision,
  healthPosts,
  postCardHealth,
  readerRevision,
  settled,
  swapCardInSource,
  type CardProblem,
  type HealthCard,
  type HealthPostRow,
  type StudioPostRow,
} from '../content/index.ts';
import { refuse, type Result } from '../shared/index.ts';
import type { App } from './app.ts';
import { canEditPost, loadOwnedPost, publishStudioPost, saveStudioDraft, type StudioRefusal } from './studio.ts';

export interface HealthSuggestion {
  slug: string;
  name: string;
  brandName: string;
  categoryName: string;
  imagePath: string;
  /** The in-stock price nearest the card's, in the shop's money. */
  price: string;
  sameBrand: boolean;
  sameCategory: boolean;
}

export interface CardAttention {
  card: number;
  component: HealthCard['component'];
  slug: string;
  /** The product's name (null: the shop no longer has it). */
  name: string | null;
  problems: CardProblem[];
  /** A reader cannot buy from this card as it is (gone, off sale, sold out, option gone). */
  blocking: boolean;
  suggestions: HealthSuggestion[];
  /** The draft still has this card on this product, so it can be swapped. */
  inDraft: boolean;
  /** The draft already points this card at another product (publish to show readers). */
  changedInDraft: string | null;
}

export interface PostHealth {
  postId: number;
  /** Whose cards were checked: what readers see now, or (never published / offline) the draft. */
  source: 'live' | 'draft';
  checkedCards: number;
  flagged: CardAttention[];
  /** What a swap form must send back. */
  draftVersion: number;
  /** A swap is published at once: the post is live and the draft has no unpublished changes. */
  swapPublishes: boolean;
}

/** Does the draft hold exactly what readers see (nothing unpublished, nothing scheduled)? */
async function draftIsLive(app: App, post: StudioPostRow, now: number): Promise<boolean> {
  const state = settled(post, now);
  const live = readerRevision(state, now);
  if (!live || state.scheduledRevisionId !== null) return false;
  const rev = await getRevision(app.db, post.id, live.revisionId);
  if (!rev) return false;
  return (
    rev.body === post.body &&
    rev.title === post.title &&
    rev.slug === post.slug &&
    rev.summary === post.summary &&
    rev.kind === post.kind &&
    rev.tagsJson === post.tagsJson &&
    rev.heroMediaId === post.heroMediaId &&
    rev.heroAlt === post.heroAlt
  );
}

/** The cards health checks for one post: readers' (live) or, when it is not live, the draft's. */
function cardsOf(row: Pick<HealthPostRow, 'body' | 'live'>): { source: 'live' | 'draft'; cards: HealthCard[] } {
  if (row.live) {
    return { source: 'live', cards: row.live.refs.map((r) => ({ card: r.position, slug: r.slug, variant: r.variant, component: r.component, priceCents: r.priceCents })) };
  }
  return { source: 'draft', cards: draftCards(row.body).map((c) => ({ card: c.card, slug: c.slug, variant: c.variant, component: c.component, priceCents: null })) };
}

/** The content health of one post, with replacement suggestions for every flagged card. */
export async function postHealth(app: App, user: SessionUser, postId: number, { now = Date.now() }: { now?: number } = {}): Promise<Result<{ health: PostHealth }, 'not_found'>> {
  const owned = await loadOwnedPost(app, user, postId);
  if (!owned.ok) return owned;
  const post = owned.post;
  const [row] = await healthPosts(app.db, { creatorId: post.creatorId, postIds: [post.id], now });
  const { source, cards } = cardsOf(row ?? { body: post.body, live: null });
  const allSlugs = [...new Set(cards.map((c) => c.slug))];
  const products = await getProductsBySlug(app.db, allSlugs, now);
  const flagged = flaggedCards(postCardHealth(cards, products, app.fmt.money));

  const targets: ReplacementTarget[] = [];
  for (const f of flagged) {
    const p = products.get(f.slug);
    const card = cards.find((c) => c.card === f.card);
    const price = card?.priceCents ?? (p ? defaultVariant(p.variants, card?.variant)?.priceCents : undefined);
    if (p && price !== undefined && price !== null) targets.push({ slug: p.slug, brandSlug: p.brand.slug, categorySlug: p.category.slug, priceCents: price });
  }
  const replacements = await findReplacements(app.db, targets, { exclude: allSlugs, now });
  const inDraft = new Map(draftCards(post.body).map((c) => [c.card, c.slug]));

  return {
    ok: true,
    health: {
      postId: post.id,
      source,
      checkedCards: cards.length,
      draftVersion: post.draftVersion,
      swapPublishes: await draftIsLive(app, post, now),
      flagged: flagged.map((f) => {
        const draftSlug = inDraft.get(f.card);
        return {
          card: f.card,
          component: f.component,
          slug: f.slug,
          name: f.name,
          problems: f.problems,
          blocking: f.problems.some((p) => BLOCKING_PROBLEMS.has(p.kind)),
          suggestions: (replacements.get(f.slug) ?? []).map((r) => suggestion(r.product, r.priceCents, r.sameBrand, r.sameCategory, app)),
          inDraft: draftSlug === f.slug,
          changedInDraft: draftSlug !== undefined && draftSlug !== f.slug ? draftSlug : null,
        };
      }),
    },
  };
}

function suggestion(p: ProductView, priceCents: number, sameBrand: boolean, sameCategory: boolean, app: App): HealthSuggestion {
  return { slug: p.slug, name: p.name, brandName: p.brand.name, categoryName: p.category.name, imagePath: p.imagePath, price: app.fmt.money(priceCents), sameBrand, sameCategory };
}

/** Cards needing attention per post, for the given rows (one product query for all of them). */
async function countFlagged(app: App, rows: readonly HealthPostRow[], now: number): Promise<Map<number, number>> {
  const perPost = rows.map((r) => ({ postId: r.postId, cards: cardsOf(r).cards }));
  const products = await getProductsBySlug(app.db, [...new Set(perPost.flatMap((p) => p.cards.map((c) => c.slug)))], now);
  return new Map(perPost.map((p) => [p.postId, flaggedCards(postCardHealth(p.cards, products, app.fmt.money)).length]));
}

/**
 * For the creator's dashboard: how many cards across their live posts need attention (what
 * readers see now; drafts are the studio's business).
 */
export async function creatorHealthCount(app: App, creatorId: number, { now = Date.now() }: { now?: number } = {}): Promise<number> {
  const rows = await healthPosts(app.db, { creatorId, liveOnly: true, now });
  let n = 0;
  for (const count of (await countFlagged(app, rows, now)).values()) n += count;
  return n;
}

/**
 * For the studio list: cards needing attention per post this user may edit (a creator's own, an
 * admin's every post), of `postIds` when given (the list's rows). Live posts are checked as
 * readers see them, others as drafted.
 */
export async function studioHealthCounts(app: App, user: SessionUser, { postIds, now = Date.now() }: { postIds?: readonly number[]; now?: number } = {}): Promise<Map<number, number>> {
  if (user.role !== 'admin' && (user.role !== 'creator' || user.creatorId === null)) return new Map();
  const rows = (await healthPosts(app.db, { creatorId: user.role === 'admin' ? null : user.creatorId, ...(postIds ? { postIds } : {}), now })).filter((r) => canEditPost(user, r));
  return countFlagged(app, rows, now);
}

export type SwapResult = Result<{ published: boolean; revision: number | null; draftVersion: number; productName: string; publishProblem: string | null; /** The post is on the site. */ live: boolean }> | StudioRefusal;

/**
 * Points card `card` of the post's draft at `product` (and `variant`, for a ProductCard); the
 * card keeps its id, so its sales history stays with it. Saved through the studio's save, then —
 * when the post is live and the draft had nothing unpublished — published as a new revision.
 * `draftVersion` is the one the page showed: a newer save since refuses the swap.
 */
export async function swapCard(
  app: App,
  user: SessionUser,
  postId: number,
  { card, product, variant, draftVersion, fileSlugs, now = Date.now() }: { card: number; product: string; variant?: string | undefined; draftVersion: number; fileSlugs: ReadonlySet<string>; now?: number },
): Promise<SwapResult> {
  const owned = await loadOwnedPost(app, user, postId);
  if (!owned.ok) return owned;
  const post = owned.post;
  if (post.draftVersion !== draftVersion) return refuse('conflict', 'The draft was saved since this page was opened (by autosave or in another window), so nothing was swapped. Reload the page and choose the swap again.');
  const target = (await getProductsBySlug(app.db, [product], now)).get(product);
  if (!target || !target.active) return refuse('invalid', 'That product is not in the shop any more — choose another suggestion.');
  if (!target.variants.some((v) => v.available > 0)) return refuse('sold_out', `The ${target.name} has just sold out — choose another suggestion.`);
  if (variant !== undefined && !target.variants.some((v) => v.sku === variant && v.available > 0)) return refuse('sold_out', `That option of the ${target.name} is not in stock — choose another.`);
  const swapped = swapCardInSource(post.body, card, { slug: target.slug, variant });
  if (!swapped.ok) {
    return swapped.reason === 'unknown_card'
      ? refuse('unknown_card', 'This card is no longer in the draft — it was removed or changed in another window. Reload the page.')
      : refuse('invalid', 'That product cannot go on this card — choose another suggestion.');
  }
  if (swapped.previous.slug === target.slug && (variant ?? null) === (swapped.previous.variant ?? null)) return refuse('not_allowed', `This card already shows the ${target.name}.`);
  const publishNow = await draftIsLive(app, post, now);
  const live = readerRevision(settled(post, now), now) !== null;
  const saved = await saveStudioDraft(app, user, postId, { fields: { ...draftFieldsOf(post), body: swapped.source }, draftVersion, fileSlugs, now });
  if (!saved.ok) return saved;
  if (!publishNow) return { ok: true, published: false, revision: null, draftVersion: saved.draftVersion, productName: target.name, publishProblem: null, live };
  const published = await publishStudioPost(app, user, postId, { fileSlugs, now });
  if (!published.ok) {
    // The swap is saved in the draft; the page says why it is not live yet.
    return { ok: true, published: false, revision: null, draftVersion: saved.draftVersion, productName: target.name, publishProblem: published.message, live };
  }
  return { ok: true, published: true, revision: published.revision, draftVersion: saved.draftVersion, productName: target.name, publishProblem: null, live };
}

/**
 * What the editor says after a swap, by the code the swap route puts in the address (a code, not
 * the text, so nobody can make the studio show words of their choosing).
 */
export const SWAP_NOTICES = {
  published: { ok: true, message: 'Swapped and published — readers see the new product on the card now. The card keeps its sales history.' },
  saved: { ok: true, message: 'Swapped in the draft. Your draft has other changes readers do not see yet, so publish it when it is ready.' },
  'saved-draft': { ok: true, message: 'Swapped in the draft.' },
  'not-published': { ok: true, message: 'Swapped in the draft, but it could not be published yet — press “Publish changes” to see what it needs.' },
  conflict: { ok: false, message: 'The draft was saved since this page was opened (by autosave or in another window), so nothing was swapped. This is the latest version: choose the swap again.' },
  sold_out: { ok: false, message: 'That product has just sold out — choose another suggestion.' },
  invalid: { ok: false, message: 'That product cannot go on this card any more — choose another suggestion.' },
  unknown_card: { ok: false, message: 'This card is no longer in the draft — it was removed or changed in another window.' },
  not_allowed: { ok: false, message: 'This card already shows that product.' },
  failed: { ok: false, message: 'The swap could not be saved: the draft has a problem. Open it below, fix it and save, then swap again.' },
} as const satisfies Record<string, { ok: boolean; message: string }>;
export type SwapNotice = keyof typeof SWAP_NOTICES;

/** The notice code for a swap's outcome. */
export function swapNotice(r: SwapResult): SwapNotice {
  if (r.ok) return r.published ? 'published' : r.publishProblem ? 'not-published' : r.live ? 'saved' : 'saved-draft';
  return r.reason in SWAP_NOTICES ? (r.reason as SwapNotice) : 'failed';
}
