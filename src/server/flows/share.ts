/**
 * Share cards and share links (ADR 0054): what each card shows — read live through the catalog,
 * social and commissions faces — which link it credits, and its PNG through the share capability.
 *
 * Which link a share credits:
 * - a post: its creator's referral link `/r/<CODE>?to=/posts/<slug>` (the same for every reader,
 *   so the cached post page and its card can carry it);
 * - a product: the signed-in creator's own referral link when a creator is looking; for everyone
 *   else the plain product address (a reader's own referral cookie is theirs, not something to
 *   pass on, and the product page is cached for every anonymous reader);
 * - a creator's page: their referral link `/r/<CODE>` (opens the page);
 * - a group or a help-cut: the page's own address (joining and helping are credited there).
 * The card's QR code encodes exactly that link.
 */
import type { App } from './app.ts';
import { getProduct, getProductsBySlug, priceSummary, totalAvailable, type ProductView } from '../catalog/index.ts';
import { creatorByCode, normaliseCode } from '../attribution/index.ts';
import { creatorReferral, initialsOf, referralUrl } from '../commissions/index.ts';
import { getRendition, MEDIA_ID, parseMediaFile } from '../media/index.ts';
import { groupPageView, launchView } from '../social/index.ts';
import { paths } from '../shared/index.ts';
import { cardKey, renderCard, type CachedCard, type CardImage, type CardPngCache, type ImageLoader, type ShareCardContent } from '../share/index.ts';
import { groupPath } from './groups.ts';
import { cutPath } from './cuts.ts';

/** A creator as readers see them (profile name and picture, from content or the studio). */
export interface ShareProfile {
  handle: string;
  name: string;
  /** A site path of their picture, or null for none (the card draws their initials). */
  avatar: string | null;
}

/** Looks up a creator's public profile by handle (pages pass the content index's). */
export type ProfileLookup = (handle: string) => ShareProfile | undefined;

export interface SharePost {
  slug: string;
  title: string;
  /** "Look", "Styling guide", "Review". */
  kindLabel: string;
  heroSrc: string;
  creator: ShareProfile;
  productSlugs: readonly string[];
}

/** A share link and whose credit it carries (null: nobody's — a plain address). */
export interface ShareLink {
  url: string;
  credits: { id: number; handle: string; name: string; code: string } | null;
}

/** A card's content plus the moment it next changes by the clock (null: nothing scheduled). */
export interface ShareCardPlan {
  content: ShareCardContent;
  validUntil: number | null;
}

const abs = (app: App, path: string) => new URL(path, app.config.shop.siteUrl).href;
const minBound = (xs: readonly (number | null | undefined)[]): number | null => {
  const ok = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return ok.length ? Math.min(...ok) : null;
};
const image = (src: string | null | undefined): CardImage | null => (src ? { src } : null);

async function creditedLink(app: App, by: { handle: string } | { id: number }, path: string | null, fallback: string): Promise<ShareLink> {
  const c = await creatorReferral(app.db, by);
  if (!c?.referralCode) return { url: abs(app, fallback), credits: null };
  return { url: referralUrl(app.config.shop.siteUrl, c.referralCode, path), credits: { id: c.id, handle: c.handle, name: c.displayName, code: c.referralCode } };
}

/**
 * The Share button's words: whose link it is when the viewer is the creator it credits
 * ("Share — credits Ana"), plain "Share" for everyone else.
 * @example shareLabel(link, { creatorId: 7 }) // 'Share — credits Ana'
 */
export function shareLabel(link: ShareLink, viewer: { creatorId: number | null } | null): string {
  if (!link.credits || !viewer?.creatorId || viewer.creatorId !== link.credits.id) return 'Share';
  return `Share — credits ${link.credits.name.split(/\s+/)[0]}`;
}

/** The link a post is shared with: its creator's referral link to it. */
export function postShareLink(app: App, post: Pick<SharePost, 'slug' | 'creator'>): Promise<ShareLink> {
  return creditedLink(app, { handle: post.creator.handle }, paths.post(post.slug), paths.post(post.slug));
}

/** The link a product is shared with: the viewing creator's own referral link, else the plain address. */
export async function productShareLink(app: App, slug: string, viewer: { creatorId: number | null } | null): Promise<ShareLink> {
  if (viewer?.creatorId) return creditedLink(app, { id: viewer.creatorId }, paths.product(slug), paths.product(slug));
  return { url: abs(app, paths.product(slug)), credits: null };
}

