import { describe, expect, it } from 'vitest';
import {
  colourOptions,
  defaultVariant,
  priceSummary,
  saving,
  sizeOptions,
  stockState,
  totalAvailable,
  variantLabel,
  type VariantView,
} from '../../../src/server/catalog/index.ts';
import { sortSizes } from '../../../src/server/catalog/index.ts';

let id = 0;
const v = (o: Partial<VariantView>): VariantView => ({
  id: ++id,
  sku: `S${id}`,
  size: 'M',
  colour: null,
  colourHex: null,
  imagePath: null,
  priceCents: 5000,
  compareAtCents: null,
  available: 5,
  ...o,
});

describe('stock state', () => {
  it('shows a badge only when it matters', () => {
    expect(stockState(10)).toEqual({ kind: 'in_stock' });
    expect(stockState(4)).toEqual({ kind: 'in_stock' });
    expect(stockState(3)).toEqual({ kind: 'low', left: 3 });
    expect(stockState(1)).toEqual({ kind: 'low', left: 1 });
    expect(stockState(0)).toEqual({ kind: 'sold_out' });
    expect(stockState(-2)).toEqual({ kind: 'sold_out' });
  });
  it('never counts negative availability', () => {
    expect(totalAvailable([v({ available: 2 }), v({ available: -1 })])).toBe(2);
  });
});

describe('price summary', () => {
  it('takes the cheapest purchasable variant and says "from" when prices vary', () => {
    const p = priceSummary([v({ priceCents: 9000, available: 0 }), v({ priceCents: 7000 }), v({ priceCents: 8000 })]);
    expect(p).toMatchObject({ fromCents: 7000, varies: true, compareAtCents: null });
  });
  it('ignores a sold-out cheaper variant while others can be bought', () => {
    const p = priceSummary([v({ priceCents: 1000, available: 0 }), v({ priceCents: 3000 })]);
    expect(p?.fromCents).toBe(3000);
  });
  it('computes the saving only for a real compare-at price, rounding the percent down', () => {
    expect(saving(8900, 11900)).toEqual({ compareAtCents: 11900, savingCents: 3000, savingPercent: 25 });
    expect(saving(100, 300)).toEqual({ compareAtCents: 300, savingCents: 200, savingPercent: 66 });
    expect(saving(5000, 5000)).toEqual({ compareAtCents: null, savingCents: 0, savingPercent: 0 });
    expect(saving(5000, 4000)).toEqual({ compareAtCents: null, savingCents: 0, savingPercent: 0 });
  });
  it('has no price without variants', () => {
    expect(priceSummary([])).toBeNull();
  });
});

describe('variants', () => {
  const variants = [
    v({ sku: 'A-S', size: 'S', colour: 'Sand', available: 0 }),
    v({ sku: 'A-M', size: 'M', colour: 'Sand', available: 2 }),
    v({ sku: 'B-S', size: 'S', colour: 'Black', available: 4 }),
  ];
  it('preselects the requested SKU only when it can be bought', () => {
    expect(defaultVariant(variants, 'B-S')?.sku).toBe('B-S');
    expect(defaultVariant(variants, 'A-S')?.sku).toBe('A-M');
    expect(defaultVariant(variants)?.sku).toBe('A-M');
    expect(defaultVariant([v({ sku: 'X', available: 0 })])?.sku).toBe('X');
  });
  it('groups colours and sizes with availability', () => {
    expect(colourOptions(variants).map((c) => [c.colour, c.available])).toEqual([
      ['Sand', 2],
      ['Black', 4],
    ]);
    expect(sizeOptions(variants)).toEqual([
      { size: 'S', available: 4 },
      { size: 'M', available: 2 },
    ]);
    expect(sizeOptions(variants, 'Sand')).toEqual([
      { size: 'S', available: 0 },
      { size: 'M', available: 2 },
    ]);
  });
  it('labels variants for people', () => {
    expect(variantLabel({ size: 'M', colour: 'Sand' })).toBe('Sand / M');
    expect(variantLabel({ size: null, colour: null })).toBe('One size');
  });
  it('sorts sizes in wearing order', () => {
    expect(sortSizes(['L', '38', 'XS', 'One size', 'M', '36', 'S'])).toEqual(['XS', 'S', 'M', 'L', 'One size', '36', '38']);
  });
});
