import { describe, expect, it } from 'vitest';
import { sha256 } from '@oslojs/crypto/sha2';
import {
  SESSION_MAX_AGE_MS,
  SESSION_REFRESH_THRESHOLD_MS,
  SESSION_TTL_MS,
  absoluteExpiry,
  freshExpiry,
  generateSessionToken,
  generateTokenPart,
  hashSessionSecret,
  nextExpiry,
  parseSessionToken,
  secretMatchesHash,
  shouldExtend,
} from '../../../src/server/auth/index.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('session tokens', () => {
  it('are <id>.<secret>, each 32 base32 characters (160 bits)', () => {
    const { token, id } = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{32}$/);
    expect(token.startsWith(`${id}.`)).toBe(true);
  });

  it('are random: no repeats over many draws, id and secret independent', () => {
    const parts = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const { token } = generateSessionToken();
      const [id, secret] = token.split('.') as [string, string];
      expect(id).not.toBe(secret);
      parts.add(id);
      parts.add(secret);
    }
    expect(parts.size).toBe(1000);
    expect(generateTokenPart()).toHaveLength(32);
  });

  it('carry a hash of the secret, never the secret itself', () => {
    const { token, secretHash } = generateSessionToken();
    const secret = token.split('.')[1]!;
    expect(secretHash).toHaveLength(32);
    expect(Buffer.from(secretHash).equals(Buffer.from(sha256(new TextEncoder().encode(secret))))).toBe(true);
    expect(Buffer.from(secretHash).toString('latin1')).not.toContain(secret);
  });
});