/** A creator's page is shared with their referral link (it opens the page). */
export function creatorShareLink(app: App, handle: string): Promise<ShareLink> {
  return creditedLink(app, { handle }, null, paths.creator(handle));
}

function productPrice(app: App, p: ProductView): ShareCardContent['price'] {
  const s = priceSummary(p.variants);
  if (!s) return null;
  const soldOut = totalAvailable(p.variants) === 0;
  return {
    now: `${s.varies ? 'From ' : ''}${app.fmt.money(s.fromCents)}`,
    was: s.compareAtCents !== null ? app.fmt.money(s.compareAtCents) : null,
    note: soldOut ? 'Sold out' : s.savingCents > 0 ? `Save ${app.fmt.money(s.savingCents)}` : null,
  };
}

const face = (p: ShareProfile): ShareCardContent['creator'] => ({ name: p.name, initials: initialsOf(p.name), avatar: image(p.avatar) });

/** A post's card: title, its creator, the lowest live price of the pieces in it, the creator's link. */
export async function postShareCard(app: App, post: SharePost, now = Date.now()): Promise<ShareCardPlan> {
  const [link, products] = await Promise.all([postShareLink(app, post), post.productSlugs.length ? getProductsBySlug(app.db, post.productSlugs, now) : Promise.resolve(new Map<string, ProductView>())]);
  const live = [...products.values()].filter((p) => p.active && p.variants.length > 0);
  const prices = live.map((p) => priceSummary(p.variants)).filter((s) => s !== null);
  const from = prices.length ? Math.min(...prices.map((s) => s.fromCents)) : null;
  const pieces = app.fmt.count(live.length, 'piece');
  return {
    content: {
      kind: 'post',
      shopName: app.config.shop.name,
      eyebrow: post.kindLabel,
      title: post.title,
      price: from === null ? null : { now: `From ${app.fmt.money(from)}`, was: null, note: `${pieces} to shop` },
      creator: face(post.creator),
      cover: image(post.heroSrc),
      link: link.url,
      callToAction: live.length ? `Scan to shop the ${live.length === 1 ? 'piece' : 'look'}` : 'Scan to read',
      alt: `${post.title} — by ${post.creator.name}${from === null ? '' : `, ${pieces} from ${app.fmt.money(from)}`}`,
    },
    validUntil: minBound(live.map((p) => p.priceValidUntil)),
  };
}

/**
 * A product's card with its live price; null for an unknown or retired product (no render).
 * `via`: the creator whose link the card carries (a signed-in creator's own poster), else none.
 */
export async function productShareCard(app: App, slug: string, opts: { now?: number; via?: { code: string | null; profiles: ProfileLookup } } = {}): Promise<ShareCardPlan | null> {
  const now = opts.now ?? Date.now();
  let via: (ShareProfile & { creatorId: number }) | undefined;
  if (opts.via) {
    const code = normaliseCode(opts.via.code);
    const c = code ? await creatorByCode(app.db, code, now) : null;
    if (!c) return null;
    via = { ...(opts.via.profiles(c.handle) ?? { handle: c.handle, name: c.handle, avatar: null }), creatorId: c.id };
  }
  const product = await getProduct(app.db, slug, now);
  if (!product || !product.active || product.variants.length === 0) return null;
  const link = await productShareLink(app, product.slug, via ? { creatorId: via.creatorId } : null);
  const price = productPrice(app, product);
  return {
    content: {
      kind: 'product',
      shopName: app.config.shop.name,
      eyebrow: product.brand.name,
      title: product.name,
      price,
      creator: link.credits && via ? face({ ...via, name: opts.via?.profiles(via.handle)?.name ?? link.credits.name }) : null,
      cover: image(product.imagePath),
      link: link.url,
      callToAction: link.credits ? `Picked for you · scan to shop` : 'Scan to see sizes and stock',
      alt: `${product.name} by ${product.brand.name}${price ? `, ${price.now}` : ''}`,
    },
    validUntil: product.priceValidUntil ?? null,
  };
}

/** A creator's card: their name, picture, how many posts, their link. */
export async function creatorShareCard(app: App, profile: ShareProfile, postCount: number, cover: string | null): Promise<ShareCardPlan> {
  const link = await creatorShareLink(app, profile.handle);
  return {
    content: {
      kind: 'creator',
      shopName: app.config.shop.name,
      eyebrow: 'Creator',
      title: profile.name,
      price: null,
      creator: face(profile),
      cover: image(cover ?? profile.avatar),
      link: link.url,
      callToAction: postCount > 0 ? `${app.fmt.count(postCount, 'post')} · scan for their picks` : 'Scan for their picks',
      alt: `${profile.name} on ${app.config.shop.name}`,
    },
    validUntil: null,
  };
}

