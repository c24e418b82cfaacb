import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_POLICY,
  IP_POLICY,
  PAIR_POLICY,
  accountKey,
  checkBucket,
  countAttempt,
  delayAfter,
  ipKey,
  normaliseIp,
  pairKey,
  refundAttempt,
  toRetryAfterSeconds,
  type ThrottleBucket,
} from '../../../src/server/auth/index.ts';

const MIN = 60_000;
const t0 = Date.UTC(2026, 5, 1, 12);

/** Applies `n` attempts, each as soon as the bucket allows it (one second apart at least), checking each is allowed. */
function attempts(n: number, policy = PAIR_POLICY, start = t0, bucket?: ThrottleBucket) {
  let b = bucket;
  let now = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) now = Math.max(now + 1000, b!.lockedUntil);
    expect(checkBucket(b, now).allowed).toBe(true);
    b = countAttempt(b, policy, now);
  }
  return b!;
}

describe('policies', () => {
  it('slow down rather than lock: 5 free per hour per account+address, 50 per 15 minutes per address, 100 per day per account', () => {
    expect(PAIR_POLICY).toEqual({ freeAttempts: 5, windowMs: 60 * MIN, baseDelayMs: 1000, maxDelayMs: 15 * MIN });
    expect(IP_POLICY).toEqual({ freeAttempts: 50, windowMs: 15 * MIN, baseDelayMs: 1000, maxDelayMs: 15 * MIN });
    expect(ACCOUNT_POLICY).toEqual({ freeAttempts: 100, windowMs: 24 * 60 * MIN, baseDelayMs: 1000, maxDelayMs: 15 * MIN });
  });
});

describe('delayAfter', () => {
  it('is nothing before the last free attempt, then doubles from one second, capped at 15 minutes', () => {
    expect([1, 2, 3, 4].map((n) => delayAfter(PAIR_POLICY, n))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9].map((n) => delayAfter(PAIR_POLICY, n))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(delayAfter(PAIR_POLICY, 15)).toBe(15 * MIN);
    expect(delayAfter(PAIR_POLICY, 5000)).toBe(15 * MIN);
  });
});

describe('checkBucket / countAttempt', () => {
  it('allows a key that has never failed', () => {
    expect(checkBucket(undefined, t0)).toEqual({ allowed: true });
  });

  it('opens a window on the first attempt', () => {
    expect(countAttempt(undefined, PAIR_POLICY, t0)).toEqual({ failures: 1, windowStartedAt: t0, lockedUntil: 0 });
  });

  it('allows 4 attempts without a delay; the 5th makes the next one wait a second, not 15 minutes', () => {
    const four = attempts(4);
    expect(four).toMatchObject({ failures: 4, lockedUntil: 0 });
    const fifthAt = t0 + 4000;
    const five = countAttempt(four, PAIR_POLICY, fifthAt);
    expect(five).toEqual({ failures: 5, windowStartedAt: t0, lockedUntil: fifthAt + 1000 });
    expect(checkBucket(five, fifthAt + 1)).toEqual({ allowed: false, retryAfterMs: 999 });
    expect(checkBucket(five, fifthAt + 1000)).toEqual({ allowed: true });
  });

  it('makes each further attempt wait twice as long, up to 15 minutes', () => {
    const ten = attempts(10);
    expect(ten.lockedUntil - (ten.windowStartedAt + 4000 + 1000 + 2000 + 4000 + 8000 + 16000)).toBe(32_000);
    const many = countAttempt({ failures: 40, windowStartedAt: t0, lockedUntil: 0 }, PAIR_POLICY, t0 + MIN);
    expect(many).toEqual({ failures: 41, windowStartedAt: t0, lockedUntil: t0 + MIN + 15 * MIN });
    expect(checkBucket(many, many.lockedUntil - 1)).toEqual({ allowed: false, retryAfterMs: 1 });
  });

  it('keeps brute force slow: from one address, at most ~20 guesses in an hour on one account', () => {
    let b: ThrottleBucket | undefined;
    let now = t0;
    let guesses = 0;
    while (now < t0 + 60 * MIN) {
      if (checkBucket(b, now).allowed) {
        b = countAttempt(b, PAIR_POLICY, now);
        guesses++;
      }
      now = Math.max(now + 1000, b?.lockedUntil ?? 0);
    }
    expect(guesses).toBeGreaterThanOrEqual(10);
    expect(guesses).toBeLessThanOrEqual(20);
  });

  it('forgets attempts from a window that has ended', () => {
    const four = attempts(4);
    const later = t0 + PAIR_POLICY.windowMs;
    expect(countAttempt(four, PAIR_POLICY, later)).toEqual({ failures: 1, windowStartedAt: later, lockedUntil: 0 });
    expect(countAttempt(four, PAIR_POLICY, later - 1)).toMatchObject({ failures: 5, windowStartedAt: t0 });
  });

  it('gives an address 50 attempts across accounts before slowing it down', () => {
    const fortyNine = attempts(49, IP_POLICY);
    expect(fortyNine.lockedUntil).toBe(0);
    const fifty = countAttempt(fortyNine, IP_POLICY, t0 + 49_000);
    expect(fifty.lockedUntil).toBe(t0 + 49_000 + 1000);
  });

  it('gives an account 100 attempts from everywhere in a day before slowing it down', () => {
    const ninetyNine = attempts(99, ACCOUNT_POLICY);
    expect(ninetyNine.lockedUntil).toBe(0);
    expect(countAttempt(ninetyNine, ACCOUNT_POLICY, t0 + 99_000).lockedUntil).toBe(t0 + 99_000 + 1000);
  });
});

describe('refundAttempt', () => {
  it('gives one attempt back', () => {
    const three = attempts(3, IP_POLICY);
    expect(refundAttempt(three, IP_POLICY, t0 + 5000)).toEqual({ failures: 2, windowStartedAt: t0, lockedUntil: 0 });
  });

  it('lifts a delay that the successful attempt itself set', () => {
    const fifty = attempts(50, IP_POLICY);
    expect(fifty.lockedUntil).toBe(t0 + 49_000 + IP_POLICY.baseDelayMs); // the 50th attempt sets the first delay
    expect(refundAttempt(fifty, IP_POLICY, t0 + 49_500)).toEqual({ failures: 49, windowStartedAt: t0, lockedUntil: 0 });
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

  it('pair the account with the address (IPv6 by /64), or with "-" when the address is unknown', () => {
    expect(pairKey(' Ana@Example.COM ', '203.0.113.9')).toBe('pair:ana@example.com|203.0.113.9');
    expect(pairKey('ana@example.com', '2001:db8:1:2:3:4:5:6')).toBe('pair:ana@example.com|2001:db8:1:2::/64');
    expect(pairKey('ana@example.com', null)).toBe('pair:ana@example.com|-');
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
