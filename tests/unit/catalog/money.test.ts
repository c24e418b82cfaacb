import { describe, expect, it } from 'vitest';
import { formatMoney, toDecimalString } from '../../../src/server/shared/index.ts';

describe('formatMoney', () => {
  it('formats minor units in the shop currency and locale', () => {
    expect(formatMoney(12900, { currency: 'USD', locale: 'en-US' })).toBe('$129.00');
    expect(formatMoney(5, { currency: 'USD', locale: 'en-US' })).toBe('$0.05');
    expect(formatMoney(123456, { currency: 'EUR', locale: 'de-DE' })).toBe('1.234,56\u00a0€');
  });
  it('rejects fractional minor units — a bug, not a price', () => {
    expect(() => formatMoney(12.5, { currency: 'USD', locale: 'en-US' })).toThrow(TypeError);
  });
  it('writes machine-readable decimals', () => {
    expect(toDecimalString(12900)).toBe('129.00');
    expect(toDecimalString(7)).toBe('0.07');
    expect(toDecimalString(-150)).toBe('-1.50');
  });
});
