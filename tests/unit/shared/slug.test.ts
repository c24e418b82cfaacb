/** One rule makes an address from a title, for posts and products alike. */
import { describe, expect, it } from 'vitest';
import { slugFromText } from '../../../src/server/shared/index.ts';
import { slugFromTitle } from '../../../src/server/catalog/index.ts';
import { slugify } from '../../../src/server/content/index.ts';

describe('slugFromText', () => {
  it('drops accents and punctuation, keeps single dashes, and gives up below 2 characters', () => {
    expect(slugFromText('Crème brûlée & linen — summer!')).toBe('creme-brulee-linen-summer');
    expect(slugFromText('  --Hello,   World--  ')).toBe('hello-world');
    expect(slugFromText('!')).toBe('');
    expect(slugFromText('a')).toBe('');
    expect(slugFromText('x'.repeat(79) + ' yz')).toBe('x'.repeat(79));
  });
  it('is the rule posts and products use', () => {
    for (const t of ['Crème Linen Shirt — 2026!', 'A', 'Wide-leg trousers, five foot one']) {
      expect(slugFromTitle(t)).toBe(slugFromText(t));
      expect(slugify(t)).toBe(slugFromText(t));
    }
  });
});
