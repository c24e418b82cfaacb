import { describe, expect, it } from 'vitest';
import { checkPostcode, checkRegion, formatAddressInline, formatAddressLines, regionRequired } from '../../../src/server/shared/index.ts';

describe('postcodes per country', () => {
  it.each([
    ['US', '11249', '11249'],
    ['US', '112491234', '11249-1234'],
    ['US', '11249-1234', '11249-1234'],
    ['CA', 'k1a0b1', 'K1A 0B1'],
    ['GB', 'sw1a2aa', 'SW1A 2AA'],
    ['GB', 'M1 1AE', 'M1 1AE'],
    ['IE', 'd02x285', 'D02 X285'],
    ['IE', '', ''],
    ['DE', '10115', '10115'],
    ['FR', ' 75001 ', '75001'],
    ['NL', '1012ab', '1012 AB'],
    ['AU', '2000', '2000'],
  ])('%s accepts %j as %j', (country, raw, value) => {
    expect(checkPostcode(country, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['US', 'ABCDE'],
    ['US', '1234'],
    ['US', ''],
    ['CA', '12345'],
    ['GB', '12345'],
    ['GB', 'SW1A'],
    ['IE', '12345'],
    ['DE', '1011'],
    ['FR', 'ABCDE'],
    ['NL', '0123 AB'],
    ['AU', '20000'],
  ])('%s refuses %j with a message for people', (country, raw) => {
    const r = checkPostcode(country, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^Enter (a|your) /);
  });

  it('names the US code as people know it', () => {
    expect(checkPostcode('US', 'ABCDE')).toEqual({ ok: false, message: 'Enter a 5-digit ZIP code, like 11249.' });
  });
});

describe('regions', () => {
  it('are required where the country has them', () => {
    expect(regionRequired('US')).toBe(true);
    expect(regionRequired('CA')).toBe(true);
    expect(regionRequired('AU')).toBe(true);
    expect(regionRequired('GB')).toBe(false);
    expect(checkRegion('US', '')).toEqual({ ok: false, message: 'Enter your state, like NY or New York.' });
    expect(checkRegion('CA', null)).toEqual({ ok: false, message: 'Enter your province, like ON or Ontario.' });
    expect(checkRegion('AU', ' ')).toEqual({ ok: false, message: 'Enter your state, like NSW or New South Wales.' });
  });
  it('accept a code or a name and store the code', () => {
    expect(checkRegion('US', 'ny')).toEqual({ ok: true, value: 'NY' });
    expect(checkRegion('US', 'new  york')).toEqual({ ok: true, value: 'NY' });
    expect(checkRegion('CA', 'Québec'.normalize('NFD').replace(/\p{M}/gu, ''))).toEqual({ ok: true, value: 'QC' });
    expect(checkRegion('AU', 'Victoria')).toEqual({ ok: true, value: 'VIC' });
  });
  it('refuse a region that does not exist', () => {
    expect(checkRegion('US', 'ZZ')).toEqual({ ok: false, message: 'We do not recognise that state. Enter it like NY or New York.' });
  });
  it('are free text (or nothing) elsewhere', () => {
    expect(checkRegion('GB', '')).toEqual({ ok: true, value: null });
    expect(checkRegion('IE', 'Co. Dublin')).toEqual({ ok: true, value: 'Co. Dublin' });
  });
});

describe('formatAddressLines (one layout per country, used by pages and emails)', () => {
  const base = { name: 'Ada Lovelace', line1: '12 Wythe Ave', line2: null };
  it('US and Canada: "City, ST ZIP"', () => {
    expect(formatAddressLines({ ...base, city: 'Brooklyn', region: 'NY', postcode: '11249', country: 'US' })).toEqual([
      'Ada Lovelace',
      '12 Wythe Ave',
      'Brooklyn, NY 11249',
      'United States',
    ]);
    expect(formatAddressLines({ ...base, city: 'Ottawa', region: 'ON', postcode: 'K1A 0B1', country: 'CA' })[2]).toBe('Ottawa, ON K1A 0B1');
  });
  it('UK and Ireland: the postcode on its own line', () => {
    expect(formatAddressLines({ ...base, line2: 'Flat 3', city: 'London', postcode: 'SW1A 2AA', country: 'GB' })).toEqual([
      'Ada Lovelace',
      '12 Wythe Ave',
      'Flat 3',
      'London',
      'SW1A 2AA',
      'United Kingdom',
    ]);
    expect(formatAddressLines({ ...base, city: 'Dublin 2', region: 'Co. Dublin', postcode: 'D02 X285', country: 'IE' }).slice(2)).toEqual(['Dublin 2', 'Co. Dublin', 'D02 X285', 'Ireland']);
  });
  it('Germany, France, the Netherlands: "postcode City"', () => {
    expect(formatAddressLines({ ...base, city: 'Berlin', postcode: '10115', country: 'DE' }).slice(2)).toEqual(['10115 Berlin', 'Germany']);
    expect(formatAddressLines({ ...base, city: 'Amsterdam', postcode: '1012 AB', country: 'NL' })[2]).toBe('1012 AB Amsterdam');
  });
  it('Australia: "Town STATE postcode"', () => {
    expect(formatAddressLines({ ...base, city: 'Sydney', region: 'NSW', postcode: '2000', country: 'AU' })[2]).toBe('Sydney NSW 2000');
  });
  it('leaves out empty parts and names the country in the locale', () => {
    expect(formatAddressLines({ ...base, line2: '  ', city: 'Cork', region: null, postcode: '', country: 'IE' }, 'de-DE')).toEqual(['Ada Lovelace', '12 Wythe Ave', 'Cork', 'Irland']);
    expect(formatAddressInline({ ...base, city: 'Berlin', postcode: '10115', country: 'DE' })).toBe('Ada Lovelace, 12 Wythe Ave, 10115 Berlin, Germany');
  });
});
