import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_POLICY,
  IP_POLICY,
  accountKey,
  checkBucket,
  countAttempt,
  ipKey,
  normaliseIp,
  refundAttempt,
  toRetryAfterSeconds,
  type ThrottleBucket,
} from '../../../src/server/auth/rate-limit.ts';

const MIN = 60_000;
const t0 = Date.UTC(2026, 5, 1, 12);

/** Applies `n` attempts one second apart, checking each is allowed first. */
function attempts(n: number, policy = ACCOUNT_POLICY, start = t0, bucket?: ThrottleBucket) {
  let b = bucket;
  for (let i = 0; i < n; i++) {
    const now = start + i * 1000;
    expect(checkBucket(b, now).allowed).toBe(true);
    b = countAttempt(b, policy, now);
  }
  return b!;
}

describe('policies', () => {
  it('are 5 per 15 minutes per account and 20 per 15 minutes per IP, locking for 15 minutes', () => {
    expect(ACCOUNT_POLICY).toEqual({ maxAttempts: 5, windowMs: 15 * MIN, lockMs: 15 * MIN });
    expect(IP_POLICY).toEqual({ maxAttempts: 20, windowMs: 15 * MIN, lockMs: 15 * MIN });
  });
});

describe('checkBucket / countAttempt', () => {
  it('allows a key that has never failed', () => {
    expect(checkBucket(undefined, t0)).toEqual({ allowed: true });
  });

  it('opens a window on the first attempt', () => {
    expect(countAttempt(undefined, ACCOUNT_POLICY, t0)).toEqual({ failures: 1, windowStartedAt: t0, lockedUntil: 0 });
  });

  it('allows 4 attempts without a lock; the 5th locks the account for 15 minutes', () => {
    const four = attempts(4);
    expect(four).toMatchObject({ failures: 4, lockedUntil: 0 });
    const fifthAt = t0 + 4000;
    const five = countAttempt(four, ACCOUNT_POLICY, fifthAt);
    expect(five).toEqual({ failures: 5, windowStartedAt: t0, lockedUntil: fifthAt + 15 * MIN });
    expect(checkBucket(five, fifthAt + 1)).toEqual({ allowed: false, retryAfterMs: 15 * MIN - 1 });
    expect(checkBucket(five, fifthAt + 15 * MIN - 1)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(checkBucket(five, fifthAt + 15 * MIN)).toEqual({ allowed: true });
  });

  it('starts a fresh window (and count) after a lock has passed', () => {
    const locked = attempts(5);
    const after = locked.lockedUntil;
    expect(countAttempt(locked, ACCOUNT_POLICY, after)).toEqual({ failures: 1, windowStartedAt: after, lockedUntil: 0 });
  });

  it('forgets attempts from a window that has ended', () => {
    const four = attempts(4);
    const later = t0 + 15 * MIN;
    expect(countAttempt(four, ACCOUNT_POLICY, later)).toEqual({ failures: 1, windowStartedAt: later, lockedUntil: 0 });
    expect(countAttempt(four, ACCOUNT_POLICY, later - 1)).toMatchObject({ failures: 5, windowStartedAt: t0 });
  });

  it('gives an IP 20 attempts', () => {
    const nineteen = attempts(19, IP_POLICY);
    expect(nineteen.lockedUntil).toBe(0);
    const twenty = countAttempt(nineteen, IP_POLICY, t0 + 19_000);
    expect(twenty.lockedUntil).toBe(t0 + 19_000 + 15 * MIN);
  });
});

describe('refundAttempt', () => {
  it('gives one attempt back', () => {
    const three = attempts(3, IP_POLICY);
    expect(refundAttempt(three, IP_POLICY, t0 + 5000)).toEqual({ failures: 2, windowStartedAt: t0, lockedUntil: 0 });
  });

  it('lifts a lock that the successful attempt itself set', () => {
    const twenty = attempts(20, IP_POLICY);
    expect(twenty.lockedUntil).toBe(t0 + 19_000 + IP_POLICY.lockMs); // the 20th attempt locks
    expect(refundAttempt(twenty, IP_POLICY, t0 + 20_000)).toEqual({ failures: 19, windowStartedAt: t0, lockedUntil: 0 });
  });

  it('drops buckets with nothing left, or whose window ended', () => {
    expect(refundAttempt(undefined, IP_POLICY, t0)).toBeNull();
    expect(refundAttempt(attempts(1, IP_POLICY), IP_POLICY, t0 + 1)).toBeNull();
    expect(refundAttempt(attempts(3, IP_POLICY), IP_POLICY, t0 + 15 * MIN)).toBeNull();
  });
});

describe('keys', () => {
  it('normalise the email so casing and spaces do not open new buckets', () => {
    expect(accountKey(' Ana@Example.COM ')).toBe('email:ana@example.com');
    expect(accountKey('x'.repeat(1000))).toHaveLength('email:'.length + 320);
  });

  it('use IPv4 addresses as they are, including IPv4-mapped IPv6', () => {
    expect(ipKey('203.0.113.9')).toBe('ip:203.0.113.9');
    expect(normaliseIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(normaliseIp('0:0:0:0:0:ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('bucket IPv6 clients by /64, so rotating the interface id does not help', () => {
    expect(normaliseIp('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(normaliseIp('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(normaliseIp('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(normaliseIp('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(normaliseIp('::1')).toBe('0:0:0:0::/64');
    expect(normaliseIp('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('keep unparseable addresses as they are rather than merging them', () => {
    expect(normaliseIp('not-an-ip')).toBe('not-an-ip');
    expect(normaliseIp('1::2::3')).toBe('1::2::3');
  });
});

describe('toRetryAfterSeconds', () => {
  it('rounds up and never says 0', () => {
    expect(toRetryAfterSeconds(15 * MIN)).toBe(900);
    expect(toRetryAfterSeconds(1)).toBe(1);
    expect(toRetryAfterSeconds(1001)).toBe(2);
    expect(toRetryAfterSeconds(0)).toBe(1);
  });
});
