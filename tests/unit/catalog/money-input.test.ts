import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoneyInput, parseMoneyInput, parseOptionalMoneyInput } from '../../../src/server/catalog/index.ts';

describe('parseMoneyInput', () => {
  it.each([
    ['89.00', 8900],
    ['89', 8900],
    ['89.', 8900],
    ['89.5', 8950],
    ['0.29', 29],
    ['.5', 50],
    ['0', 0],
    ['007.10', 710],
    ['  129.99 ', 12999],
    ['$89.00', 8900],
    ['€ 12.30', 1230],
    ['+5', 500],
    ['999999999.99', 99999999999],
  ])('%j → %i minor units', (input, cents) => {
    expect(parseMoneyInput(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', /Enter an amount/],
    ['   ', /Enter an amount/],
    ['.', /in numbers/],
    ['-5.00', /cannot be negative/],
    ['1,299.00', /Use a dot for decimals/],
    ['89,50', /Use a dot for decimals/],
    ['89.001', /at most 2 decimal places/],
    ['12abc', /in numbers/],
    ['1e3', /in numbers/],
    ['0x10', /in numbers/],
    ['NaN', /in numbers/],
    ['Infinity', /in numbers/],
    ['1 000', /in numbers/],
    ['1000000000', /too large/],
  ])('refuses %j', (input, message) => {
    const r = parseMoneyInput(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });

  it('knows currencies without minor units', () => {
    expect(parseMoneyInput('1299', { fractionDigits: 0 })).toEqual({ ok: true, cents: 1299 });
    const r = parseMoneyInput('12.5', { fractionDigits: 0 });
    expect(!r.ok && r.message).toMatch(/no decimals/);
  });

  it('is exact where floating point is not (0.29 * 100 = 28.999…)', () => {
    expect(0.29 * 100).not.toBe(29);
    expect(parseMoneyInput('0.29')).toEqual({ ok: true, cents: 29 });
    expect(parseMoneyInput('1.15')).toEqual({ ok: true, cents: 115 });
    expect(parseMoneyInput('4.35')).toEqual({ ok: true, cents: 435 });
  });

  it('round-trips every amount through formatMoneyInput', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (cents) => {
        expect(parseMoneyInput(formatMoneyInput(cents))).toEqual({ ok: true, cents });
      }),
    );
  });
});

describe('parseOptionalMoneyInput', () => {
  it('reads an empty field as "none"', () => {
    expect(parseOptionalMoneyInput('')).toEqual({ ok: true, cents: null });
    expect(parseOptionalMoneyInput('  ')).toEqual({ ok: true, cents: null });
    expect(parseOptionalMoneyInput('120')).toEqual({ ok: true, cents: 12000 });
    expect(parseOptionalMoneyInput('12,0').ok).toBe(false);
  });
});

describe('formatMoneyInput', () => {
  it('writes what the form shows', () => {
    expect(formatMoneyInput(8900)).toBe('89.00');
    expect(formatMoneyInput(5)).toBe('0.05');
    expect(formatMoneyInput(0)).toBe('0.00');
    expect(formatMoneyInput(1299, { fractionDigits: 0 })).toBe('1299');
    expect(() => formatMoneyInput(1.5)).toThrow(TypeError);
  });
});
