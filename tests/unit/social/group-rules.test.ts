import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GROUP_MEMBER_STATUSES, type GroupMemberStatus } from '../../../db/schema/social.ts';
import {
  DEFAULT_GROUP_DURATION_MS,
  JOIN_MESSAGES,
  MAX_GROUP_DURATION_MS,
  MEMBER_TRANSITIONS,
  canMove,
  decideFill,
  decideJoin,
  decideOnAuthorisation,
  groupView,
  type GroupInput,
  type GroupMemberInput,
} from '../../../src/server/social/group-rules.ts';

const NOW = Date.UTC(2024, 5, 15, 12);
const HOUR = 3_600_000;
const member = (status: GroupMemberStatus, holdUntil = NOW - HOUR): GroupMemberInput => ({ status, holdUntil });
const group = (o: Partial<GroupInput> = {}): GroupInput => ({ status: 'open', size: 3, endsAt: NOW + HOUR, members: [], ...o });
const join = (o: Partial<Parameters<typeof decideJoin>[0]> = {}) =>
  decideJoin({ group: group(), now: NOW, memberCountForBuyer: 0, alreadyMember: false, perBuyerLimit: 1, buyerGroupsInProduct: 0, ...o });

const memberArb = fc.record({
  status: fc.constantFrom(...GROUP_MEMBER_STATUSES),
  holdUntil: fc.integer({ min: NOW - 2 * HOUR, max: NOW + 2 * HOUR }),
});
const groupArb = fc.record({
  status: fc.constantFrom('open' as const, 'filled' as const, 'lapsed' as const),
  size: fc.integer({ min: 2, max: 10 }),
  endsAt: fc.integer({ min: NOW - 2 * HOUR, max: NOW + 2 * HOUR }),
  members: fc.array(memberArb, { maxLength: 12 }),
});

describe('durations', () => {
  it('runs 24 hours by default and at most 6 days, inside a 7-day authorisation', () => {
    expect(DEFAULT_GROUP_DURATION_MS).toBe(24 * HOUR);
    expect(MAX_GROUP_DURATION_MS).toBe(144 * HOUR);
    expect(MAX_GROUP_DURATION_MS).toBeLessThan(7 * 24 * HOUR);
    // the offers' CHECK allows up to 8640 minutes
    expect(MAX_GROUP_DURATION_MS / 60_000).toBe(8640);
  });
});

describe('member transitions', () => {
  it('moves a seat forward only', () => {
    expect(canMove('pending', 'authorised')).toBe(true);
    expect(canMove('pending', 'expired')).toBe(true);
    expect(canMove('pending', 'left')).toBe(true);
    expect(canMove('pending', 'voided')).toBe(true);
    expect(canMove('authorised', 'captured')).toBe(true);
    expect(canMove('authorised', 'voided')).toBe(true);
    expect(canMove('authorised', 'left')).toBe(true);
    expect(canMove('captured', 'refunded')).toBe(true);
    expect(canMove('pending', 'captured')).toBe(false); // never captured without an authorisation
    expect(canMove('authorised', 'pending')).toBe(false);
    expect(canMove('captured', 'voided')).toBe(false); // paid money is refunded, not voided
    expect(canMove('expired', 'authorised')).toBe(false); // a late authorisation does not revive a seat
    // A capture refused because the card's authorisation ran out (Stripe holds it 7 days) ends the seat.
    expect(canMove('authorised', 'expired')).toBe(true);
  });
  it('has a row for every status, final statuses go nowhere, nothing returns to pending or to itself (property)', () => {
    expect(Object.keys(MEMBER_TRANSITIONS).sort()).toEqual([...GROUP_MEMBER_STATUSES].sort());
    fc.assert(
      fc.property(fc.constantFrom(...GROUP_MEMBER_STATUSES), fc.constantFrom(...GROUP_MEMBER_STATUSES), (from, to) => {
        if (['left', 'voided', 'expired', 'refunded'].includes(from)) expect(canMove(from, to)).toBe(false);
        if (to === 'pending' || to === from) expect(canMove(from, to)).toBe(false);
        if (to === 'captured') expect(canMove(from, to)).toBe(from === 'authorised');
        if (to === 'refunded') expect(canMove(from, to)).toBe(from === 'captured');
      }),
    );
  });
});

