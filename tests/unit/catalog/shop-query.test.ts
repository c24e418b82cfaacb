import { describe, expect, it } from 'vitest';
import { parseShopQuery, shopHref, shopQueryToParams } from '../../../src/server/catalog/index.ts';

const parse = (qs: string) => parseShopQuery(new URLSearchParams(qs));

describe('shop query', () => {
  it('parses filters, prices in whole units and sort', () => {
    const r = parse('category=knitwear&category=tops&brand=atelier-nord&size=M&min=50&max=150&instock=1&sort=price-asc&page=2');
    expect(r).toEqual({
      ok: true,
      query: {
        categories: ['knitwear', 'tops'],
        brands: ['atelier-nord'],
        sizes: ['M'],
        minCents: 5000,
        maxCents: 15000,
        inStockOnly: true,
        sort: 'price-asc',
        page: 2,
      },
      notes: [],
    });
  });
  it('defaults to newest, page 1, no filters; empty fields from a GET form are ignored', () => {
    expect(parse('min=&max=&sort=')).toEqual({
      ok: true,
      query: { categories: [], brands: [], sizes: [], minCents: undefined, maxCents: undefined, inStockOnly: false, sort: 'new', page: 1 },
      notes: [],
    });
  });
  // A shared link with a value the shop cannot use still shows the shop: the default, and a quiet
  // note in people's words (never a field name followed by a validator's message).
  it.each([
    ['min=abc', { minCents: undefined }, 'The lowest price “abc” is not a whole amount we can use, so it was left out.'],
    ['max=-5', { maxCents: undefined }, 'The highest price “-5” is not a whole amount we can use, so it was left out.'],
    ['max=9999999', { maxCents: undefined }, 'The highest price “9999999” is not a whole amount we can use, so it was left out.'],
    ['min=200&max=100', { minCents: 10000, maxCents: 20000 }, 'The lowest price was above the highest, so the two were swapped.'],
    ['sort=cheapest', { sort: 'new' }, 'We do not have the sort “cheapest”, so the newest pieces come first.'],
    ['page=0', { page: 1 }, 'There is no page “0”, so this is the first page.'],
    ['category=%3Cscript%3E&category=tops', { categories: ['tops'] }, 'There is no category “<script>”, so it was left out.'],
    ['instock=maybe', { inStockOnly: false }, 'The “in stock only” filter was not understood, so every piece is shown.'],
  ])('%s falls back to the default with a note', (qs, query, message) => {
    const r = parse(qs);
    expect(r.ok).toBe(true);
    expect(r.query).toMatchObject(query);
    expect(r.notes.map((n) => n.message)).toEqual([message]);
  });
  it('never shows a validator message or an internal field name', () => {
    const r = parse('sort=%22x&min=abc&max=1&page=-1&size=%3C%3E');
    for (const n of r.notes) expect(n.message).not.toMatch(/Invalid|expected|must|minimum price must|^(Sort|Page|Size|Minimum|Maximum) /);
    expect(r.notes).toHaveLength(4);
  });
  it('round-trips to a shareable URL', () => {
    const r = parse('brand=pasqua&min=20&sort=sale&page=3');
    expect(shopHref(shopQueryToParams(r.query))).toBe('/shop?brand=pasqua&min=20&sort=sale&page=3');
  });
});
