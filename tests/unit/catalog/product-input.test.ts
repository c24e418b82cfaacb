import { describe, expect, it } from 'vitest';
import { gridIndex, parseAxisValues, parseColourValues, parseProductForm, regridRows, slugFromTitle, stockChangedMessage, variantGrid, type DescriptionCheck } from '../../../src/server/catalog/index.ts';
import { checkProductDescription } from '../../../src/server/flows/product-admin.ts';

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
const ok: DescriptionCheck = () => null;
const base = {
  title: 'Organic Cotton Tee',
  slug: '',
  description: 'Soft **organic** cotton.',
  brandId: '1',
  categoryId: '2',
  tags: 'Basics, cotton, basics',
  seoTitle: '',
  seoDescription: '',
  sizes: 'S, M',
  colours: '',
  active: 'on',
  v0_size: 'S',
  v0_colour: '',
  v0_sku: 'tee-s',
  v0_price: '29.00',
  v0_compareAt: '',
  v0_stock: '5',
  v0_active: 'on',
  v1_size: 'M',
  v1_colour: '',
  v1_sku: 'TEE-M',
  v1_price: '29',
  v1_compareAt: '39.00',
  v1_stock: '7',
  v1_active: 'on',
};

describe('parseProductForm', () => {
  it('normalises a good form: slug from the title, tags deduplicated, SKUs upper-case, money exact', () => {
    const r = parseProductForm(form(base), { checkDescription: ok });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ title: 'Organic Cotton Tee', slug: 'organic-cotton-tee', brandId: 1, categoryId: 2, tags: ['basics', 'cotton'], seoTitle: null, active: true, sizes: ['S', 'M'], colours: [] });
    expect(r.value.variants).toEqual([
      { id: null, size: 'S', colour: null, sku: 'TEE-S', priceCents: 2900, compareAtCents: null, stockOnHand: 5, stockWas: null, active: true },
      { id: null, size: 'M', colour: null, sku: 'TEE-M', priceCents: 2900, compareAtCents: 3900, stockOnHand: 7, stockWas: null, active: true },
    ]);
  });

  it('gives each bad field a message in words', () => {
    const r = parseProductForm(
      form({ ...base, title: '', slug: 'Bad Slug!', brandId: '', categoryId: 'x', seoTitle: 'x'.repeat(71), seoDescription: 'y'.repeat(161), v0_sku: 'TEE M', v0_price: '1,299', v1_compareAt: '20', v1_stock: '-1' }),
      { checkDescription: ok },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors).toMatchObject({
      title: 'Give the product a title.',
      slug: expect.stringContaining('lowercase letters, digits and single dashes'),
      brandId: 'Choose a brand.',
      categoryId: 'Choose a category.',
      seoTitle: expect.stringContaining('70 or fewer (it has 71)'),
      seoDescription: expect.stringContaining('160 or fewer (it has 161)'),
      v0_sku: expect.stringContaining('S: a SKU has'),
      v0_price: expect.stringContaining('no thousands separators'),
      v1_compareAt: 'M: the compare-at price must be above the price (leave it empty when it is not on sale).',
      v1_stock: 'M: stock on hand is a whole number of units (0 or more).',
    });
    for (const m of Object.values(r.fieldErrors)) expect(m).not.toMatch(/Invalid|expected|cents|undefined/);
  });

  it('refuses the same SKU twice in one form', () => {
    const r = parseProductForm(form({ ...base, v1_sku: 'TEE-S' }), { checkDescription: ok });
    expect(!r.ok && r.fieldErrors.v1_sku).toBe('M: SKU TEE-S is also used by S above — each variant needs its own.');
  });

  it('asks to update the grid when the axes changed without it', () => {
    const r = parseProductForm(form({ ...base, sizes: 'S, M, L' }), { checkDescription: ok });
    expect(!r.ok && r.fieldErrors.variants).toMatch(/Update the variant grid/);
  });

  it('skips a new combination without a SKU, but an existing variant keeps its SKU', () => {
    const r = parseProductForm(form({ ...base, v1_sku: '' }), { checkDescription: ok });
    expect(r.ok && r.value.variants.map((v) => v.sku)).toEqual(['TEE-S']);
    const e = parseProductForm(form({ ...base, v1_sku: '', v1_id: '9', v1_stockWas: '7' }), { checkDescription: ok });
    expect(!e.ok && e.fieldErrors.v1_sku).toMatch(/keep a SKU/);
  });

  it('carries the stock the admin saw for existing variants', () => {
    const r = parseProductForm(form({ ...base, v0_id: '3', v0_stockWas: '4' }), { checkDescription: ok });
    expect(r.ok && r.value.variants[0]).toMatchObject({ id: 3, stockOnHand: 5, stockWas: 4 });
    const stale = parseProductForm(form({ ...base, v0_id: '3' }), { checkDescription: ok });
    expect(!stale.ok && stale.fieldErrors.v0_stock).toMatch(/out of date/);
  });

  it('refuses shop blocks and MDX expressions in the description (the studio allow-list)', () => {
    const card = parseProductForm(form({ ...base, description: 'Nice.\n\n<ProductCard product="tee" />' }), { checkDescription: checkProductDescription });
    expect(!card.ok && card.fieldErrors.description).toMatch(/cannot hold shop blocks/);
    const expr = parseProductForm(form({ ...base, description: 'Price {1 + 1}' }), { checkDescription: checkProductDescription });
    expect(!expr.ok && expr.fieldErrors.description).toBeTruthy();
    const html = parseProductForm(form({ ...base, description: '<script>alert(1)</script>' }), { checkDescription: checkProductDescription });
    expect(html.ok).toBe(false);
    const md = parseProductForm(form({ ...base, description: '## Fit\n\n- True to size\n- [Care](https://example.com)' }), { checkDescription: checkProductDescription });
    expect(md.ok).toBe(true);
  });
});

