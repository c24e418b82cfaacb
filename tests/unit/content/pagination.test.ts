/**
 * Reader lists in pages (src/server/content/pagination.ts): the slice each page shows, the one rule
 * for page numbers in addresses (redirect, 400, 404), and a pager that stays small at 400 pages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paginate, pagerItems, parsePageParam, POSTS_PER_PAGE } from '../../../src/server/content/index.ts';
import { httpStatus, paths } from '../../../src/server/shared/index.ts';

const letters = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

describe('paginate', () => {
  it('slices in order, with prev and next only where they exist', () => {
    const items = letters(50);
    const first = paginate(items, 1, 24);
    expect(first).toEqual({ ok: true, items: items.slice(0, 24), page: 1, pages: 3, total: 50, next: 2 });
    const middle = paginate(items, 2, 24);
    expect(middle).toEqual({ ok: true, items: items.slice(24, 48), page: 2, pages: 3, total: 50, prev: 1, next: 3 });
    const last = paginate(items, 3, 24);
    expect(last).toEqual({ ok: true, items: ['p49', 'p50'], page: 3, pages: 3, total: 50, prev: 2 });
  });

  it('a list that fills its pages exactly has no empty page after it', () => {
    expect(paginate(letters(48), 2, 24)).toMatchObject({ ok: true, pages: 2, items: letters(48).slice(24) });
    expect(paginate(letters(48), 3, 24)).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('an empty list has one empty page (its own address never 404s), and nothing after it', () => {
    expect(paginate([], 1, 24)).toEqual({ ok: true, items: [], page: 1, pages: 1, total: 0 });
    const past = paginate([], 2, 24);
    expect(past).toMatchObject({ ok: false, reason: 'not_found', message: 'This list has only one page.' });
  });

  it('refuses a page past the last as not found (404), in words', () => {
    const r = paginate(letters(50), 4, 24);
    expect(r).toEqual({ ok: false, reason: 'not_found', message: 'This list has 3 pages; there is no page 4.' });
    if (!r.ok) expect(httpStatus(r)).toBe(404);
  });

  it('refuses a page that is not a positive whole number as invalid (400)', () => {
    for (const page of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      const r = paginate(letters(50), page, 24);
      expect(r, String(page)).toMatchObject({ ok: false, reason: 'invalid' });
      if (!r.ok) expect(httpStatus(r)).toBe(400);
    }
  });

  it('a wrong perPage is a bug, not a refusal', () => {
    expect(() => paginate(letters(3), 1, 0)).toThrow(RangeError);
    expect(() => paginate(letters(3), 1, 2.5)).toThrow(RangeError);
  });

  it('every item is on exactly one page, in order (any length, any page size)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), (n, perPage) => {
        const items = letters(n);
        const first = paginate(items, 1, perPage);
        if (!first.ok) return false;
        const seen: string[] = [];
        for (let p = 1; p <= first.pages; p++) {
          const page = paginate(items, p, perPage);
          if (!page.ok || page.total !== n || page.pages !== first.pages) return false;
          if (page.items.length === 0 && n > 0) return false;
          if (page.items.length > perPage) return false;
          seen.push(...page.items);
        }
        return seen.join() === items.join() && !paginate(items, first.pages + 1, perPage).ok;
      }),
    );
  });

  it('24 a page on the posts index and creator pages', () => {
    expect(POSTS_PER_PAGE).toBe(24);
  });
});

describe('parsePageParam', () => {
  it('no number is page 1, at its own address', () => {
    expect(parsePageParam(undefined)).toEqual({ ok: true, page: 1, redirect: false });
    expect(parsePageParam(null)).toEqual({ ok: true, page: 1, redirect: false });
  });

  it('a plain number is that page', () => {
    expect(parsePageParam('2')).toEqual({ ok: true, page: 2, redirect: false });
    expect(parsePageParam('417')).toEqual({ ok: true, page: 417, redirect: false });
    expect(parsePageParam('999999')).toEqual({ ok: true, page: 999999, redirect: false });
  });

  it('"1" and leading zeros redirect to the one address of that page', () => {
    expect(parsePageParam('1')).toEqual({ ok: true, page: 1, redirect: true });
    expect(parsePageParam('01')).toEqual({ ok: true, page: 1, redirect: true });
    expect(parsePageParam('007')).toEqual({ ok: true, page: 7, redirect: true });
  });

  it('anything else is refused in words (400), never a crash or a huge number', () => {
    for (const raw of ['', 'abc', '0', '00', '-1', '+2', '2.5', '1e3', ' 2', '2 ', '0x10', '１２', '1234567', '9'.repeat(400)]) {
      const r = parsePageParam(raw);
      expect(r, JSON.stringify(raw)).toEqual({ ok: false, reason: 'invalid', message: 'That is not a page number. Pages are counted 1, 2, 3 …' });
      if (!r.ok) expect(httpStatus(r)).toBe(400);
    }
  });
});

describe('pagerItems', () => {
  it('shows every page of a short list', () => {
    expect(pagerItems(1, 1)).toEqual([1]);
    expect(pagerItems(2, 3)).toEqual([1, 2, 3]);
    expect(pagerItems(1, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the first, the last and two either side of the current page, with gaps', () => {
    expect(pagerItems(6, 12)).toEqual([1, 'gap', 4, 5, 6, 7, 8, 'gap', 12]);
    expect(pagerItems(1, 417)).toEqual([1, 2, 3, 'gap', 417]);
    expect(pagerItems(417, 417)).toEqual([1, 'gap', 415, 416, 417]);
    expect(pagerItems(2, 10, 1)).toEqual([1, 2, 3, 'gap', 10]);
  });

  it('never hides a single page behind a gap', () => {
    expect(pagerItems(5, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 'gap', 10]);
    expect(pagerItems(4, 10)).toEqual([1, 2, 3, 4, 5, 6, 'gap', 10]);
    expect(pagerItems(7, 10)).toEqual([1, 'gap', 5, 6, 7, 8, 9, 10]);
  });

  it('stays small, ascending, and always includes 1, the page and the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }).chain((pages) => fc.tuple(fc.integer({ min: 1, max: pages }), fc.constant(pages))), ([page, pages]) => {
        const items = pagerItems(page, pages);
        const numbers = items.filter((x): x is number => x !== 'gap');
        const ascending = numbers.every((n, i) => i === 0 || n > numbers[i - 1]!);
        return items.length <= 9 && ascending && numbers.includes(1) && numbers.includes(page) && numbers.includes(pages) && !items.some((x, i) => x === 'gap' && items[i + 1] === 'gap');
      }),
    );
  });
});

describe('list addresses', () => {
  it('the posts index pages are paths (render-cached, their own canonical); a creator page keeps one file', () => {
    expect(paths.posts()).toBe('/posts');
    expect(paths.posts(1)).toBe('/posts');
    expect(paths.posts(2)).toBe('/posts/page/2');
    expect(paths.posts(1, 'look')).toBe('/posts/kind/look');
    expect(paths.posts(3, 'review')).toBe('/posts/kind/review/page/3');
    expect(paths.creator('maya-okafor')).toBe('/creators/maya-okafor');
    expect(paths.creator('maya-okafor', 2)).toBe('/creators/maya-okafor?page=2');
    expect(paths.sitemapPart(2)).toBe('/sitemaps/2.xml');
  });
});
