import { describe, expect, it } from 'vitest';
import { helperLabel, launchPhase } from '../../../src/server/social/index.ts';

const L = { helpsCount: 1, helpsNeeded: 3, endsAt: 1_000, buyBy: 2_000, onTimeout: 'buy_at_reached' as const };

describe('launchPhase: decided from the clock where it is read', () => {
  it('is open until endsAt, then buyable at the price reached until buyBy, then lapsed', () => {
    expect(launchPhase(L, null, 999)).toBe('open');
    expect(launchPhase(L, null, 1_000)).toBe('ended_buyable');
    expect(launchPhase(L, null, 1_999)).toBe('ended_buyable');
    expect(launchPhase(L, null, 2_000)).toBe('lapsed');
  });
  it('lapses at endsAt when the offer says so', () => {
    expect(launchPhase({ ...L, onTimeout: 'lapse' }, null, 999)).toBe('open');
    expect(launchPhase({ ...L, onTimeout: 'lapse' }, null, 1_000)).toBe('lapsed');
  });
  it('is at the floor once every help is in, buyable until buyBy whatever the offer says', () => {
    expect(launchPhase({ ...L, helpsCount: 3, onTimeout: 'lapse' }, null, 500)).toBe('floor');
    expect(launchPhase({ ...L, helpsCount: 3, onTimeout: 'lapse' }, null, 1_500)).toBe('floor');
    expect(launchPhase({ ...L, helpsCount: 3 }, null, 2_000)).toBe('lapsed');
  });
  it('is bought once its order is paid, even after buyBy; an unpaid order changes nothing', () => {
    expect(launchPhase({ ...L, helpsCount: 3 }, { paid: true }, 5_000)).toBe('bought');
    expect(launchPhase({ ...L, helpsCount: 3 }, { paid: false }, 1_500)).toBe('floor');
  });
});

describe('helperLabel: recognisable, never contactable', () => {
  it('shows the first letter of the display name or the email, never the address', () => {
    expect(helperLabel({ displayName: 'mei', email: 'zed@example.com' })).toBe('M•••');
    expect(helperLabel({ displayName: null, email: 'ana.b@example.com' })).toBe('A•••');
    expect(helperLabel({ displayName: '  ', email: '_x@example.com' })).toBe('?•••');
    expect(helperLabel({ displayName: '王小明', email: 'w@example.com' })).toBe('王•••');
  });
});
