/**
 * The signed attribution cookie (src/server/attribution/ref-cookie.ts): a security primitive, so
 * every way of editing it is tested (a security primitive, so every edge has a unit test).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REF_COOKIE, signRef, verifyRef, type RefClaim } from '../../../src/server/attribution/index.ts';
import { newClickId } from '../../../src/server/attribution/index.ts';

const DAY = 86_400_000;
const WINDOW = 30 * DAY;
const NOW = Date.UTC(2026, 10, 20, 12);
const secret = 'attribution-secret-for-tests-0123456789';
const claim: RefClaim = { clickId: 'Zk3c9_aQ-1xYtV0pLm2nB7rS', creatorId: 42, at: NOW - DAY };

/** Replaces one dot-separated part of a cookie value. */
function withPart(value: string, index: number, part: string): string {
  const parts = value.split('.');
  parts[index] = part;
  return parts.join('.');
}

describe('signRef / verifyRef', () => {
  it('round-trips a claim; the value is <clickId>.<creatorId>.<at>.<mac> and short', () => {
    const value = signRef(secret, claim);
    expect(REF_COOKIE).toBe('lb_ref');
    expect(value).toMatch(/^[A-Za-z0-9_-]{24}\.42\.\d{13}\.[A-Za-z0-9_-]{27}$/);
    expect(value.length).toBeLessThanOrEqual(120);
    expect(verifyRef(secret, value, NOW, WINDOW)).toEqual(claim);
  });

  it('accepts the click ids the queue makes', () => {
    const c = { ...claim, clickId: newClickId() };
    expect(verifyRef(secret, signRef(secret, c), NOW, WINDOW)).toEqual(c);
  });

  it('refuses a tampered creator id (crediting someone else), including a zero-padded one', () => {
    const value = signRef(secret, claim);
    for (const creator of ['41', '43', '1', '042', '4', '420']) {
      expect(verifyRef(secret, withPart(value, 1, creator), NOW, WINDOW), creator).toBeNull();
    }
  });

  it('refuses a tampered click id', () => {
    const value = signRef(secret, claim);
    expect(verifyRef(secret, withPart(value, 0, 'Zk3c9_aQ-1xYtV0pLm2nB7rT'), NOW, WINDOW)).toBeNull();
    expect(verifyRef(secret, withPart(value, 0, newClickId()), NOW, WINDOW)).toBeNull();
  });

  it('refuses a tampered time (to stretch the window)', () => {
    const value = signRef(secret, claim);
    expect(verifyRef(secret, withPart(value, 2, String(NOW - 1000)), NOW, WINDOW)).toBeNull();
  });

  it('refuses a tampered, truncated, padded or missing mac', () => {
    const value = signRef(secret, claim);
    const mac = value.split('.')[3]!;
    const flipped = (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1);
    for (const bad of [flipped, mac.slice(0, -1), `${mac}A`, '', mac.toUpperCase() === mac ? mac.toLowerCase() : mac.toUpperCase()]) {
      expect(verifyRef(secret, withPart(value, 3, bad), NOW, WINDOW), bad).toBeNull();
    }
    expect(verifyRef(secret, value.split('.').slice(0, 3).join('.'), NOW, WINDOW)).toBeNull();
  });

  it('refuses a value signed with another secret', () => {
    expect(verifyRef(secret, signRef('another-secret', claim), NOW, WINDOW)).toBeNull();
  });

  it('refuses malformed values', () => {
    const value = signRef(secret, claim);
    for (const bad of [undefined, null, '', 'a.b.c.d', `${value}.x`, `x.${value}`, value.replaceAll('.', ':'), `${value}${'A'.repeat(120)}`, 'short.1.1.mac']) {
      expect(verifyRef(secret, bad, NOW, WINDOW), String(bad)).toBeNull();
    }
  });

  it('expires after the window (inclusive boundary)', () => {
    expect(verifyRef(secret, signRef(secret, { ...claim, at: NOW - WINDOW }), NOW, WINDOW)).not.toBeNull();
    expect(verifyRef(secret, signRef(secret, { ...claim, at: NOW - WINDOW - 1 }), NOW, WINDOW)).toBeNull();
    expect(verifyRef(secret, signRef(secret, claim), NOW + WINDOW, WINDOW)).toBeNull();
  });

  it('refuses a future-dated claim, allowing one minute of clock skew between instances', () => {
    expect(verifyRef(secret, signRef(secret, { ...claim, at: NOW + 60_000 }), NOW, WINDOW)).not.toBeNull();
    expect(verifyRef(secret, signRef(secret, { ...claim, at: NOW + 60_001 }), NOW, WINDOW)).toBeNull();
    expect(verifyRef(secret, signRef(secret, { ...claim, at: NOW + DAY }), NOW, WINDOW)).toBeNull();
  });

  it('any single-character change to a valid value is refused', () => {
    const value = signRef(secret, claim);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat(value.length - 1), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(value[i] !== ch);
        const edited = value.slice(0, i) + ch + value.slice(i + 1);
        expect(verifyRef(secret, edited, NOW, WINDOW)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
