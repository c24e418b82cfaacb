/** The "saved" and "board" branches of the attribution decision (docs/decisions/0053-wishlists-alerts-boards.md). */
import { describe, expect, it } from 'vitest';
import { decideLine, DEFAULT_SAVED_WINDOW_MS, type CreatorRef, type OrderInput } from '../../../src/server/attribution/index.ts';

const DAY = 86_400_000;
const maya: CreatorRef = { id: 1, handle: 'maya', emails: ['maya@lookbook.test'] };
const jules: CreatorRef = { id: 2, handle: 'jules', emails: ['jules@lookbook.test'] };
const sam: CreatorRef = { id: 3, handle: 'sam', emails: ['sam@lookbook.test'] };
const PAID = Date.UTC(2026, 10, 20);
const order = (o: Partial<OrderInput> = {}): OrderInput => ({ buyerEmail: 'reader@example.com', code: null, click: null, paidAt: PAID, windowMs: 30 * DAY, ...o });
const savedFromPost = (savedAt: number) => ({ sourcePost: 'autumn-capsule', sourceCreator: maya, savedAt });

describe('bought from the wishlist', () => {
  it('credits the post it was saved from, over a code and a click, within the window', () => {
    const d = decideLine(savedFromPost(PAID - 10 * DAY), order({ code: { code: 'JULES15', creator: jules }, click: { id: 'c1', creator: sam, at: PAID - DAY } }));
    expect(d).toMatchObject({ creatorId: 1, source: 'saved', ref: 'autumn-capsule' });
    expect(d.reason).toContain('10 days before payment');
  });
  it('window edge: exactly 90 days (the default) counts, a millisecond more falls through to the code', () => {
    expect(DEFAULT_SAVED_WINDOW_MS).toBe(90 * DAY);
    expect(decideLine(savedFromPost(PAID - 90 * DAY), order()).source).toBe('saved');
    const late = decideLine(savedFromPost(PAID - 90 * DAY - 1), order({ code: { code: 'JULES15', creator: jules } }));
    expect(late).toMatchObject({ creatorId: 2, source: 'code' });
    const nobody = decideLine(savedFromPost(PAID - 90 * DAY - 1), order());
    expect(nobody).toMatchObject({ creatorId: null, source: 'none' });
    expect(nobody.reason).toContain('outside the 90-day window');
  });
  it('honours a configured window', () => {
    expect(decideLine(savedFromPost(PAID - 8 * DAY), order({ savedWindowMs: 7 * DAY })).source).toBe('none');
    expect(decideLine(savedFromPost(PAID - 6 * DAY), order({ savedWindowMs: 7 * DAY })).source).toBe('saved');
  });
  it('a saved item bought by the creator who posted it is excluded (self-referral)', () => {
    const d = decideLine(savedFromPost(PAID - DAY), order({ buyerEmail: 'maya@lookbook.test' }));
    expect(d).toMatchObject({ creatorId: null, source: 'excluded' });
  });
  it('saved from a board credits the board, as "saved"', () => {
    expect(decideLine({ sourcePost: null, sourceCreator: jules, sourceBoardId: 7, savedAt: PAID - DAY }, order())).toMatchObject({ creatorId: 2, source: 'saved', ref: 'board:7' });
  });
});

describe('bought from a board', () => {
  it('credits the board’s creator, over a code', () => {
    expect(decideLine({ sourcePost: null, sourceCreator: jules, sourceBoardId: 7, savedAt: null }, order({ code: { code: 'SAM', creator: sam } }))).toMatchObject({
      creatorId: 2,
      source: 'board',
      ref: 'board:7',
    });
  });
  it('a post card without a saved time is still a post sale', () => {
    expect(decideLine({ sourcePost: 'autumn-capsule', sourceCreator: maya }, order()).source).toBe('post');
  });
});
