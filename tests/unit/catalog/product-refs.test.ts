import { describe, expect, it } from 'vitest';
import { assignCardIds, extractProductRefs, productSlugs } from '../../../src/server/content/index.ts';

const body = `Intro paragraph.

<ProductCard product="linen-camp-shirt" />

Some prose.

<ProductCard variant='LCS-SAND-M' product='linen-camp-shirt' />

<ShopTheLook
  products={["wide-leg-trousers", 'suede-loafers']}
/>

\`\`\`mdx
<ProductCard product="not-a-card" />
\`\`\`

<Callout title="Fit">Size down.</Callout>
`;

describe('extractProductRefs', () => {
  it('finds cards and looks in document order with lines and positions', () => {
    const refs = extractProductRefs(body);
    expect(refs.map(({ tagEnd: _, ...r }) => r)).toEqual([
      { slug: 'linen-camp-shirt', component: 'ProductCard', line: 3, position: 0 },
      { slug: 'linen-camp-shirt', variant: 'LCS-SAND-M', component: 'ProductCard', line: 7, position: 1 },
      { slug: 'wide-leg-trousers', component: 'ShopTheLook', line: 9, position: 2 },
      { slug: 'suede-loafers', component: 'ShopTheLook', line: 9, position: 3 },
    ]);
  });
  it('skips fenced code and de-duplicates slugs for the one query', () => {
    const refs = extractProductRefs(body);
    expect(refs.some((r) => r.slug === 'not-a-card')).toBe(false);
    expect(productSlugs(refs)).toEqual(['linen-camp-shirt', 'wide-leg-trousers', 'suede-loafers']);
  });
  it('reports a card without a product attribute as an empty slug (content:check flags it)', () => {
    expect(extractProductRefs('<ProductCard />')).toEqual([{ slug: '', component: 'ProductCard', line: 1, position: 0, tagEnd: 12 }]);
  });
});

describe('assignCardIds (the compile step)', () => {
  const post = `---\ntitle: "A <ProductCard> in the title is not a card"\n---\n${body}`;
  it('writes each block its scanner position, a look its first product\'s, and leaves code and front matter alone', () => {
    const out = assignCardIds(post);
    expect(out).toContain('title: "A <ProductCard> in the title is not a card"');
    expect(out).toContain('<ProductCard card={0} product="linen-camp-shirt" />');
    expect(out).toContain("<ProductCard card={1} variant='LCS-SAND-M' product='linen-camp-shirt' />");
    expect(out).toContain('<ShopTheLook card={2}\n  products={["wide-leg-trousers", \'suede-loafers\']}');
    expect(out).toContain('<ProductCard product="not-a-card" />');
    // Removing what was written in gives the source back: nothing else changed.
    expect(out.replace(/ card=\{\d+\}/g, '')).toBe(post);
  });
  it('ids survive edits of the prose and follow a reorder of the blocks', () => {
    const edited = post.replace('Some prose.', 'Much longer prose,\n\nover two paragraphs.');
    expect(extractProductRefs(assignCardIds(edited).split('---\n')[2]!).map((r) => r.position)).toEqual([0, 1, 2, 3]);
    const swapped = '<ShopTheLook products={["a", "b"]} />\n\n<ProductCard product="c" />';
    expect(assignCardIds(swapped)).toBe('<ShopTheLook card={0} products={["a", "b"]} />\n\n<ProductCard card={2} product="c" />');
  });
  it('leaves an id the author typed (content:check refuses it) rather than writing a second one', () => {
    expect(assignCardIds('<ProductCard card={7} product="x" />')).toBe('<ProductCard card={7} product="x" />');
    expect(extractProductRefs('<ProductCard card={7} product="x" />')[0]!.authoredCard).toBe(true);
  });
});
