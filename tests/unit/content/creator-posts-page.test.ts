/**
 * A creator's posts at `?page=` (src/server/content/pagination.ts creatorPostsPage): the same rule
 * for page numbers as the posts index, with the creator's own address to redirect to.
 */
import { describe, expect, it } from 'vitest';
import { creatorPostsPage, POSTS_PER_PAGE, type PostSummary } from '../../../src/server/content/index.ts';
import { httpStatus } from '../../../src/server/shared/index.ts';

const posts = (n: number) => Array.from({ length: n }, (_, i) => ({ slug: `p${i + 1}`, creator: 'maya' }) as PostSummary);

describe('creatorPostsPage', () => {
  it('shows 24 a page, in the order given, with prev and next', () => {
    const mine = posts(50);
    expect(creatorPostsPage(mine, 'maya', null)).toMatchObject({ ok: true, list: { page: 1, pages: 3, total: 50, next: 2, items: mine.slice(0, POSTS_PER_PAGE) } });
    expect(creatorPostsPage(mine, 'maya', '3')).toMatchObject({ ok: true, list: { page: 3, prev: 2, items: mine.slice(48) } });
  });
  it('redirects page 1 to the bare address and leading zeros to the page’s one address', () => {
    expect(creatorPostsPage(posts(50), 'maya', '1')).toEqual({ ok: false, redirect: '/creators/maya' });
    expect(creatorPostsPage(posts(50), 'maya', '002')).toEqual({ ok: false, redirect: '/creators/maya?page=2' });
    expect(creatorPostsPage(posts(50), 'a b', '1')).toEqual({ ok: false, redirect: '/creators/a%20b' });
  });
  it('refuses what is not a page number (400) and a page past the end (404)', () => {
    for (const bad of ['', 'abc', '0', '-1', '2.5', '1e3', '1234567']) {
      const r = creatorPostsPage(posts(50), 'maya', bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok && 'reason' in r) expect(httpStatus(r), bad).toBe(400);
    }
    const past = creatorPostsPage(posts(50), 'maya', '4');
    expect(past).toMatchObject({ ok: false, reason: 'not_found' });
  });
  it('a creator with no posts has one empty page', () => {
    expect(creatorPostsPage([], 'maya', undefined)).toMatchObject({ ok: true, list: { items: [], page: 1, pages: 1 } });
    expect(creatorPostsPage([], 'maya', '2')).toMatchObject({ ok: false, reason: 'not_found' });
  });
});
