import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, checkProductRows, parseTags, readProductCsv, writeProductCsv, type CatalogSnapshot, type ExportProduct } from '../../../src/server/catalog/index.ts';

const HEADER = CSV_COLUMNS.join(',');
const noHtml = (md: string) => (md.includes('<') ? 'A product description cannot hold HTML or shop blocks.' : null);
const snap = (): CatalogSnapshot => ({
  brands: [{ id: 1, slug: 'acme', name: 'Acme' }, { id: 2, slug: 'north', name: 'North & Co' }],
  categories: [{ id: 10, slug: 'tops', name: 'Tops' }, { id: 11, slug: 'outerwear', name: 'Outerwear' }],
  products: new Map([['wool-coat', { id: 100, name: 'Wool coat' }]]),
  formerSlugs: new Map([['old-coat', { id: 100, name: 'Wool coat', slug: 'wool-coat' }]]),
  skus: new Map([['COAT-S', { id: 500, productId: 100, productSlug: 'wool-coat', productName: 'Wool coat', stockOnHand: 5 }]]),
});
const row = (cells: Partial<Record<(typeof CSV_COLUMNS)[number], string>>) => CSV_COLUMNS.map((c) => cells[c] ?? '').map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
const good = { handle: 'linen-shirt', title: 'Linen shirt', brand: 'acme', category: 'tops', active: 'yes', archived: 'no', sku: 'LS-S', size: 'S', price: '24.00', stock: '4', variant_active: 'yes' };
const check = (...rows: string[]) => {
  const read = readProductCsv([HEADER, ...rows].join('\r\n'));
  if (!read.ok || read.problems.length) return { ok: false as const, problems: read.problems };
  return checkProductRows(read.rows, snap(), { checkDescription: noHtml });
};

describe('readProductCsv', () => {
  it('reads quoted cells with commas, quotes and line breaks, and a BOM', () => {
    const r = readProductCsv(`\uFEFF${HEADER}\n${row({ ...good, description: 'Soft, "light"\nand cool' })}\n`);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.rows[0]).toMatchObject({ line: 2, cells: { description: 'Soft, "light"\nand cool', sku: 'LS-S' } });
  });
  it('gives the line where a row starts, after a multi-line cell', () => {
    const r = readProductCsv(`${HEADER}\n${row({ ...good, description: 'a\nb\nc' })}\n${row({ ...good, sku: 'LS-M' })}\n`);
    expect(r.ok && r.rows.map((x) => x.line)).toEqual([2, 5]);
  });
  it('refuses unknown and missing columns by name, and a row with the wrong cell count by line', () => {
    const r = readProductCsv('handle,title,colour_hex\na,b,c');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.message).toMatch(/“colour_hex”, which is not a column/);
      expect(r.problems.at(-1)!.message).toMatch(/missing the columns brand, category/);
    }
    const bad = readProductCsv(`${HEADER}\n${row(good)},extra\n${row({ ...good, sku: 'LS-M' })}`);
    expect(bad).toMatchObject({ ok: true, problems: [{ line: 2, column: null, message: expect.stringMatching(/18 cells; the header has 17/) }] });
    // The other rows are still read, so one dry run lists every problem.
    expect(bad.ok && bad.rows.map((r) => r.line)).toEqual([3]);
  });
  it('refuses what is not CSV in words', () => {
    const r = readProductCsv(`${HEADER}\n"unclosed,x`);
    expect(r).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/not a readable CSV file/) }] });
    expect(readProductCsv('')).toMatchObject({ ok: false, problems: [{ message: expect.stringMatching(/empty/) }] });
  });
});