async function sourceCreator(app: App, creatorId: number | null, profiles: ProfileLookup): Promise<ShareCardContent['creator']> {
  if (creatorId === null) return null;
  const c = await creatorReferral(app.db, { id: creatorId });
  if (!c) return null;
  return face(profiles(c.handle) ?? { handle: c.handle, name: c.displayName, avatar: null });
}

/** A group buy's card: the group price, seats left, when it ends; null when there is no such group. */
export async function groupShareCard(app: App, id: string, profiles: ProfileLookup, now = Date.now()): Promise<ShareCardPlan | null> {
  const g = await groupPageView(app.db, id, now);
  if (!g) return null;
  const open = g.state === 'open' && now < g.endsAt;
  return {
    content: {
      kind: 'group',
      shopName: app.config.shop.name,
      eyebrow: 'Group buy',
      title: g.productName,
      price: { now: app.fmt.money(g.priceCents), was: g.regularPriceCents > g.priceCents ? app.fmt.money(g.regularPriceCents) : null, note: `each, in a group of ${g.size}` },
      creator: await sourceCreator(app, g.source.creatorId, profiles),
      cover: image(g.imagePath),
      link: abs(app, groupPath(g.id)),
      callToAction: open ? `${app.fmt.count(g.seatsLeft, 'seat')} left · scan to join` : g.state === 'filled' ? 'This group is complete' : 'This group has ended',
      alt: `Join a group for ${g.productName} at ${app.fmt.money(g.priceCents)} each`,
    },
    validUntil: open ? g.endsAt : null,
  };
}

/** A help-cut's card: the price reached, helps left, until when; null when there is no such bargain. */
export async function cutShareCard(app: App, id: string, profiles: ProfileLookup, now = Date.now()): Promise<ShareCardPlan | null> {
  const l = await launchView(app.db, id, now);
  if (!l) return null;
  const open = l.phase === 'open';
  return {
    content: {
      kind: 'cut',
      shopName: app.config.shop.name,
      eyebrow: 'Help cut the price',
      title: l.productName,
      price: { now: app.fmt.money(l.priceCents), was: l.startPriceCents > l.priceCents ? app.fmt.money(l.startPriceCents) : null, note: open ? `${app.fmt.count(l.helpsLeft, 'help')} to ${l.floorPriceCents === 0 ? 'free' : app.fmt.money(l.floorPriceCents)}` : null },
      creator: await sourceCreator(app, l.source.creatorId, profiles),
      cover: image(l.imagePath),
      link: abs(app, cutPath(l.id)),
      callToAction: open ? 'Scan to help — one tap' : l.phase === 'floor' ? 'Lowest price reached' : 'This bargain has ended',
      alt: `Help cut the price of ${l.productName}: ${app.fmt.money(l.priceCents)} now`,
    },
    validUntil: open ? l.endsAt : l.phase === 'floor' || l.phase === 'ended_buyable' ? l.buyBy : null,
  };
}

const PUBLIC_IMAGE = /^\/images\/[a-z0-9][a-z0-9/_-]*\.(svg|png|jpe?g|webp|avif)$/i;

/**
 * Reads a card's pictures: uploads from the media store, the site's own `/images/…` from
 * `readPublic` (the build's client directory). Anything else is not read.
 */
export function shareImageLoader(app: App, readPublic: (relPath: string) => Promise<Uint8Array | null>): ImageLoader {
  return async (src) => {
    const m = /^\/media\/([^/]+)\/([^/]+)$/.exec(src);
    if (m) {
      const file = parseMediaFile(m[2]!);
      if (!MEDIA_ID.test(m[1]!) || !file) return null;
      const r = (await getRendition(app.db, m[1]!, file.width, file.format)) ?? (await getRendition(app.db, m[1]!, 480, 'webp'));
      return r ? r.bytes : null;
    }
    if (!PUBLIC_IMAGE.test(src) || src.includes('..')) return null;
    return readPublic(src.slice(1));
  };
}

/** The card's PNG: from the cache by content key, else rendered once and kept. */
export async function shareCardPng(plan: ShareCardPlan, deps: { images: ImageLoader; cache: CardPngCache }): Promise<CachedCard> {
  const key = cardKey(plan.content);
  const card = await deps.cache.getOrRender(key, async () => ({ key, png: (await renderCard(plan.content, deps.images)).png, alt: plan.content.alt, validUntil: plan.validUntil }));
  return { ...card, validUntil: plan.validUntil };
}
