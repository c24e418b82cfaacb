/** "Add to bag" without a size: which card to ask again, and where the reader was (this site only). */
import { describe, expect, it } from 'vitest';
import { parseAddToBag, sizeQuestion } from '../../../src/server/cart/index.ts';

describe('sizeQuestion', () => {
  it('names the card (product, colour, post and position) and the page to go back to', () => {
    const fields = { product: 'merino-crewneck', colour: 'Oat', post: 'autumn-capsule-wardrobe', card: '0', qty: '1', back: '/posts/autumn-capsule-wardrobe#card-autumn-capsule-wardrobe-0' };
    expect(parseAddToBag(fields).ok).toBe(false);
    expect(sizeQuestion(fields)).toEqual({
      product: 'merino-crewneck',
      colour: 'Oat',
      source: { kind: 'post', post: 'autumn-capsule-wardrobe', card: 0 },
      back: '/posts/autumn-capsule-wardrobe#card-autumn-capsule-wardrobe-0',
    });
  });
  it('is not asked when a size was sent, or when the card cannot be named', () => {
    expect(sizeQuestion({ sku: 'MCN-OAT-M', product: 'merino-crewneck' })).toBeNull();
    expect(sizeQuestion({ qty: '1' })).toBeNull();
    expect(sizeQuestion({ product: '../etc' })).toBeNull();
  });
  it('never leads back off the site', () => {
    for (const back of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      expect(sizeQuestion({ product: 'tee', back })?.back, back).toBeUndefined();
    }
    expect(sizeQuestion({ product: 'tee', back: '/shop?size=M#card-tee' })?.back).toBe('/shop?size=M#card-tee');
  });
  it('a direct add (product page, shop) has no post source', () => {
    expect(sizeQuestion({ product: 'tee', post: 'a-post' })?.source).toEqual({ kind: 'direct' });
  });
});
