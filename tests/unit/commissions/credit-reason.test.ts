import { describe, expect, it } from 'vitest';
import { explainCredit, plural, type CreditFacts } from '../../../src/server/commissions/index.ts';

const DAY = 86_400_000;
const PAID = Date.UTC(2026, 2, 10);
const facts = (o: Partial<CreditFacts>): CreditFacts => ({ source: 'post', sourcePost: null, couponCode: null, refClickedAt: null, paidAt: PAID, ...o });
const shop = { viewer: 'shop' as const, creatorName: 'Maya Okafor', postTitle: 'The autumn capsule wardrobe' };
const creator = { viewer: 'creator' as const, creatorName: 'Maya Okafor', postTitle: 'The autumn capsule wardrobe' };

describe('explainCredit (why a line was credited, in words)', () => {
  it('names the creator and the post by title, never a handle or a slug', () => {
    const f = facts({ source: 'post', sourcePost: 'autumn-capsule-wardrobe' });
    expect(explainCredit(f, shop)).toBe('Added to the bag from a card in Maya Okafor’s post “The autumn capsule wardrobe”.');
    expect(explainCredit(f, creator)).toBe('Added to the bag from a card in your post “The autumn capsule wardrobe”.');
    expect(explainCredit(f, { ...shop, postTitle: null })).toBe('Added to the bag from a card in Maya Okafor’s post (no longer published).');
  });
  it('tells a code and a link apart, with days in proper plurals', () => {
    expect(explainCredit(facts({ source: 'code', couponCode: 'MAYA15' }), shop)).toBe('Not added from a post; Maya Okafor’s code MAYA15 was used at checkout.');
    expect(explainCredit(facts({ source: 'link', refClickedAt: PAID - 2 * DAY }), creator)).toBe(
      'Not added from a post and no creator code; the buyer last clicked your referral link 2 days before payment.',
    );
    expect(explainCredit(facts({ source: 'link', refClickedAt: PAID - DAY }), creator)).toContain('link 1 day before payment.');
    expect(explainCredit(facts({ source: 'link', refClickedAt: PAID - 3600_000 }), creator)).toContain('link on the day of payment.');
  });
  it('explains a self-referral by what would have been credited', () => {
    expect(explainCredit(facts({ source: 'excluded', sourcePost: 'autumn-capsule-wardrobe' }), creator)).toBe(
      'Self-referral: the buyer is you (an email of your account), so no commission. It would have been credited for the card in your post “The autumn capsule wardrobe”.',
    );
    expect(explainCredit(facts({ source: 'excluded', couponCode: 'MAYA15' }), shop)).toBe(
      'Self-referral: the buyer is Maya Okafor (an email of their account), so no commission. It would have been credited for Maya Okafor’s code MAYA15.',
    );
  });
  it('covers unpaid and uncredited lines', () => {
    expect(explainCredit(facts({ source: null }), shop)).toBe('Decided when the order is paid.');
    expect(explainCredit(facts({ source: 'none' }), shop)).toBe('Not added from a post, no creator code and no referral click.');
    expect(explainCredit(facts({ source: 'none', refClickedAt: PAID - 40 * DAY }), shop)).toBe(
      'Not added from a post and no creator code; the last referral click was 40 days before payment, outside the attribution window.',
    );
  });
  it('never writes "(s)"', () => {
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(2, 'day')).toBe('2 days');
    expect(plural(0, 'order')).toBe('0 orders');
  });
});
