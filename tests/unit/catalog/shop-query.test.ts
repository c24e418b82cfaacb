import { describe, expect, it } from 'vitest';
import { parseShopQuery, shopHref, shopQueryToParams } from '../../../src/server/catalog/shop-query.ts';

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
    });
  });
  it('defaults to newest, page 1, no filters; empty fields from a GET form are ignored', () => {
    expect(parse('min=&max=&sort=')).toEqual({
      ok: true,
      query: { categories: [], brands: [], sizes: [], minCents: undefined, maxCents: undefined, inStockOnly: false, sort: 'new', page: 1 },
    });
  });
  it.each([
    ['min=abc', 'Minimum price must be a whole number'],
    ['max=-5', 'Maximum price must be a whole number'],
    ['min=200&max=100', 'minimum price must not be above the maximum'],
    ['sort=cheapest', 'Sort'],
    ['page=0', 'Page must be 1 or more'],
    ['category=%3Cscript%3E', 'Category is not a valid name'],
    ['max=9999999', 'Maximum price must be a whole number'],
  ])('rejects %s with a message naming the field', (qs, message) => {
    const r = parse(qs);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message).join(' | ')).toContain(message);
  });
  it('round-trips to a shareable URL', () => {
    const r = parse('brand=pasqua&min=20&sort=sale&page=3');
    if (!r.ok) throw new Error('expected ok');
    expect(shopHref(shopQueryToParams(r.query))).toBe('/shop?brand=pasqua&min=20&sort=sale&page=3');
  });
});
