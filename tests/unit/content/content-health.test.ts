/**
 * Content health's pure rules: a card's problems in the creator's words (shop money, never cents),
 * content:check's studio rule, and finding / swapping a card in a saved draft by its id.
 */
import { describe, expect, it } from 'vitest';
import type { ProductView, VariantView } from '../../../src/server/catalog/index.ts';
import {
  attentionLabel,
  cardProblems,
  checkStudioRefs,
  draftCards,
  flaggedCards,
  postCardHealth,
  swapCardInSource,
} from '../../../src/server/content/index.ts';
import { formatMoney } from '../../../src/server/shared/index.ts';

const money = (minor: number) => formatMoney(minor, { currency: 'USD', locale: 'en-US' });

function variant(sku: string, over: Partial<VariantView> = {}): VariantView {
  return { id: 1, sku, size: 'M', colour: null, colourHex: null, imagePath: null, priceCents: 4200, compareAtCents: null, available: 5, ...over };
}

function product(over: Partial<ProductView> = {}): ProductView {
  return {
    id: 1,
    slug: 'linen-shirt',
    name: 'Linen Shirt',
    description: '',
    imagePath: '/x.svg',
    active: true,
    brand: { slug: 'tide', name: 'Tide' },
    category: { slug: 'tops', name: 'Tops' },
    variants: [variant('LS-S', { size: 'S' }), variant('LS-M')],
    priceValidUntil: null,
    sale: null,
    presale: null,
    ...over,
  };
}

const card = { card: 3, slug: 'linen-shirt', component: 'ProductCard' as const, priceCents: 4200 };

describe('cardProblems', () => {
  it('says nothing about a healthy card', () => {
    expect(cardProblems(card, product(), money)).toEqual([]);
  });

  it('flags a product the shop no longer has', () => {
    const [p] = cardProblems(card, undefined, money);
    expect(p).toMatchObject({ kind: 'unknown' });
    expect(p!.message).toContain('no longer in the shop');
  });

  it('flags an inactive product', () => {
    expect(cardProblems(card, product({ active: false }), money)).toEqual([{ kind: 'inactive', message: 'The Linen Shirt is no longer sold — the shop took it off sale.' }]);
  });

  it('flags a product with no option in stock', () => {
    const p = product({ variants: [variant('LS-S', { available: 0 }), variant('LS-M', { available: 0 })] });
    expect(cardProblems(card, p, money)).toEqual([{ kind: 'sold_out', message: 'The Linen Shirt is sold out in every option.' }]);
    expect(cardProblems(card, product({ variants: [] }), money)[0]!.kind).toBe('sold_out');
  });

  it('flags the chosen size sold out, in words', () => {
    const p = product({ variants: [variant('LS-S', { size: 'S' }), variant('LS-M', { available: 0 })] });
    const [problem] = cardProblems({ ...card, variant: 'LS-M' }, p, money);
    expect(problem!.kind).toBe('variant_sold_out');
    expect(problem!.message).toMatch(/^The Linen Shirt in size M is sold out/);
  });

  it('flags a chosen option that is no longer sold', () => {
    expect(cardProblems({ ...card, variant: 'LS-XL' }, product(), money).map((p) => p.kind)).toEqual(['variant_gone']);
  });

  it('flags a new price as old → new in shop money, never cents', () => {
    const p = product({ variants: [variant('LS-M', { priceCents: 4800 })] });
    const [problem] = cardProblems(card, p, money);
    expect(problem).toEqual({ kind: 'repriced', message: 'Now $48.00, was $42.00 when you published.', wasCents: 4200, nowCents: 4800 });
    expect(problem!.message).not.toMatch(/4800|4200/);
  });

  it('does not call a draft card repriced (no price at publish)', () => {
    const p = product({ variants: [variant('LS-M', { priceCents: 4800 })] });
    expect(cardProblems({ ...card, priceCents: null }, p, money)).toEqual([]);
  });

  it('compares the price of the option the card shows', () => {
    const p = product({ variants: [variant('LS-S', { size: 'S', priceCents: 3900 }), variant('LS-M', { priceCents: 4200 })] });
    expect(cardProblems({ ...card, variant: 'LS-M' }, p, money)).toEqual([]);
    expect(cardProblems({ ...card, variant: 'LS-S' }, p, money).map((x) => x.kind)).toEqual(['repriced']);
  });
});

