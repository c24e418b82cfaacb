import { describe, expect, it } from 'vitest';
import { adminListSearch, bulkMessage, parseAdminListQuery, parseBulkForm, stockStateOf } from '../../../src/server/catalog/index.ts';

const q = (s: string) => parseAdminListQuery(new URLSearchParams(s));
const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe('parseAdminListQuery', () => {
  it('reads every filter, the sort and the page', () => {
    expect(q('q=  Linen   shirt &category=tops&brand=Acme&stock=low&active=off&sort=price&page=3')).toEqual({
      query: { q: 'Linen shirt', category: 'tops', brand: 'acme', stock: 'low', active: 'off', sort: 'price', page: 3 },
      problems: {},
    });
  });
  it('treats empty values (a GET form’s “Any”) as no filter, and defaults to title, page 1', () => {
    expect(q('q=&category=&brand=&stock=&active=&sort=&page=')).toEqual({ query: { sort: 'title', page: 1 }, problems: {} });
    expect(q('')).toEqual({ query: { sort: 'title', page: 1 }, problems: {} });
  });
  it('drops a bad value with a sentence in words, keeping the rest', () => {
    const r = q('stock=lots&active=maybe&sort=colour&page=abc&category=Not%20a%20slug!&q=tee');
    expect(r.query).toEqual({ q: 'tee', sort: 'title', page: 1 });
    expect(r.problems.stock).toMatch(/in stock, low stock or out of stock/);
    expect(r.problems.active).toMatch(/active, inactive or archived/);
    expect(r.problems.sort).toMatch(/title, price, stock or last updated/);
    expect(r.problems.page).toMatch(/not a page number/);
    expect(r.problems.category).toMatch(/is not a category/);
    for (const m of Object.values(r.problems)) expect(m).not.toMatch(/zod|undefined|NaN|Error/);
  });
  it.each(['0', '-1', '2.5', '1e3', '9999999'])('refuses page=%s', (p) => {
    expect(q(`page=${p}`).problems.page).toBeDefined();
    expect(q(`page=${p}`).query.page).toBe(1);
  });
  it('reads leading zeros as the number', () => expect(q('page=007').query.page).toBe(7));
  it('refuses a search longer than 100 characters', () => expect(q(`q=${'a'.repeat(101)}`).problems.q).toMatch(/too long/));
});

describe('adminListSearch', () => {
  it('leaves defaults out and round-trips through the parser', () => {
    expect(adminListSearch({ sort: 'title', page: 1 })).toBe('');
    const s = adminListSearch({ q: 'a&b', stock: 'out', sort: 'stock', page: 2 });
    expect(s).toBe('?q=a%26b&stock=out&sort=stock&page=2');
    expect(q(s.slice(1)).query).toEqual({ q: 'a&b', stock: 'out', sort: 'stock', page: 2 });
  });
});

describe('stockStateOf', () => {
  it('out with nothing on hand, low when an active variant is at or under 3, in otherwise', () => {
    expect(stockStateOf([])).toBe('out');
    expect(stockStateOf([0, 0])).toBe('out');
    expect(stockStateOf([0, 10])).toBe('low');
    expect(stockStateOf([3, 10])).toBe('low');
    expect(stockStateOf([4, 10])).toBe('in');
  });
});

describe('parseBulkForm', () => {
  it('reads the action and the selected ids (once each)', () => {
    expect(parseBulkForm(form([['bulk', 'deactivate'], ['id', '3'], ['id', '4'], ['id', '3']]))).toEqual({ ok: true, value: { action: 'deactivate', ids: [3, 4] } });
    expect(parseBulkForm(form([['bulk', 'set_category'], ['id', '3'], ['category', 'tops']]))).toEqual({ ok: true, value: { action: 'set_category', ids: [3], category: 'tops' } });
  });
  it('says what is missing', () => {
    expect(parseBulkForm(form([['bulk', '']]))).toMatchObject({ ok: false, message: 'Choose what to do with the selected products.' });
    expect(parseBulkForm(form([['bulk', 'activate']]))).toMatchObject({ ok: false, message: expect.stringMatching(/Select at least one product/) });
    expect(parseBulkForm(form([['bulk', 'set_category'], ['id', '1']]))).toMatchObject({ ok: false, message: expect.stringMatching(/Choose the category/) });
    expect(parseBulkForm(form([['bulk', 'activate'], ['id', 'x']]))).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('bulkMessage', () => {
  it('says what happened in words', () => {
    expect(bulkMessage({ changed: 3, action: 'deactivate' }, 3)).toBe('3 products deactivated.');
    expect(bulkMessage({ changed: 1, action: 'activate' }, 2)).toBe('1 product activated (1 already active).');
    expect(bulkMessage({ changed: 2, action: 'set_category', categoryName: 'Outerwear' }, 2)).toBe('2 products moved to Outerwear.');
    expect(bulkMessage({ changed: 0, action: 'deactivate' }, 1)).toMatch(/^Nothing changed: the selected product was already inactive/);
  });
});
