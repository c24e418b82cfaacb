/** The studio editor's pure helpers: autosave body and answers, block props, card ids. */
import { describe, expect, it } from 'vitest';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxFromMarkdown, type MdxJsxFlowElement } from 'mdast-util-mdx';
import { mdxjs } from 'micromark-extension-mdxjs';
import {
  autosavePayload,
  blockIds,
  cardPreviewHref,
  imagesWithoutAlt,
  linkAllowed,
  lookChanges,
  lookJsx,
  parseSlugList,
  productCardChanges,
  productCardJsx,
  readCallout,
  readLook,
  readProductCard,
  readSaveResponse,
  saveReconcile,
  savedAtLabel,
  setAttrs,
  slugListExpression,
  withoutCardIds,
} from '../../../src/components/studio/editor-model.ts';

/** The element as MDXEditor holds it: parsed by the same MDX syntax. */
const el = (mdx: string) => {
  const tree = fromMarkdown(mdx, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
  return tree.children[0] as MdxJsxFlowElement;
};

describe('autosavePayload', () => {
  it('reads the named fields of the form, as text, with the draft version', () => {
    const form = new FormData();
    form.set('title', 'Autumn layers');
    form.set('slug', '');
    form.set('tags', 'knit, wool');
    form.set('body', '## Hi');
    form.set('heroFile', new Blob(['x']), 'x.png');
    form.set('intent', 'save');
    const p = autosavePayload(form, 3);
    expect(p).toEqual({
      draftVersion: 3,
      fields: { title: 'Autumn layers', slug: '', summary: '', kind: '', tags: 'knit, wool', heroMediaId: '', heroAlt: '', body: '## Hi' },
    });
  });
});

describe('readSaveResponse', () => {
  it('a save: the new version, when, and the body the server kept', () => {
    const r = readSaveResponse(200, { ok: true, draftVersion: 4, savedAt: '2026-12-02T10:42:00.000Z', body: 'x' });
    expect(r).toEqual({ kind: 'saved', draftVersion: 4, savedAt: new Date('2026-12-02T10:42:00.000Z'), body: 'x' });
  });
  it('a conflict, with the server message or a fallback', () => {
    expect(readSaveResponse(409, { ok: false, reason: 'conflict', message: 'Saved in another tab.' })).toEqual({ kind: 'conflict', message: 'Saved in another tab.' });
    expect(readSaveResponse(409, null).kind).toBe('conflict');
  });
  it('invalid: problems and field errors, dropping what is not one', () => {
    const r = readSaveResponse(400, { ok: false, message: 'Fix this.', problems: [{ line: 3, column: 1, message: 'Line 3: raw HTML' }, 'junk', { line: 1 }], fieldErrors: { slug: 'Taken.', n: 3 } });
    expect(r).toEqual({ kind: 'invalid', message: 'Fix this.', problems: [{ line: 3, column: 1, message: 'Line 3: raw HTML' }], fieldErrors: { slug: 'Taken.' } });
  });
  it('other failures: retried only when waiting can help', () => {
    expect(readSaveResponse(0, null)).toMatchObject({ kind: 'failed', retry: true });
    expect(readSaveResponse(502, '<html>')).toMatchObject({ kind: 'failed', retry: true });
    expect(readSaveResponse(401, { ok: false, message: 'Your session has ended.' })).toEqual({ kind: 'failed', message: 'Your session has ended.', retry: false });
    expect(readSaveResponse(413, {})).toMatchObject({ kind: 'failed', retry: false });
    // A 200 that is not a save (a login page, a proxy) is not taken for one.
    expect(readSaveResponse(200, { ok: true })).toMatchObject({ kind: 'failed' });
  });
});

describe('block props', () => {
  it('reads a ProductCard, keeping the server id', () => {
    expect(readProductCard(el('<ProductCard card={3} product="linen-shirt" variant="LIN-M" />'))).toEqual({ product: 'linen-shirt', variant: 'LIN-M', card: 3 });
    expect(readProductCard(el('<ProductCard product="tee" />'))).toEqual({ product: 'tee' });
  });
  it('reads a ShopTheLook products list in either quotes, and its title and ids', () => {
    expect(readLook(el(`<ShopTheLook products={["a", 'b']} title="Weekend" cards="4 5" />`))).toEqual({ products: ['a', 'b'], title: 'Weekend', cards: '4 5' });
    expect(readLook(el('<ShopTheLook products={list} />')).products).toEqual([]);
  });
  it('parses only literal slug lists', () => {
    expect(parseSlugList('[]')).toEqual([]);
    expect(parseSlugList(' [ "a" ,"b-c" ] ')).toEqual(['a', 'b-c']);
    for (const bad of ['a', '["a", b]', '["a"] + x', '[`a`]', '["a\\"b"]']) expect(parseSlugList(bad), bad).toBeNull();
    expect(parseSlugList(slugListExpression(['x', 'y-z']))).toEqual(['x', 'y-z']);
  });
  it('reads a Callout tone, "note" when missing or unknown', () => {
    expect(readCallout(el("<Callout title=\"Fit\" tone=\"tip\">\n\nx\n\n</Callout>"))).toEqual({ title: 'Fit', tone: 'tip' });
    expect(readCallout(el("<Callout tone=\"loud\">\n\nx\n\n</Callout>"))).toEqual({ tone: 'note' });
  });
  it('builds new blocks from a pick', () => {
    expect(productCardJsx({ product: 'tee' })).toEqual({ product: 'tee' });
    expect(productCardJsx({ product: 'tee', variant: 'TEE-M' })).toEqual({ product: 'tee', variant: 'TEE-M' });
    expect(lookJsx({ products: ['a', 'b'], title: '  ' })).toEqual({ products: { type: 'expression', value: '["a", "b"]' } });
    expect(lookJsx({ products: ['a', 'b'], title: 'Weekend' })).toMatchObject({ title: 'Weekend' });
  });
  it('changing a product keeps the other props in place and drops the card id (a new card)', () => {
    const node = el('<ProductCard card={3} product="linen-shirt" variant="LIN-M" />');
    const attrs = setAttrs(node.attributes, productCardChanges({ product: 'wool-coat' }));
    expect(attrs.map((a) => [a.name, a.value])).toEqual([['product', 'wool-coat']]);
    const look = el('<ShopTheLook cards="4 5" products={["a", "b"]} title="Old" />');
    const changed = setAttrs(look.attributes, lookChanges({ products: ['c', 'd', 'e'], title: 'New' }));
    expect(changed.map((a) => [a.name, typeof a.value === 'string' ? a.value : a.value?.value])).toEqual([
      ['products', '["c", "d", "e"]'],
      ['title', 'New'],
    ]);
  });
  it('setting an id keeps every other prop as it was', () => {
    const node = el('<ProductCard product="tee" variant="TEE-M" />');
    expect(setAttrs(node.attributes, { card: { expression: '7' } }).map((a) => a.name)).toEqual(['product', 'variant', 'card']);
  });
});

describe('card ids the server writes', () => {
  const sent = '## Look\n\n<ProductCard product="tee" />\n\n<ShopTheLook products={["a", "b"]} />\n\n```\n<ProductCard product="code" />\n```\n';
  const saved = '## Look\n\n<ProductCard card={0} product="tee" />\n\n<ShopTheLook cards="1 2" products={["a", "b"]} />\n\n```\n<ProductCard product="code" />\n```\n';
  it('lists each block with its ids, skipping fenced code', () => {
    expect(blockIds(saved)).toEqual([
      { name: 'ProductCard', ids: '0' },
      { name: 'ShopTheLook', ids: '1 2' },
    ]);
    expect(blockIds(sent).map((b) => b.ids)).toEqual([null, null]);
    expect(withoutCardIds(saved)).toBe(sent);
  });
  it('only ids differ: written in place; anything else: the body is replaced; the same: nothing', () => {
    expect(saveReconcile(sent, saved)).toEqual({ kind: 'ids', ids: blockIds(saved) });
    expect(saveReconcile(saved, saved)).toEqual({ kind: 'none' });
    expect(saveReconcile(sent, saved.replace('## Look', '## Looks'))).toEqual({ kind: 'replace' });
    // A moved id (the server renumbered) is still only ids.
    expect(saveReconcile(saved, saved.replace('card={0}', 'card={9}'))).toMatchObject({ kind: 'ids' });
  });
  it('a prop value holding ">" does not end the tag early', () => {
    const s = '<ShopTheLook title="a > b" cards="3 4" products={["x", "y"]} />';
    expect(blockIds(s)).toEqual([{ name: 'ShopTheLook', ids: '3 4' }]);
    expect(withoutCardIds(s)).toBe('<ShopTheLook title="a > b" products={["x", "y"]} />');
  });
});

describe('small helpers', () => {
  it('says when it saved, in the writer\'s clock', () => {
    expect(savedAtLabel(new Date(2026, 11, 2, 10, 42), 'en-GB')).toBe('Saved at 10:42');
    expect(savedAtLabel(new Date(2026, 11, 2, 9, 5), 'en-US')).toMatch(/^Saved at 9:05\sAM$/);
  });
  it('card preview address', () => {
    expect(cardPreviewHref('/studio/api/card-preview', 'tee')).toBe('/studio/api/card-preview?product=tee');
    expect(cardPreviewHref('/studio/api/card-preview', 'tee', 'TEE-M')).toBe('/studio/api/card-preview?product=tee&variant=TEE-M');
  });
  it('counts images without a description, not in code', () => {
    expect(imagesWithoutAlt('![](/media/abcdefgh)\n\n![ ](/media/x)\n\n![Shirt](/media/y)\n\n```\n![](/code)\n```')).toBe(2);
  });
  it('allows the links the compiler allows', () => {
    for (const ok of ['https://a.example', 'http://a.example', 'mailto:a@b.example', '/shop', '#fit']) expect(linkAllowed(ok), ok).toBe(true);
    for (const bad of ['javascript:alert(1)', 'java script:alert(1)', '//evil.example', '/\\evil.example', 'data:text/html,x', '', 'ftp://x']) expect(linkAllowed(bad), bad).toBe(false);
  });
});