describe('variant grid', () => {
  it('is every combination, colour by colour; none is one variant', () => {
    expect(variantGrid(['S', 'M'], ['Black', 'Navy'])).toEqual([
      { size: 'S', colour: 'Black' },
      { size: 'M', colour: 'Black' },
      { size: 'S', colour: 'Navy' },
      { size: 'M', colour: 'Navy' },
    ]);
    expect(variantGrid([], [])).toEqual([{ size: null, colour: null }]);
  });

  it('keeps what was typed for combinations that stay', () => {
    const rows = regridRows(['S', 'L'], [], [
      { id: '1', size: 's', colour: '', sku: 'TEE-S', price: '29.00', compareAt: '', stock: '5', stockWas: '5', active: true },
      { id: '2', size: 'M', colour: '', sku: 'TEE-M', price: '29.00', compareAt: '', stock: '7', stockWas: '7', active: true },
    ]);
    expect(rows.map((r) => [r.size, r.sku, r.id])).toEqual([
      ['S', 'TEE-S', '1'],
      ['L', '', ''],
    ]);
  });

  it('parses axis values and slugs', () => {
    expect(parseAxisValues('S, m ,M,,L')).toEqual(['S', 'm', 'L']);
    expect(slugFromTitle('Crème Linen Shirt — 2026!')).toBe('creme-linen-shirt-2026');
  });
});

describe('stock compare-and-set words', () => {
  it('says what changed, sold or added, and what to do', () => {
    expect(stockChangedMessage('M', 7, 5)).toBe('M: 2 sold since you opened this page: stock is now 5, not 7 — check and save again.');
    expect(stockChangedMessage('The product', 1, 3)).toBe('2 added since you opened this page (a refund or another edit): stock is now 3, not 1 — check and save again.');
  });
  it('finds a variant\'s row in the grid', () => {
    expect(gridIndex({ sizes: ['S', 'M'], colours: ['Black', 'Navy'] }, { size: 'm', colour: 'Navy' })).toBe(3);
    expect(gridIndex({ sizes: [], colours: [] }, { size: null, colour: null })).toBe(0);
  });
});

describe('colours with swatches', () => {
  it('reads "Name #rrggbb" and refuses a bad swatch in words', () => {
    expect(parseColourValues('Navy #1F2A44, Sand, navy')).toEqual({ names: ['Navy', 'Sand'], hex: new Map([['navy', '#1f2a44']]), bad: [] });
    const one = Object.fromEntries(Object.entries({ ...base, sizes: '', colours: 'Navy #1f2a44', v0_size: '', v0_colour: 'Navy' }).filter(([k]) => !k.startsWith('v1_')));
    const r = parseProductForm(form(one), { checkDescription: ok });
    expect(r.ok && r.value.variants[0]).toMatchObject({ colour: 'Navy', colourHex: '#1f2a44' });
    const bad = parseProductForm(form({ ...base, colours: 'Red #f00' }), { checkDescription: ok });
    expect(!bad.ok && bad.fieldErrors.colours).toBe('A swatch colour is written like #1f2a44 (six hex digits after #); "#f00" is not one.');
  });
});
