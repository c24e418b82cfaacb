/** Every branch of the attribution decision (docs/architecture.md, rule 4). */
import { describe, expect, it } from 'vitest';
import { decideLine, type CreatorRef, type OrderInput } from '../../../src/server/attribution/index.ts';
import { signRef, verifyRef } from '../../../src/server/attribution/index.ts';

const DAY = 86_400_000;
const maya: CreatorRef = { id: 1, handle: 'maya', emails: ['maya@lookbook.test'] };
const jules: CreatorRef = { id: 2, handle: 'jules', emails: ['jules@lookbook.test'] };
const sam: CreatorRef = { id: 3, handle: 'sam', emails: ['sam@lookbook.test'] };
const PAID = Date.UTC(2026, 10, 20);
const order = (o: Partial<OrderInput> = {}): OrderInput => ({ buyerEmail: 'reader@example.com', code: null, click: null, paidAt: PAID, windowMs: 30 * DAY, ...o });
const fromPost = { sourcePost: 'autumn-capsule', sourceCreator: maya };
const direct = { sourcePost: null, sourceCreator: null };

describe('attribution precedence', () => {
  it('(a) a line added from a post card credits the post creator, even when a code and a click exist', () => {
    const d = decideLine(fromPost, order({ code: { code: 'JULES15', creator: jules }, click: { id: 'c1', creator: sam, at: PAID - DAY } }));
    expect(d).toMatchObject({ creatorId: 1, source: 'post', ref: 'autumn-capsule' });
    expect(d.reason).toContain('card');
  });
  it('(b) else a creator code credits the code owner, over a click', () => {
    expect(decideLine(direct, order({ code: { code: 'JULES15', creator: jules }, click: { id: 'c1', creator: sam, at: PAID - DAY } }))).toMatchObject({
      creatorId: 2,
      source: 'code',
      ref: 'JULES15',
    });
  });
  it('(c) else the last referral click within the window', () => {
    expect(decideLine(direct, order({ click: { id: 'click-9', creator: sam, at: PAID - 3 * DAY } }))).toMatchObject({ creatorId: 3, source: 'link', ref: 'click-9' });
    expect(decideLine(direct, order({ click: { id: 'click-9', creator: sam, at: PAID - 3 * DAY } })).reason).toContain('3 days before payment');
    expect(decideLine(direct, order({ click: { id: 'click-9', creator: sam, at: PAID - DAY } })).reason).toContain('1 day before payment');
  });
  it('(c) window edge: exactly 30 days counts, a millisecond more does not', () => {
    expect(decideLine(direct, order({ click: { id: 'c', creator: sam, at: PAID - 30 * DAY } })).source).toBe('link');
    const late = decideLine(direct, order({ click: { id: 'c', creator: sam, at: PAID - 30 * DAY - 1 } }));
    expect(late).toMatchObject({ creatorId: null, source: 'none' });
    expect(late.reason).toContain('outside the 30-day window');
  });
  it('(d) else nobody', () => {
    expect(decideLine(direct, order())).toMatchObject({ creatorId: null, source: 'none', ref: null });
  });
  it('a post line whose creator is unknown falls through to the code', () => {
    expect(decideLine({ sourcePost: 'old-post', sourceCreator: null }, order({ code: { code: 'JULES15', creator: jules } }))).toMatchObject({ source: 'code', creatorId: 2 });
  });
});

describe('self-referral', () => {
  it('excludes the creator buying from their own post, with the reason', () => {
    const d = decideLine(fromPost, order({ buyerEmail: ' MAYA@lookbook.test ' }));
    expect(d).toMatchObject({ creatorId: null, source: 'excluded', ref: 'autumn-capsule' });
    expect(d.reason).toMatch(/Self-referral.*maya/);
  });
  it('excludes a creator using their own code or link', () => {
    expect(decideLine(direct, order({ buyerEmail: 'jules@lookbook.test', code: { code: 'JULES15', creator: jules } })).source).toBe('excluded');
    expect(decideLine(direct, order({ buyerEmail: 'sam@lookbook.test', click: { id: 'c', creator: sam, at: PAID } })).source).toBe('excluded');
  });
  it('does not exclude another creator buying through someone else', () => {
    expect(decideLine(fromPost, order({ buyerEmail: 'jules@lookbook.test' })).source).toBe('post');
  });
});

describe('signed attribution cookie', () => {
  const secret = 'test-secret';
  const claim = { clickId: 'AbCdEfGhIjKlMnOpQr', creatorId: 3, at: PAID - DAY };
  it('round-trips', () => {
    expect(verifyRef(secret, signRef(secret, claim), PAID, 30 * DAY)).toEqual(claim);
  });
  it('refuses a cookie edited to credit someone else', () => {
    const forged = signRef(secret, claim).replace('.3.', '.1.');
    expect(verifyRef(secret, forged, PAID, 30 * DAY)).toBeNull();
  });
  it('refuses another secret, garbage, an expired click and a future one', () => {
    expect(verifyRef('other', signRef(secret, claim), PAID, 30 * DAY)).toBeNull();
    expect(verifyRef(secret, 'a.b.c.d', PAID, 30 * DAY)).toBeNull();
    expect(verifyRef(secret, undefined, PAID, 30 * DAY)).toBeNull();
    expect(verifyRef(secret, signRef(secret, { ...claim, at: PAID - 31 * DAY }), PAID, 30 * DAY)).toBeNull();
    expect(verifyRef(secret, signRef(secret, { ...claim, at: PAID + DAY }), PAID, 30 * DAY)).toBeNull();
  });
});
