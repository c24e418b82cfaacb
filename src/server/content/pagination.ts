/**
 * Reader lists in pages (the posts index, a creator's posts, the sitemap's parts): which slice a
 * page shows, and the one rule for a page number that arrives in an address.
 *
 * The rule (pages answer with `httpStatus` of the refusal, or redirect):
 *   - no number                      → page 1
 *   - "2", "3" … (digits, no sign)   → that page
 *   - "1"                            → redirect to the list's own address (one address per page)
 *   - leading zeros ("02")           → redirect to "2"
 *   - anything else ("abc", "0", "-1", "2.5", "1e3", more than 6 digits)
 *                                    → refused, 'invalid' (400): the page says so and links page 1
 *   - a number past the last page    → refused, 'not_found' (404)
 * An empty list still has a page 1 (showing nothing), so a list's own address never 404s.
 *
 * Addresses: the posts index is `/posts`, `/posts/page/2`, `/posts/kind/look`,
 * `/posts/kind/look/page/2` (src/server/shared/paths.ts). Paths, not `?page=`, because the render
 * cache never serves a URL with a query string (src/server/catalog/render-cache.ts) and the layout's
 * canonical link is the path; `/posts/<slug>` stays a post's address (one segment — a post may even
 * be called "page" or "kind", the lists live two segments deep). A creator's posts stay on the
 * creator's one page file, `/creators/<handle>?page=2`.
 */
import { paths, refuse, type Refusal, type Result } from '../shared/index.ts';
import { KIND_LABEL, type PostKind, type PostSummary } from './posts.ts';

/** Posts per page on the posts index and a creator's page. */
export const POSTS_PER_PAGE = 24;

/** Posts on the home page after the lead (the rest are on /posts): the page stays the same size at any number of posts. */
export const HOME_LATEST = 12;

/** Items in the RSS feed: the latest posts only (readers poll it; old posts are on /posts and in the sitemap). */
export const RSS_LATEST = 50;

/** A page number of more digits than this is not one a list here will have. */
const MAX_PAGE_DIGITS = 6;

export interface Page<T> {
  /** What this page shows, in the list's order. */
  items: T[];
  /** 1-based. */
  page: number;
  /** At least 1 (an empty list has one empty page). */
  pages: number;
  /** Every item on every page. */
  total: number;
  prev?: number;
  next?: number;
}

/**
 * The page `page` of `items`, `perPage` at a time.
 * @example paginate(['a', 'b', 'c'], 2, 2) // { ok: true, items: ['c'], page: 2, pages: 2, total: 3, prev: 1 }
 * @example paginate(['a'], 3, 2)           // { ok: false, reason: 'not_found', … }
 */
export function paginate<T>(items: readonly T[], page: number, perPage: number): Result<Page<T>, 'invalid' | 'not_found'> {
  if (!Number.isSafeInteger(perPage) || perPage < 1) throw new RangeError(`perPage must be a positive integer, got ${perPage}`);
  if (!Number.isSafeInteger(page) || page < 1) return refuse('invalid', 'That is not a page number. Pages are counted 1, 2, 3 …');
  const total = items.length;
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page > pages) return refuse('not_found', pages === 1 ? 'This list has only one page.' : `This list has ${pages} pages; there is no page ${page}.`);
  const start = (page - 1) * perPage;
  return {
    ok: true,
    items: items.slice(start, start + perPage),
    page,
    pages,
    total,
    ...(page > 1 ? { prev: page - 1 } : {}),
    ...(page < pages ? { next: page + 1 } : {}),
  };
}

/** A page number as it arrived in an address: the page, whether to redirect to its one address, or a refusal. */
export type PageParam = { ok: true; page: number; redirect: boolean } | Refusal<'invalid'>;

/**
 * Reads a page number from an address (a path segment or `?page=`); see the rule at the top.
 * @example parsePageParam(undefined) // { ok: true, page: 1, redirect: false }
 * @example parsePageParam('1')       // { ok: true, page: 1, redirect: true }   (→ the list's own address)
 * @example parsePageParam('007')     // { ok: true, page: 7, redirect: true }
 * @example parsePageParam('abc')     // { ok: false, reason: 'invalid', … }
 */
export function parsePageParam(raw: string | null | undefined): PageParam {
  if (raw === undefined || raw === null) return { ok: true, page: 1, redirect: false };
  const digits = /^0*([0-9]+)$/.exec(raw)?.[1];
  if (digits === undefined || digits === '0' || digits.length > MAX_PAGE_DIGITS) {
    return refuse('invalid', 'That is not a page number. Pages are counted 1, 2, 3 …');
  }
  const page = Number(digits);
  return { ok: true, page, redirect: page === 1 || digits !== raw };
}

