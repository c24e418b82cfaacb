import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { guardFormula, unguardFormula } from '../../../src/server/shared/index.ts';
import { readProductCsv, writeProductCsv, type ExportProduct } from '../../../src/server/catalog/product-csv.ts';

describe('guardFormula', () => {
  it.each(['=1+2', '+1', '-2', '@SUM(A1)', '  =HYPERLINK("http://x")', '\tx', '\rx'])('guards %j with an apostrophe', (t) => {
    expect(guardFormula(t)).toBe(`'${t}`);
  });
  it.each(['Linen shirt', "'tis the season", '2-pack', 'a=b', ''])('leaves %j alone', (t) => expect(guardFormula(t)).toBe(t));
  it('guards an apostrophe typed before a formula, so reading back keeps it', () => {
    expect(guardFormula("'=x")).toBe("''=x");
    expect(unguardFormula("''=x")).toBe("'=x");
  });
  it('reading back gives exactly what was written, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }).map((t) => (Math.random() < 0.5 ? `'${t}` : t)), (t) => unguardFormula(guardFormula(t)) === t), { numRuns: 500 });
    for (const t of ["'", "''", "'=", '=', "'''+1", ' @']) expect(unguardFormula(guardFormula(t))).toBe(t);
  });
});

describe('product CSV export', () => {
  const p: ExportProduct = {
    slug: 'evil', name: '=HYPERLINK("http://evil.example","click")', brandSlug: 'acme', categorySlug: 'tops', tags: ['@risk'], description: '+cmd|calc',
    seoTitle: '-1', seoDescription: null, active: true, archived: false,
    variants: [{ sku: 'EV-1', size: '=S', colour: null, priceCents: 2400, compareAtCents: null, stockOnHand: 1, active: true }],
  };
  it('writes no cell that a spreadsheet would run as a formula', () => {
    const cells = (parse(writeProductCsv([p])) as string[][]).slice(1).flat();
    expect(cells).toContain("'=S");
    for (const cell of cells) expect(cell).not.toMatch(/^\s*[=+\-@\t\r]/);
  });
  it('reads its own guarded cells back as they were typed', () => {
    const read = readProductCsv(writeProductCsv([p]));
    expect(read.ok && read.rows[0]!.cells).toMatchObject({ title: p.name, tags: '@risk', description: '+cmd|calc', seo_title: '-1', size: '=S', price: '24.00' });
  });
});