describe('parseSessionToken', () => {
  const good = `${'a'.repeat(32)}.${'b'.repeat(32)}`;

  it('accepts a well-formed token', () => {
    expect(parseSessionToken(good)).toEqual({ ok: true, id: 'a'.repeat(32), secret: 'b'.repeat(32) });
    const fresh = generateSessionToken();
    expect(parseSessionToken(fresh.token)).toMatchObject({ ok: true, id: fresh.id });
  });

  it.each([
    ['empty', ''],
    ['no dot', 'a'.repeat(64)],
    ['only id', `${'a'.repeat(32)}.`],
    ['only secret', `.${'a'.repeat(32)}`],
    ['three parts', `${'a'.repeat(32)}.${'b'.repeat(32)}.${'c'.repeat(32)}`],
    ['short secret', `${'a'.repeat(32)}.${'b'.repeat(31)}`],
    ['long id', `${'a'.repeat(33)}.${'b'.repeat(32)}`],
    ['upper case', `${'A'.repeat(32)}.${'b'.repeat(32)}`],
    ['outside base32 (0,1,8,9)', `${'0189'.repeat(8)}.${'b'.repeat(32)}`],
    ['base64 padding', `${'a'.repeat(31)}=.${'b'.repeat(32)}`],
    ['whitespace', ` ${good}`],
    ['SQL', `' OR 1=1 --.${'b'.repeat(32)}`],
  ])('rejects a malformed token (%s)', (_name, token) => {
    expect(parseSessionToken(token)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects non-strings', () => {
    expect(parseSessionToken(undefined)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseSessionToken(null)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('secretMatchesHash (constant-time compare of SHA-256 hashes)', () => {
  it('matches the right secret', () => {
    const secret = generateTokenPart();
    expect(secretMatchesHash(secret, hashSessionSecret(secret))).toBe(true);
  });

  it('refuses a wrong secret for the right id', () => {
    const { token, secretHash } = generateSessionToken();
    const [id] = token.split('.') as [string, string];
    const wrong = parseSessionToken(`${id}.${generateTokenPart()}`);
    expect(wrong.ok).toBe(true);
    if (wrong.ok) expect(secretMatchesHash(wrong.secret, secretHash)).toBe(false);
  });

  it('refuses a secret that differs in one character only (first, middle, last)', () => {
    const secret = 'abcdefghijklmnopqrstuvwxyz234567';
    const hash = hashSessionSecret(secret);
    for (const i of [0, 16, 31]) {
      const flipped = secret.slice(0, i) + (secret[i] === 'a' ? 'b' : 'a') + secret.slice(i + 1);
      expect(secretMatchesHash(flipped, hash)).toBe(false);
    }
  });

  it('refuses a stored hash of a different length (a corrupt row), and an empty one', () => {
    const secret = generateTokenPart();
    const hash = hashSessionSecret(secret);
    expect(secretMatchesHash(secret, hash.slice(0, 31))).toBe(false);
    expect(secretMatchesHash(secret, new Uint8Array(0))).toBe(false);
    expect(secretMatchesHash(secret, new Uint8Array(32))).toBe(false);
  });

  it('does not treat the hash as the secret (a leaked row is not a cookie)', () => {
    const secret = generateTokenPart();
    const hash = hashSessionSecret(secret);
    const hashAsText = Buffer.from(hash).toString('hex');
    expect(secretMatchesHash(hashAsText, hash)).toBe(false);
  });
});

describe('sliding expiry', () => {
  const now = Date.UTC(2026, 5, 1);

  it('gives a new or extended session 30 days', () => {
    expect(SESSION_TTL_MS).toBe(30 * DAY);
    expect(freshExpiry(now)).toBe(now + 30 * DAY);
  });

  it('extends only when less than 15 days remain', () => {
    expect(SESSION_REFRESH_THRESHOLD_MS).toBe(15 * DAY);
    expect(shouldExtend(now + 30 * DAY, now)).toBe(false);
    expect(shouldExtend(now + 15 * DAY, now)).toBe(false);
    expect(shouldExtend(now + 15 * DAY - 1, now)).toBe(true);
    expect(shouldExtend(now + 1, now)).toBe(true);
  });

  it('never extends an expired session', () => {
    expect(shouldExtend(now, now)).toBe(false);
    expect(shouldExtend(now - 1, now)).toBe(false);
  });
});

describe('absolute lifetime (ADR 0020)', () => {
  const t = Date.UTC(2026, 5, 1);

  it('is 30 days from sign-in for admins and 90 for creators and readers', () => {
    expect(SESSION_MAX_AGE_MS).toEqual({ admin: 30 * DAY, creator: 90 * DAY, reader: 90 * DAY });
    expect(absoluteExpiry(t, 'reader')).toBe(t + 90 * DAY);
    expect(absoluteExpiry(t, 'admin')).toBe(t + 30 * DAY);
    expect(absoluteExpiry(t, 'creator')).toBe(t + 90 * DAY);
  });

  it('slides a creator session up to, never past, 90 days from sign-in', () => {
    // Used at day 20 with 10 days left: a fresh 30 days.
    expect(nextExpiry({ createdAt: t, expiresAt: t + 30 * DAY, role: 'creator' }, t + 20 * DAY)).toBe(t + 50 * DAY);
    // Used at day 80: 30 more days would pass day 90, so it ends at day 90.
    expect(nextExpiry({ createdAt: t, expiresAt: t + 90 * DAY - 5 * DAY, role: 'creator' }, t + 80 * DAY)).toBe(t + 90 * DAY);
    // Nothing to do far from the idle end.
    expect(nextExpiry({ createdAt: t, expiresAt: t + 50 * DAY, role: 'creator' }, t + 21 * DAY)).toBe(t + 50 * DAY);
  });

  it('never lets an admin session slide past 30 days from sign-in', () => {
    expect(nextExpiry({ createdAt: t, expiresAt: t + 30 * DAY, role: 'admin' }, t + 20 * DAY)).toBe(t + 30 * DAY);
  });

  it('pulls in an expiry beyond the limit (an old row, or a role that became admin)', () => {
    expect(nextExpiry({ createdAt: t, expiresAt: t + 70 * DAY, role: 'admin' }, t + 41 * DAY - 1)).toBe(t + 30 * DAY);
    expect(nextExpiry({ createdAt: t, expiresAt: t + 400 * DAY, role: 'creator' }, t + DAY)).toBe(t + 90 * DAY);
  });
});