/** A numbered link in a pager, or a gap ("…") between numbers. */
export type PagerItem = number | 'gap';

/**
 * The page numbers a pager shows: the first, the last, and `around` on each side of the current
 * page, with a gap where numbers are left out (a gap never stands for a single page — that page is
 * shown instead). A list of 400 pages gets a handful of links, never 400.
 * @example pagerItems(1, 1)     // [1]
 * @example pagerItems(6, 12)    // [1, 'gap', 4, 5, 6, 7, 8, 'gap', 12]
 * @example pagerItems(2, 10, 1) // [1, 2, 3, 'gap', 10]
 */
export function pagerItems(page: number, pages: number, around = 2): PagerItem[] {
  const shown = new Set<number>([1, pages]);
  for (let n = page - around; n <= page + around; n++) if (n >= 1 && n <= pages) shown.add(n);
  const sorted = [...shown].sort((a, b) => a - b);
  const out: PagerItem[] = [];
  let last = 0;
  for (const n of sorted) {
    if (n - last === 2) out.push(n - 1);
    else if (n - last > 2) out.push('gap');
    out.push(n);
    last = n;
  }
  return out;
}

/** What the posts index shows at an address: a page of posts, a redirect to the page's one address, or a refusal. */
export type PostListPage =
  | { ok: true; list: Page<PostSummary>; kind: PostKind | undefined }
  | { ok: false; redirect: string }
  | Refusal<'invalid' | 'not_found'>;

const isKind = (k: string): k is PostKind => Object.hasOwn(KIND_LABEL, k);

/**
 * The posts index at `{ kind, page }` (raw from the address; `posts` newest first, as
 * `publishedPosts()` returns them — filtered here, never re-sorted). An unknown kind is not found.
 * @example postListPage(posts, { kind: 'look', page: '2' }) // { ok: true, list: { items: [24 looks], page: 2, … }, kind: 'look' }
 * @example postListPage(posts, { page: '1' })              // { ok: false, redirect: '/posts' }
 */
export function postListPage(posts: readonly PostSummary[], req: { kind?: string | null | undefined; page?: string | null | undefined }): PostListPage {
  let kind: PostKind | undefined;
  if (req.kind !== undefined && req.kind !== null) {
    if (!isKind(req.kind)) return refuse('not_found', 'There is no such kind of post.');
    kind = req.kind;
  }
  const n = parsePageParam(req.page);
  if (!n.ok) return n;
  if (n.redirect) return { ok: false, redirect: paths.posts(n.page, kind) };
  const list = paginate(kind ? posts.filter((p) => p.kind === kind) : posts, n.page, POSTS_PER_PAGE);
  return list.ok ? { ok: true, list, kind } : list;
}

/**
 * The address below /posts of a list page: `page/2`, `kind/look`, `kind/look/page/2`; anything
 * else is no list (undefined: the route answers 404). Values are returned raw for `postListPage`.
 * @example parsePostListPath('kind/look/page/2') // { kind: 'look', page: '2' }
 */
export function parsePostListPath(rest: string | undefined): { kind?: string; page?: string } | undefined {
  const parts = (rest ?? '').split('/');
  if (!parts.every(Boolean)) return undefined;
  const [a, b, c, d] = parts;
  if (parts.length === 2 && a === 'page') return { page: b! };
  if (parts.length === 2 && a === 'kind') return { kind: b! };
  if (parts.length === 4 && a === 'kind' && c === 'page') return { kind: b!, page: d! };
  return undefined;
}

/** What a creator's page shows at `?page=`: a page of their posts, a redirect to the page's one address, or a refusal. */
export type CreatorPostsPage = { ok: true; list: Page<PostSummary> } | { ok: false; redirect: string } | Refusal<'invalid' | 'not_found'>;

/**
 * A creator's posts at `?page=` (raw from the address; `theirPosts` newest first, only that
 * creator's — the page also needs all of them for the picks). Same rule as the posts index: page 1
 * and leading zeros redirect, not a number is invalid, past the end is not found.
 * @example creatorPostsPage(mayasPosts, 'maya', '2') // { ok: true, list: { items: [Maya's 25th–48th], page: 2, … } }
 * @example creatorPostsPage(mayasPosts, 'maya', '1') // { ok: false, redirect: '/creators/maya' }
 */
export function creatorPostsPage(theirPosts: readonly PostSummary[], handle: string, rawPage: string | null | undefined): CreatorPostsPage {
  const n = parsePageParam(rawPage);
  if (!n.ok) return n;
  if (n.redirect) return { ok: false, redirect: paths.creator(handle, n.page) };
  const list = paginate(theirPosts, n.page, POSTS_PER_PAGE);
  return list.ok ? { ok: true, list } : list;
}