describe('checkProductRows', () => {
  it('plans a clean file: money in shop units, brand and category by slug or name, tags split', () => {
    const r = check(row({ ...good, brand: 'North & Co', tags: 'summer, linen,, Summer', compare_at: '30.00' }), row({ handle: 'linen-shirt', sku: 'LS-M', size: 'M', price: '24', stock: '0' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan).toHaveLength(1);
    expect(r.plan[0]).toMatchObject({ slug: 'linen-shirt', title: 'Linen shirt', brandId: 2, categoryId: 10, tags: ['summer', 'linen'], existingId: null, active: true, archived: false });
    expect(r.plan[0]!.variants.map((v) => [v.sku, v.priceCents, v.compareAtCents, v.stockOnHand, v.active, v.existing])).toEqual([
      ['LS-S', 2400, 3000, 4, true, null],
      ['LS-M', 2400, null, 0, true, null],
    ]);
  });
  it('matches an existing product by handle and its variant by SKU, with the stock it saw', () => {
    const r = check(row({ ...good, handle: 'wool-coat', title: 'Wool coat', sku: 'COAT-S', stock: '7' }));
    expect(r.ok && r.plan[0]!.existingId).toBe(100);
    expect(r.ok && r.plan[0]!.variants[0]!.existing).toEqual({ id: 500, stockSeen: 5 });
  });
  it('lists every problem with its line, column and why — and plans nothing', () => {
    const r = check(
      row({ ...good, title: '', brand: 'nobody', category: 'shoes', price: '24,00', compare_at: '20.00', stock: '-1', active: 'sometimes' }),
      row({ ...good, handle: 'other-shirt', sku: 'LS-S' }),
      row({ ...good, handle: 'thief', sku: 'COAT-S' }),
      row({ ...good, handle: 'Bad Handle' }),
      row({ ...good, handle: 'old-coat', sku: 'X-1' }),
      row({ ...good, handle: 'linen-shirt', title: 'Another title', sku: 'LS-L', price: '' }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const at = (line: number, column: string | null) => r.problems.filter((p) => p.line === line && p.column === column).map((p) => p.message);
    expect(at(2, 'title')).toEqual(['Missing title.']);
    expect(at(2, 'brand')[0]).toMatch(/Unknown brand “nobody”/);
    expect(at(2, 'category')[0]).toMatch(/Unknown category “shoes”/);
    expect(at(2, 'price')[0]).toMatch(/Price “24,00”: Use a dot for decimals/);
    expect(at(2, 'stock')[0]).toMatch(/not a whole number/);
    expect(at(2, 'active')[0]).toMatch(/not yes or no/);
    expect(at(3, 'sku')[0]).toBe('The SKU LS-S is already on line 2 (linen-shirt): each variant has its own SKU.');
    expect(at(4, 'sku')[0]).toBe('The SKU COAT-S belongs to another product, Wool coat (wool-coat).');
    expect(at(5, 'handle')[0]).toMatch(/is not a handle/);
    expect(at(6, 'handle')[0]).toMatch(/former address of Wool coat \(now wool-coat\)/);
    expect(at(7, 'title')[0]).toMatch(/Differs from line 2/);
    expect(at(7, 'price')).toEqual(['Missing price.']);
  });
  it('wants the compare-at price above the price', () => {
    const r = check(row({ ...good, compare_at: '24.00' }));
    expect(r).toMatchObject({ ok: false, problems: [{ line: 2, column: 'compare_at', message: expect.stringMatching(/must be above the price/) }] });
  });
  it('reads SKUs in any case as the shop’s upper-case ones (and finds the owner)', () => {
    const r = check(row({ ...good, handle: 'thief', sku: 'coat-s' }));
    expect(r).toMatchObject({ ok: false, problems: [{ line: 2, column: 'sku', message: 'The SKU COAT-S belongs to another product, Wool coat (wool-coat).' }] });
  });
  it('checks the description with the product form’s rule', () => {
    const r = check(row({ ...good, description: 'Hi <ProductCard product="x" />' }));
    expect(r).toMatchObject({ ok: false, problems: [{ line: 2, column: 'description', message: expect.stringMatching(/cannot hold/) }] });
  });
  it('refuses a header with no rows', () => expect(check()).toMatchObject({ ok: false, problems: [{ message: 'The file has a header but no rows.' }] }));
});

describe('writeProductCsv', () => {
  const p: ExportProduct = {
    slug: 'linen-shirt',
    name: 'Linen shirt, "the" one',
    brandSlug: 'acme',
    categorySlug: 'tops',
    tags: ['summer', 'linen'],
    description: 'Line one\nline two',
    seoTitle: null,
    seoDescription: 'Cool',
    active: true,
    archived: false,
    variants: [{ sku: 'LS-S', size: 'S', colour: null, priceCents: 2400, compareAtCents: 3000, stockOnHand: 4, active: true }],
  };
  it('writes money in shop units, yes/no, and quotes what needs it', () => {
    const text = writeProductCsv([p, { ...p, slug: 'bare', variants: [] }]);
    expect(text.split('\r\n')[0]).toBe(HEADER);
    expect(text).toContain('"Linen shirt, ""the"" one"');
    expect(text).toContain(',LS-S,S,,24.00,30.00,4,yes');
    expect(text).not.toContain('2400');
  });
  it('keeps a description exactly (spaces and line breaks), only CRLF read as LF', () => {
    const read = readProductCsv(writeProductCsv([{ ...p, description: '  Indented\n\nand a last line\n' }]).replace('last line\n', 'last line\r\n'));
    const r = read.ok ? checkProductRows(read.rows, snap(), { checkDescription: noHtml }) : null;
    expect(r?.ok && r.plan[0]!.description).toBe('  Indented\n\nand a last line\n');
  });
  it('reads back to the same plan (the file round-trips)', () => {
    const read = readProductCsv(writeProductCsv([p]));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const r = checkProductRows(read.rows, snap(), { checkDescription: noHtml });
    expect(r.ok && r.plan[0]).toMatchObject({ slug: 'linen-shirt', title: p.name, tags: p.tags, description: p.description, seoTitle: null, seoDescription: 'Cool' });
  });
});

describe('parseTags', () => {
  it('splits on commas, trims, drops empties and repeats', () => expect(parseTags(' a , b,,A, c  d ')).toEqual(['a', 'b', 'c d']));
});

describe('round-trip (property)', () => {
  // Text as the product form stores it: titles and SEO fields trimmed with single spaces, tags
  // without commas, descriptions anything without a carriage return.
  // Within the form's limits (counted in UTF-16 units, as the check counts them).
  const tidy = (max: number) => fc.string({ unit: 'grapheme', maxLength: max }).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t.length <= max);
  const product = fc.record({
    name: tidy(120).filter((t) => t.length > 0),
    description: fc.string({ unit: 'grapheme', maxLength: 200 }).map((t) => t.replace(/\r/g, '')),
    tags: fc.uniqueArray(tidy(30).map((t) => t.replace(/,/g, '').trim()).filter((t) => t.length > 0), { maxLength: 4, comparator: (a, b) => a.toLowerCase() === b.toLowerCase() }),
    seoTitle: fc.option(tidy(70).filter((t) => t.length > 0), { nil: null }),
    price: fc.integer({ min: 0, max: 9_999_999 }),
    compareAt: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
    stock: fc.integer({ min: 0, max: 1_000_000 }),
    active: fc.boolean(),
    size: fc.option(tidy(24).filter((t) => t.length > 0), { nil: null }),
  });
  it('writing then reading any product gives back the same values', () => {
    fc.assert(
      fc.property(product, (x) => {
        const compareAtCents = x.compareAt === null ? null : Math.min(x.price + x.compareAt, 10_000_000);
        const p: ExportProduct = {
          slug: 'any-product', name: x.name, brandSlug: 'acme', categorySlug: 'tops', tags: x.tags, description: x.description,
          seoTitle: x.seoTitle, seoDescription: null, active: x.active, archived: false,
          variants: [{ sku: 'ANY-1', size: x.size, colour: null, priceCents: x.price, compareAtCents: compareAtCents === x.price ? null : compareAtCents, stockOnHand: x.stock, active: !x.active }],
        };
        const read = readProductCsv(writeProductCsv([p]));
        expect(read.ok && read.problems).toEqual([]);
        if (!read.ok) return;
        const r = checkProductRows(read.rows, snap(), { checkDescription: () => null });
        expect(r.ok ? [] : r.problems).toEqual([]);
        if (!r.ok) return;
        const got = r.plan[0]!;
        const v = got.variants[0]!;
        expect([got.title, got.description, got.tags, got.seoTitle, got.active]).toEqual([p.name, p.description, p.tags, p.seoTitle, p.active]);
        expect([v.size, v.priceCents, v.compareAtCents, v.stockOnHand, v.active]).toEqual([p.variants[0]!.size, p.variants[0]!.priceCents, p.variants[0]!.compareAtCents, p.variants[0]!.stockOnHand, p.variants[0]!.active]);
      }),
      { numRuns: 300 },
    );
  });
});
