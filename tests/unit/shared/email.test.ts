/** The two forms of an email address (docs/decisions/0012-canonical-email.md). */
import { describe, expect, it } from 'vitest';
import { canonicalEmail, normaliseEmail } from '../../../src/server/shared/index.ts';

describe('normaliseEmail', () => {
  it('trims and lower-cases, and changes nothing else', () => {
    expect(normaliseEmail('  Ada.Lovelace+Shop@Example.COM ')).toBe('ada.lovelace+shop@example.com');
  });
});

describe('canonicalEmail', () => {
  it('drops a +tag for every domain', () => {
    expect(canonicalEmail('maya+shop@example.com')).toBe('maya@example.com');
    expect(canonicalEmail('Maya+a+b@Example.com')).toBe('maya@example.com');
  });

  it('keeps dots outside Gmail', () => {
    expect(canonicalEmail('ada.lovelace@example.com')).toBe('ada.lovelace@example.com');
    expect(canonicalEmail('ada.lovelace@outlook.com')).not.toBe(canonicalEmail('adalovelace@outlook.com'));
  });

  it('ignores dots for gmail.com and googlemail.com, and googlemail is gmail', () => {
    expect(canonicalEmail('a.da.lovelace@gmail.com')).toBe('adalovelace@gmail.com');
    expect(canonicalEmail('Ada.Lovelace+welcome@GoogleMail.com')).toBe('adalovelace@gmail.com');
    expect(canonicalEmail('adalovelace@googlemail.com')).toBe(canonicalEmail('ada.lovelace@gmail.com'));
  });

  it('is lower-case and trimmed, like normaliseEmail', () => {
    expect(canonicalEmail('  ADA@EXAMPLE.COM ')).toBe('ada@example.com');
  });

  it('leaves a leading + and strings without a local part alone', () => {
    expect(canonicalEmail('+tag@example.com')).toBe('+tag@example.com');
    expect(canonicalEmail('not-an-email')).toBe('not-an-email');
  });
});
