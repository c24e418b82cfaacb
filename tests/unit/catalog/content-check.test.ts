import { describe, expect, it } from 'vitest';
import { checkContentRefs, splitFrontMatter } from '../../../src/server/content/index.ts';

const post = `---
title: A post
creator: maya
---

Intro.

<ProductCard product="live-tee" />

<ProductCard product="retired-coat" />

<ShopTheLook products={["live-tee", "ghost-bag", "empty-scarf"]} />
`;

describe('content check', () => {
  it('counts front-matter lines so reported lines match the file', () => {
    expect(splitFrontMatter(post).offset).toBe(4);
  });
  it('lists every broken reference with file, line and product', () => {
    const problems = checkContentRefs(
      [{ path: 'src/content/posts/a.mdx', text: post }],
      [
        { slug: 'live-tee', active: true, variants: 2 },
        { slug: 'retired-coat', active: false, variants: 1 },
        { slug: 'empty-scarf', active: true, variants: 0 },
      ],
    );
    expect(problems.map((p) => [p.line, p.product, p.problem])).toEqual([
      [10, 'retired-coat', 'inactive_product'],
      [12, 'ghost-bag', 'unknown_product'],
      [12, 'empty-scarf', 'no_active_variants'],
    ]);
    expect(problems[0]?.path).toBe('src/content/posts/a.mdx');
  });
  it('refuses a card id typed by the author (ids are assigned when the post is compiled)', () => {
    const problems = checkContentRefs([{ path: 'c.mdx', text: '<ProductCard card={3} product="x" />' }], [{ slug: 'x', active: true, variants: 1 }]);
    expect(problems.map((p) => [p.line, p.problem])).toEqual([[1, 'authored_card_id']]);
  });
  it('passes a post whose cards are all live', () => {
    expect(checkContentRefs([{ path: 'b.mdx', text: '<ProductCard product="x" />' }], [{ slug: 'x', active: true, variants: 1 }])).toEqual([]);
  });
});
