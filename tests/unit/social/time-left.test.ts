import { describe, expect, it } from 'vitest';
import { timeLeft } from '../../../src/lib/time-left.ts';
import { waitInWords } from '../../../src/server/auth/index.ts';

describe('timeLeft', () => {
  it('says days and hours, hours and minutes, or minutes and seconds', () => {
    expect(timeLeft(90_061_000)).toBe('1 d 1 h');
    expect(timeLeft(3_725_000)).toBe('1 h 2 min');
    expect(timeLeft(65_000)).toBe('1 min 05 s');
    expect(timeLeft(-5)).toBe('0 min 00 s');
  });
});

describe('waitInWords', () => {
  it('says seconds under a minute and whole minutes above, singular where it is one', () => {
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(45)).toBe('45 seconds');
    expect(waitInWords(60)).toBe('1 minute');
    expect(waitInWords(90)).toBe('2 minutes');
  });
});