describe('groupView', () => {
  it('counts authorised, captured and live pending seats', () => {
    const view = groupView(
      group({
        size: 5,
        members: [member('authorised'), member('captured'), member('pending', NOW + 60_000), member('pending', NOW), member('left'), member('voided'), member('expired')],
      }),
      NOW,
    );
    expect(view).toEqual({ state: 'open', size: 5, endsAt: NOW + HOUR, seatsTaken: 3, seatsLeft: 2, authorised: 2, secondsLeft: 3600 });
  });
  it('releases a pending seat exactly when its hold runs out', () => {
    const g = group({ size: 2, members: [member('pending', NOW + 1000)] });
    expect(groupView(g, NOW + 999).seatsTaken).toBe(1);
    expect(groupView(g, NOW + 1000)).toMatchObject({ seatsTaken: 0, seatsLeft: 2 });
  });
  it('lapses an open group exactly at endsAt, before any sweeper runs', () => {
    const g = group({ endsAt: NOW, members: [member('authorised')] });
    expect(groupView(g, NOW - 1)).toMatchObject({ state: 'open', secondsLeft: 1 });
    expect(groupView(g, NOW)).toMatchObject({ state: 'lapsed', secondsLeft: 0, authorised: 1 });
    expect(groupView(g, NOW + HOUR).state).toBe('lapsed');
  });
  it('keeps a settled status whatever the clock says', () => {
    expect(groupView(group({ status: 'filled', endsAt: NOW - HOUR }), NOW).state).toBe('filled');
    expect(groupView(group({ status: 'filled', endsAt: NOW + HOUR }), NOW)).toMatchObject({ state: 'filled', secondsLeft: 0 });
    expect(groupView(group({ status: 'lapsed', endsAt: NOW + HOUR }), NOW).state).toBe('lapsed');
  });
  it('rounds the seconds left up, so an open group never shows 0', () => {
    expect(groupView(group({ endsAt: NOW + 1500 }), NOW).secondsLeft).toBe(2);
    expect(groupView(group({ endsAt: NOW + 1 }), NOW).secondsLeft).toBe(1);
  });
  it('is open exactly when status is open and now < endsAt, and seats add up (property)', () => {
    fc.assert(
      fc.property(groupArb, fc.integer({ min: NOW - 3 * HOUR, max: NOW + 3 * HOUR }), (g, now) => {
        const view = groupView(g, now);
        expect(view.state === 'open').toBe(g.status === 'open' && now < g.endsAt);
        if (g.status === 'open' && now >= g.endsAt) expect(view.state).toBe('lapsed');
        expect(view.seatsLeft).toBe(Math.max(0, g.size - view.seatsTaken));
        expect(view.authorised).toBe(g.members.filter((m) => m.status === 'authorised' || m.status === 'captured').length);
        expect(view.seatsTaken).toBe(view.authorised + g.members.filter((m) => m.status === 'pending' && m.holdUntil > now).length);
        expect(view.secondsLeft > 0).toBe(view.state === 'open');
      }),
      { numRuns: 500 },
    );
  });
});

describe('decideJoin', () => {
  it('lets a buyer take a free seat in an open group', () => {
    expect(join()).toEqual({ ok: true });
    expect(join({ group: group({ size: 2, members: [member('authorised'), member('pending', NOW)] }) })).toEqual({ ok: true });
  });
  it('refuses with a shopper’s message', () => {
    expect(join({ group: group({ endsAt: NOW }) })).toEqual({ ok: false, reason: 'group_ended', message: JOIN_MESSAGES.group_ended });
    expect(join({ group: group({ status: 'lapsed' }) })).toMatchObject({ reason: 'group_ended' });
    expect(join({ alreadyMember: true })).toMatchObject({ ok: false, reason: 'already_member' });
    expect(join({ group: group({ size: 2, members: [member('authorised'), member('pending', NOW + 1)] }) })).toEqual({
      ok: false,
      reason: 'group_full',
      message: 'This group is full — start your own group or buy at the regular price.',
    });
    expect(join({ group: group({ status: 'filled', size: 2, members: [member('captured'), member('captured')] }) })).toMatchObject({ reason: 'group_full' });
    expect(join({ memberCountForBuyer: 1 })).toMatchObject({ ok: false, reason: 'buyer_limit' });
    expect(join({ buyerGroupsInProduct: 1 })).toMatchObject({ ok: false, reason: 'buyer_limit' });
    expect(join({ memberCountForBuyer: 1, buyerGroupsInProduct: 1, perBuyerLimit: 2 })).toEqual({ ok: true });
    expect(join({ memberCountForBuyer: 2, perBuyerLimit: 2 })).toMatchObject({ reason: 'buyer_limit' });
  });
  it('tells an ended group before membership, membership before full, full before the limit', () => {
    const full = group({ size: 2, members: [member('authorised'), member('authorised')] });
    expect(join({ group: { ...full, endsAt: NOW }, alreadyMember: true, memberCountForBuyer: 5 })).toMatchObject({ reason: 'group_ended' });
    expect(join({ group: full, alreadyMember: true, memberCountForBuyer: 5 })).toMatchObject({ reason: 'already_member' });
    expect(join({ group: full, memberCountForBuyer: 5 })).toMatchObject({ reason: 'group_full' });
  });
  it('writes every message for a shopper: a sentence, no codes, no amounts', () => {
    for (const [reason, message] of Object.entries(JOIN_MESSAGES)) {
      expect(message).toMatch(/^[A-Z].*\.$/);
      expect(message).not.toMatch(/\d|_|\$/);
      expect(message).not.toContain(reason);
    }
  });
});

