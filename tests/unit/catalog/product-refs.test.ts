import { describe, expect, it } from 'vitest';
import { extractProductRefs, productSlugs } from '../../../src/server/content/index.ts';

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
    expect(refs).toEqual([
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
    expect(extractProductRefs('<ProductCard />')).toEqual([{ slug: '', component: 'ProductCard', line: 1, position: 0 }]);
  });
});