describe('postCardHealth', () => {
  it('lists every card with its problems and counts the flagged ones', () => {
    const products = new Map([['linen-shirt', product()], ['wool-coat', product({ slug: 'wool-coat', name: 'Wool Coat', active: false })]]);
    const health = postCardHealth([card, { card: 4, slug: 'wool-coat', component: 'ShopTheLook' }, { card: 5, slug: 'gone', component: 'ShopTheLook' }], products, money);
    expect(health.map((h) => [h.card, h.name, h.problems.map((p) => p.kind)])).toEqual([
      [3, 'Linen Shirt', []],
      [4, 'Wool Coat', ['inactive']],
      [5, null, ['unknown']],
    ]);
    expect(flaggedCards(health).map((h) => h.card)).toEqual([4, 5]);
    expect(attentionLabel(1)).toBe('1 card needs attention');
    expect(attentionLabel(2)).toBe('2 cards need attention');
  });
});

describe('checkStudioRefs', () => {
  it('reports unknown, inactive and variantless products and unknown variants, in content:check words', () => {
    const products = new Map([['linen-shirt', product()], ['off', product({ active: false })], ['empty', product({ variants: [] })]]);
    const problems = checkStudioRefs(
      [{ path: 'studio/ana/linen', refs: [{ slug: 'linen-shirt', line: 2 }, { slug: 'nope', line: 4 }, { slug: 'off', line: 6 }, { slug: 'empty', line: 8 }, { slug: 'linen-shirt', variant: 'LS-XL', line: 10 }] }],
      products,
    );
    expect(problems.map((p) => [p.line, p.problem])).toEqual([
      [4, 'unknown_product'],
      [6, 'inactive_product'],
      [8, 'no_active_variants'],
      [10, 'unknown_variant'],
    ]);
    expect(problems[0]!.message).toBe('no product "nope" in the catalog');
  });
});

describe('draft cards and swaps', () => {
  const source = [
    'Intro with `<ProductCard product="not-a-card" />` in code.',
    '',
    '<ProductCard card={4} product="linen-shirt" variant="LS-M" />',
    '',
    '```mdx',
    '<ProductCard card={9} product="in-a-fence" />',
    '```',
    '',
    '<ShopTheLook cards="1 2" products={["wool-coat", "silk-scarf"]} title="Autumn" />',
    '',
  ].join('\n');

  it('finds every card by its id, skipping code', () => {
    expect(draftCards(source)).toEqual([
      { card: 4, slug: 'linen-shirt', variant: 'LS-M', component: 'ProductCard', line: 3 },
      { card: 1, slug: 'wool-coat', component: 'ShopTheLook', line: 9 },
      { card: 2, slug: 'silk-scarf', component: 'ShopTheLook', line: 9 },
    ]);
  });

  it('swaps a ProductCard product, drops the old variant and keeps the card id', () => {
    const r = swapCardInSource(source, 4, { slug: 'cotton-shirt' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toContain('<ProductCard card={4} product="cotton-shirt" />');
    expect(r.previous).toMatchObject({ slug: 'linen-shirt', variant: 'LS-M' });
    expect(r.source.replace('<ProductCard card={4} product="cotton-shirt" />', '<ProductCard card={4} product="linen-shirt" variant="LS-M" />')).toBe(source);
  });

  it('can set a variant on the new product', () => {
    const r = swapCardInSource(source, 4, { slug: 'cotton-shirt', variant: 'CS-L' });
    expect(r.ok && r.source).toContain('<ProductCard card={4} product="cotton-shirt" variant="CS-L" />');
  });

  it('swaps one product of a look, keeping its cards', () => {
    const r = swapCardInSource(source, 2, { slug: 'wool-scarf' });
    expect(r.ok && r.source).toContain('<ShopTheLook cards="1 2" products={["wool-coat", "wool-scarf"]} title="Autumn" />');
    expect(r.ok && draftCards(r.source).map((c) => `${c.card}:${c.slug}`)).toEqual(['4:linen-shirt', '1:wool-coat', '2:wool-scarf']);
  });

  it('refuses an unknown card and anything that is not a product name', () => {
    expect(swapCardInSource(source, 9, { slug: 'x-shirt' })).toEqual({ ok: false, reason: 'unknown_card' });
    expect(swapCardInSource(source, 4, { slug: 'x" onClick="y' })).toEqual({ ok: false, reason: 'invalid' });
    expect(swapCardInSource(source, 4, { slug: 'ok', variant: 'A"B' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('reads nothing from a source it cannot parse', () => {
    expect(draftCards('<ProductCard card={1} product="x"')).toEqual([]);
  });
});