describe('decideFill', () => {
  it('fills when the last seat is authorised before endsAt', () => {
    const g = group({ size: 3, members: [member('captured'), member('authorised'), member('authorised')] });
    expect(decideFill(groupView(g, NOW))).toBe(true);
    expect(decideFill(groupView(g, g.endsAt - 1))).toBe(true);
    expect(decideFill(groupView(g, g.endsAt))).toBe(false);
    expect(decideFill(groupView({ ...g, status: 'filled' }, NOW))).toBe(false); // already filled
  });
  it('never fills on a pending seat', () => {
    const g = group({ size: 3, members: [member('authorised'), member('authorised'), member('pending', NOW + HOUR)] });
    expect(groupView(g, NOW).seatsLeft).toBe(0);
    expect(decideFill(groupView(g, NOW))).toBe(false);
  });
  it('fills exactly when open, before endsAt, with authorised + captured == size (property)', () => {
    fc.assert(
      fc.property(groupArb, fc.integer({ min: NOW - 3 * HOUR, max: NOW + 3 * HOUR }), (g, now) => {
        const paid = g.members.filter((m) => m.status === 'authorised' || m.status === 'captured').length;
        expect(decideFill(groupView(g, now))).toBe(g.status === 'open' && now < g.endsAt && paid === g.size);
      }),
      { numRuns: 500 },
    );
  });
  it('no number of pending seats fills a group short of authorisations (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.nat(), fc.integer({ min: 1, max: 10 }), (size, k, pending) => {
        const authorised = k % size; // 0 … size − 1
        const g = group({ size, members: [...Array.from({ length: authorised }, () => member('authorised')), ...Array.from({ length: pending }, () => member('pending', NOW + HOUR))] });
        expect(decideFill(groupView(g, NOW))).toBe(false);
      }),
    );
  });
});

describe('decideOnAuthorisation', () => {
  it('holds an authorisation for an open group with a seat', () => {
    const g = group({ size: 2, members: [member('authorised'), member('pending', NOW + HOUR)] });
    expect(decideOnAuthorisation(groupView(g, NOW), NOW)).toBe('hold');
  });
  it('holds it even if other pending seats would take the group to its size: only money counts', () => {
    const g = group({ size: 2, members: [member('pending', NOW + HOUR), member('pending', NOW + HOUR), member('pending', NOW + HOUR)] });
    expect(decideOnAuthorisation(groupView(g, NOW), NOW)).toBe('hold');
  });
  it('voids it when the group has ended or is full of others', () => {
    const g = group({ size: 2, members: [member('authorised'), member('pending', NOW + HOUR)] });
    expect(decideOnAuthorisation(groupView(g, g.endsAt), g.endsAt)).toBe('void');
    // the view was read just before the end, the authorisation arrives at it
    expect(decideOnAuthorisation(groupView(g, g.endsAt - 1), g.endsAt)).toBe('void');
    expect(decideOnAuthorisation(groupView({ ...g, status: 'lapsed' }, NOW), NOW)).toBe('void');
    expect(decideOnAuthorisation(groupView({ ...g, status: 'filled' }, NOW), NOW)).toBe('void');
    const fullOfOthers = group({ size: 2, members: [member('authorised'), member('captured'), member('pending', NOW + HOUR)] });
    expect(decideOnAuthorisation(groupView(fullOfOthers, NOW), NOW)).toBe('void');
  });
  it('never lets authorised seats exceed the size, whatever order authorisations arrive in (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 2 * HOUR }), (size, joiners, lateBy) => {
        const endsAt = NOW + HOUR;
        const members: GroupMemberInput[] = Array.from({ length: joiners }, () => member('pending', endsAt));
        let filled = false;
        members.forEach((m, k) => {
          const at = NOW + ((k * lateBy) % (2 * HOUR));
          const view = groupView({ status: filled ? 'filled' : 'open', size, endsAt, members }, at);
          const decision = decideOnAuthorisation(view, at);
          m.status = decision === 'hold' ? 'authorised' : 'voided';
          if (decision === 'hold') expect(at).toBeLessThan(endsAt);
          if (decideFill(groupView({ status: filled ? 'filled' : 'open', size, endsAt, members }, at))) filled = true;
        });
        const authorised = members.filter((m) => m.status === 'authorised').length;
        expect(authorised).toBeLessThanOrEqual(size);
        expect(filled).toBe(authorised === size);
      }),
    );
  });
});
