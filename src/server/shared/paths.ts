/**
 * Every URL the app links to is built here (one paths module). Public URLs are shared on social
 * media — keep them stable.
 */
export const paths = {
  home: () => '/',
  post: (slug: string) => `/posts/${encodeURIComponent(slug)}`,
  /** A creator's page; their posts past the first 24 at `?page=2` … (src/server/content/pagination.ts). */
  creator: (handle: string, page = 1) => `/creators/${encodeURIComponent(handle)}${page > 1 ? `?page=${page}` : ''}`,
  product: (slug: string) => `/products/${encodeURIComponent(slug)}`,
  shop: (query?: Record<string, string | number | undefined>) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return s ? `/shop?${s}` : '/shop';
  },
  login: (next?: string) => (next ? `/login?next=${encodeURIComponent(next)}` : '/login'),
  logout: () => '/logout',
  /** Readers: ask for a one-time sign-in link; their account page. */
  signIn: (next?: string) => (next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'),
  account: () => '/account',
  admin: () => '/admin',
  dashboard: () => '/dashboard',
  rss: () => '/rss.xml',
  checkout: () => '/checkout',
  devMail: () => '/dev/mail',
  /**
   * The posts index, optionally one kind (look, guide, review): paths, not a query string, so every
   * page is render-cached and its own canonical address (src/server/content/pagination.ts).
   * @example paths.posts() // '/posts';  paths.posts(2, 'look') // '/posts/kind/look/page/2'
   */
  posts: (page = 1, kind?: string) => `${kind ? `/posts/kind/${encodeURIComponent(kind)}` : '/posts'}${page > 1 ? `/page/${page}` : ''}`,
  sitemap: () => '/sitemap.xml',
  /** One part of the sitemap once it is an index (more than 5,000 addresses). */
  sitemapPart: (n: number) => `/sitemaps/${n}.xml`,
  studio: () => '/studio',
  studioPost: (id: number) => `/studio/posts/${id}`,
  studioProfile: () => '/studio/profile',
  /** A private preview: the token is signed and expires (src/server/content/preview-token.ts). */
  preview: (token: string) => `/preview/${encodeURIComponent(token)}`,
  /** Verified buyer reviews: the policy, writing (signed in), one's own review, reporting one, moderation. */
  reviewPolicy: () => '/reviews/policy',
  reviewWrite: (productSlug: string) => `/account/reviews/new?product=${encodeURIComponent(productSlug)}`,
  reviewEdit: (reviewId: number) => `/account/reviews/${reviewId}`,
  reviewReport: (reviewId: number) => `/reviews/${reviewId}/report`,
  adminReviews: () => '/admin/reviews',
  /** One rendition of an uploaded image; immutable, so cached for a year. */
  media: (id: string, width: number, format: 'avif' | 'webp' | 'jpeg') => `/media/${id}/${width}.${format}`,
  /**
   * Share cards (Open Graph images, 1200×630 PNG; ADR 0054). `via`: a creator's referral code, for
   * the product card a signed-in creator shares with their own QR code.
   * @example paths.shareCard('post', 'autumn-capsule-wardrobe') // '/og/posts/autumn-capsule-wardrobe.png'
   */
  shareCard: (kind: 'post' | 'product' | 'creator' | 'group' | 'cut', id: string, via?: string) =>
    `/og/${{ post: 'posts', product: 'products', creator: 'creators', group: 'group', cut: 'cut' }[kind]}/${encodeURIComponent(id)}.png${via ? `?via=${encodeURIComponent(via)}` : ''}`,
} as const;

/**
 * A `next=` target is followed only when it is a path on this site (no open redirect).
 * @example safeNextPath('/admin') // '/admin';  safeNextPath('//evil.example') // '/'
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\u007f]/.test(next)) return fallback;
  try {
    const u = new URL(next, 'http://x.invalid');
    if (u.origin !== 'http://x.invalid') return fallback;
    const out = u.pathname + u.search + u.hash;
    // Dot segments can normalise into a protocol-relative URL ("/.//evil" → "//evil"): re-check.
    if (out.startsWith('//') || out.startsWith('/\\')) return fallback;
    return out;
  } catch {
    return fallback;
  }
}

/** Bag endpoints. Forms post here; kept with the other URLs. */
export const bagPaths = {
  bag: () => '/bag',
  add: () => '/bag/add',
} as const;

/** Wishlist, alerts and boards (docs/decisions/0053-wishlists-alerts-boards.md). */
export const wishlistPaths = {
  wishlist: () => '/wishlist',
  save: () => '/wishlist/save',
  remove: () => '/wishlist/remove',
  /** Adds to the bag with the credit of a saved item, a board or an alert (POST). */
  addToBag: () => '/wishlist/add-to-bag',
  setAlert: () => '/alerts',
  /** The page an alert email links to; the token is the alert's only key. */
  alert: (token: string) => `/alerts/${encodeURIComponent(token)}`,
  unsubscribe: (token: string) => `/alerts/${encodeURIComponent(token)}/unsubscribe`,
  board: (handle: string, slug: string) => `/creators/${encodeURIComponent(handle)}/boards/${encodeURIComponent(slug)}`,
  studioBoards: () => '/studio/boards',
  studioBoard: (id: number) => `/studio/boards/${id}`,
} as const;
