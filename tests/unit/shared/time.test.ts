import { describe, expect, it } from 'vitest';
import { dayStart, isoDay, parseIsoDay, utcDay } from '../../../src/server/shared/index.ts';

describe('parseIsoDay (the one parser of typed days)', () => {
  it('gives the instant a real UTC day starts', () => {
    expect(parseIsoDay('2026-02-28')).toBe(Date.UTC(2026, 1, 28));
    expect(parseIsoDay('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
  });
  it('refuses days that do not exist and other shapes', () => {
    for (const s of ['2026-02-30', '2027-02-29', '2026-13-01', '2026-1-01', '26-01-01', '', null, undefined, '2026-01-01T00:00Z']) expect(parseIsoDay(s)).toBeNull();
  });
  it('agrees with the day numbers of the rollups', () => {
    const at = Date.UTC(2026, 10, 23, 17, 5);
    expect(isoDay(utcDay(at))).toBe('2026-11-23');
    expect(dayStart(utcDay(at))).toBe(parseIsoDay('2026-11-23'));
  });
});
