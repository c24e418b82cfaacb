/**
 * Login throttling, stored in `login_throttles` so that every app instance sees the same counts
 * (instances are stateless). ADR 0021, after the OWASP Authentication Cheat Sheet ("Login
 * Throttling": slow down rather than lock out, so that guessing wrong cannot lock someone out).
 *
 * The model:
 * - Three keys per attempt, each with a fixed window that opens on its first attempt:
 *   - `pair:<email>|<address>` (PAIR_POLICY): the account from one address — 5 attempts per hour
 *     free, then a growing delay. This is what a person who mistypes meets; it touches nobody else.
 *   - `ip:<address>` (IP_POLICY): one address across accounts (password spraying) — 50 per
 *     15 minutes free, then a growing delay. High enough that people behind one office or carrier
 *     NAT do not slow each other down.
 *   - `email:<email>` (ACCOUNT_POLICY): the account from everywhere — a high ceiling, 100 per
 *     24 hours free, then a growing delay, so that guessing from many addresses stays impractical.
 * - Past its free attempts a key is slowed, not locked: each further attempt sets a "not before"
 *   time (`locked_until`) of 1 s, then 2 s, 4 s … doubling up to 15 minutes. An attempt before that
 *   time is refused with the wait (Retry-After) and not counted. From one address that is about
 *   18 guesses an hour on one account; from any number of addresses, about 200 a day.
 * - An attempt is counted *before* the password is checked. Counting afterwards would let N parallel
 *   requests all pass the check before any failure was recorded; counting first, with an atomic
 *   write, refuses the 6th parallel guess without spending argon2 time on it.
 * - Each write is a compare-and-set (UPDATE … WHERE the row is still what was read), retried on a
 *   lost race: atomic across instances without holding an interactive transaction open. (With the
 *   local libSQL client, a second connection's BEGIN IMMEDIATE blocks the event loop while the
 *   first transaction waits on it — a deadlock until the busy timeout; single statements cannot.)
 * - A successful login clears its account+address key and refunds its attempt to the address and
 *   the account keys (so people signing in behind one NAT do not slow each other by succeeding).
 *   A success never clears the shared keys outright: one valid account must not reset an address,
 *   and the owner signing in must not hand an attacker elsewhere a fresh allowance.
 * - Unknown emails are throttled exactly like known ones, so throttling reveals no accounts.
 * - IPv6 clients are bucketed by their /64, the block one subscriber usually controls.
 *
 * Pure decisions (`checkBucket`, `countAttempt`, `refundAttempt`, `delayAfter`, keys) are apart
 * from the DB code (`beginLoginAttempt`, `recordLoginSuccess`), which only reads, applies them and
 * compare-and-sets. Times are integer milliseconds.
 */
import { and, eq, inArray, lte } from 'drizzle-orm';
import { loginThrottles } from '../../../db/schema/auth.ts';
import type { DbOrTx } from '../db.ts';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

export interface ThrottlePolicy {
  /** Attempts in one window that cost nothing; each one after them sets a growing delay. */
  freeAttempts: number;
  windowMs: number;
  /** The delay set by the last free attempt; doubled by each further attempt … */
  baseDelayMs: number;
  /** … up to this. */
  maxDelayMs: number;
}

/** One account from one address: what a person who mistypes their password meets. */
export const PAIR_POLICY: ThrottlePolicy = { freeAttempts: 5, windowMs: HOUR_MS, baseDelayMs: SECOND_MS, maxDelayMs: 15 * MINUTE_MS };
/** One address across accounts (spraying); high, because offices and carriers share addresses. */
export const IP_POLICY: ThrottlePolicy = { freeAttempts: 50, windowMs: 15 * MINUTE_MS, baseDelayMs: SECOND_MS, maxDelayMs: 15 * MINUTE_MS };
/** One account from every address: the global ceiling against guessing from many addresses. */
export const ACCOUNT_POLICY: ThrottlePolicy = { freeAttempts: 100, windowMs: 24 * HOUR_MS, baseDelayMs: SECOND_MS, maxDelayMs: 15 * MINUTE_MS };

/**
 * One row of `login_throttles` without its key. `failures` counts attempts not yet refunded;
 * `lockedUntil` is the time before which the key takes no attempt (0: none) — a delay, not a lock.
 */
export interface ThrottleBucket {
  failures: number;
  windowStartedAt: number;
  lockedUntil: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

// ---------------------------------------------------------------------------------------------
// Pure logic (unit-tested in tests/unit/auth/rate-limit.test.ts)
// ---------------------------------------------------------------------------------------------

/** May another attempt be made on this key at `now`? */
export function checkBucket(bucket: ThrottleBucket | undefined, now: number): ThrottleDecision {
  if (bucket && bucket.lockedUntil > now) return { allowed: false, retryAfterMs: bucket.lockedUntil - now };
  return { allowed: true };
}

/**
 * The wait after the `failures`-th attempt of a window: none before the last free attempt, then
 * base, 2 × base, 4 × base … capped.
 * @example delayAfter(PAIR_POLICY, 5) // 1000 (the 5th attempt: the next one waits a second)
 * @example delayAfter(PAIR_POLICY, 7) // 4000
 */
export function delayAfter(policy: ThrottlePolicy, failures: number): number {
  const over = failures - policy.freeAttempts;
  if (over < 0) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(over, 30));
}

/** The bucket after one more (allowed) attempt: a new window if the old one ended, a delay past the free attempts. */
export function countAttempt(bucket: ThrottleBucket | undefined, policy: ThrottlePolicy, now: number): ThrottleBucket {
  const windowOpen = bucket !== undefined && now < bucket.windowStartedAt + policy.windowMs;
  const failures = windowOpen ? bucket.failures + 1 : 1;
  const windowStartedAt = windowOpen ? bucket.windowStartedAt : now;
  const delay = delayAfter(policy, failures);
  return { failures, windowStartedAt, lockedUntil: delay > 0 ? now + delay : 0 };
}

/**
 * Gives one attempt back after a successful login. Dropping below the free attempts lifts a delay
 * (the one this very attempt set, or an earlier one). Returns null when nothing is left worth keeping.
 */
export function refundAttempt(bucket: ThrottleBucket | undefined, policy: ThrottlePolicy, now: number): ThrottleBucket | null {
  if (!bucket) return null;
  if (now >= bucket.windowStartedAt + policy.windowMs && bucket.lockedUntil <= now) return null;
  const failures = Math.max(0, bucket.failures - 1);
  if (failures === 0 && bucket.lockedUntil <= now) return null;
  const lockedUntil = failures < policy.freeAttempts ? 0 : bucket.lockedUntil;
  return { failures, windowStartedAt: bucket.windowStartedAt, lockedUntil };
}

/** Whole seconds to wait, rounded up (for `Retry-After` and the form message). */
export function toRetryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A wait in words for a refusal message.
 * @example waitInWords(45) // '45 seconds';  waitInWords(90) // '2 minutes'
 */
export function waitInWords(secs: number): string {
  const minutes = Math.ceil(secs / 60);
  return secs < 60 ? `${secs} ${secs === 1 ? 'second' : 'seconds'}` : `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

/**
 * Counts one request in the shared bucket `key` (every instance sees it, `login_throttles`) and
 * says whether it may go ahead — for forms that email something (order links, sign-in links).
 */
export async function countRequest(db: DbOrTx, key: string, policy: ThrottlePolicy, now: number): Promise<ThrottleDecision> {
  const row = await db.select().from(loginThrottles).where(eq(loginThrottles.key, key)).get();
  const current: ThrottleBucket | undefined = row ? { failures: row.failures, windowStartedAt: row.windowStartedAt, lockedUntil: row.lockedUntil } : undefined;
  const decision = checkBucket(current, now);
  if (!decision.allowed) return decision;
  const next = countAttempt(current, policy, now);
  await db
    .insert(loginThrottles)
    .values({ key, ...next })
    .onConflictDoUpdate({ target: loginThrottles.key, set: { failures: next.failures, windowStartedAt: next.windowStartedAt, lockedUntil: next.lockedUntil } });
  return { allowed: true };
}

/** Keys are capped so that a huge submitted value cannot bloat the table. */
const MAX_KEY_VALUE = 320;

/** @example accountKey(' Ana@Example.com ') // 'email:ana@example.com' */
export function accountKey(email: string): string {
  return `email:${email.trim().toLowerCase().slice(0, MAX_KEY_VALUE)}`;
}

/**
 * The account from one address; `-` when the address is unknown (then every such attempt shares it).
 * @example pairKey('Ana@Example.com', '2001:db8:1:2::9') // 'pair:ana@example.com|2001:db8:1:2::/64'
 */
export function pairKey(email: string, ip: string | null): string {
  return `pair:${email.trim().toLowerCase().slice(0, MAX_KEY_VALUE)}|${ip === null ? '-' : normaliseIp(ip).slice(0, MAX_KEY_VALUE)}`;
}

/**
 * @example ipKey('203.0.113.9') // 'ip:203.0.113.9'
 * @example ipKey('2001:db8:1:2:3:4:5:6') // 'ip:2001:db8:1:2::/64'
 */
export function ipKey(ip: string): string {
  return `ip:${normaliseIp(ip).slice(0, MAX_KEY_VALUE)}`;
}

/** IPv4 as is (also when IPv4-mapped in IPv6); IPv6 reduced to its /64 prefix. */
export function normaliseIp(raw: string): string {
  let ip = raw.trim().toLowerCase();
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  if (!ip.includes(':')) return ip;
  const mapped = /^(?:::|(?:0{1,4}:){5})ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const hextets = expandIpv6(ip);
  if (!hextets) return ip;
  return `${hextets.slice(0, 4).map((h) => h.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function expandIpv6(ip: string): string[] | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return all.every((h) => /^[0-9a-f]{1,4}$/.test(h)) ? all : null;
}

// ---------------------------------------------------------------------------------------------
// Database (integration-tested in tests/integration/auth/rate-limit.test.ts)
// ---------------------------------------------------------------------------------------------

export interface LoginSubject {
  email: string;
  /** The client address; null when unknown (then only the account is throttled). */
  ip: string | null;
}

export type LoginAttempt =
  | {
      allowed: true;
      /** The latest delay this attempt set on any key (0 if none): a failing attempt that set one is reported as throttled. */
      lockedUntil: number;
    }
  | { allowed: false; retryAfterMs: number };

/** Compare-and-set rounds before giving up on a key that is being hammered (then: refuse, fail closed). */
const MAX_CAS_ROUNDS = 20;
/** What a refused-by-contention attempt is told to wait. */
const CONTENTION_RETRY_MS = 1000;

/** The narrowest key first: a person's own mistakes are counted (and refused) before shared keys move. */
function keysFor(subject: LoginSubject): { key: string; policy: ThrottlePolicy }[] {
  const keys = [{ key: pairKey(subject.email, subject.ip), policy: PAIR_POLICY }];
  if (subject.ip) keys.push({ key: ipKey(subject.ip), policy: IP_POLICY });
  keys.push({ key: accountKey(subject.email), policy: ACCOUNT_POLICY });
  return keys;
}

async function readBuckets(db: DbOrTx, keys: string[]): Promise<Map<string, ThrottleBucket>> {
  const rows = await db.select().from(loginThrottles).where(inArray(loginThrottles.key, keys));
  return new Map(rows.map((r) => [r.key, { failures: r.failures, windowStartedAt: r.windowStartedAt, lockedUntil: r.lockedUntil }]));
}

/**
 * Replaces `expected` (undefined = no row) by `next` (null = no row) only if the row is still
 * `expected`. One statement each, so it is atomic on a file and on a libSQL server alike.
 */
async function compareAndSet(db: DbOrTx, key: string, expected: ThrottleBucket | undefined, next: ThrottleBucket | null): Promise<boolean> {
  if (!expected) {
    if (!next) return true;
    const inserted = await db.insert(loginThrottles).values({ key, ...next }).onConflictDoNothing().returning({ key: loginThrottles.key });
    return inserted.length === 1;
  }
  const unchanged = and(
    eq(loginThrottles.key, key),
    eq(loginThrottles.failures, expected.failures),
    eq(loginThrottles.windowStartedAt, expected.windowStartedAt),
    eq(loginThrottles.lockedUntil, expected.lockedUntil),
  );
  const changed = next
    ? await db.update(loginThrottles).set(next).where(unchanged).returning({ key: loginThrottles.key })
    : await db.delete(loginThrottles).where(unchanged).returning({ key: loginThrottles.key });
  return changed.length === 1;
}

/** Reads a bucket, applies `change`, writes it back if nobody else did in between; retries otherwise. */
async function updateBucket<T>(
  db: DbOrTx,
  key: string,
  change: (current: ThrottleBucket | undefined) => { write: ThrottleBucket | null | 'skip'; result: T },
): Promise<T | undefined> {
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const current = (await readBuckets(db, [key])).get(key);
    const { write, result } = change(current);
    if (write === 'skip' || (await compareAndSet(db, key, current, write))) return result;
  }
  return undefined;
}

/**
 * Counts a login attempt against the account+address, the address and the account, or refuses it
 * (writing nothing) while any of them is still waiting out a delay. Call before checking the password.
 */
export async function beginLoginAttempt(db: DbOrTx, subject: LoginSubject, now: number = Date.now()): Promise<LoginAttempt> {
  const keys = keysFor(subject);

  // Refuse up front if any key is waiting, so a slowed address does not also run up the account's count.
  const buckets = await readBuckets(
    db,
    keys.map((k) => k.key),
  );
  let retryAfterMs = 0;
  for (const { key } of keys) {
    const decision = checkBucket(buckets.get(key), now);
    if (!decision.allowed) retryAfterMs = Math.max(retryAfterMs, decision.retryAfterMs);
  }
  if (retryAfterMs > 0) return { allowed: false, retryAfterMs };

  // Count on each key. A key delayed by a parallel request in the meantime refuses this attempt;
  // a key counted before that stays counted (errs on the strict side, only under a race).
  let lockedUntil = 0;
  for (const { key, policy } of keys) {
    const outcome = await updateBucket<ThrottleDecision & { lockedUntil?: number }>(db, key, (current) => {
      const decision = checkBucket(current, now);
      if (!decision.allowed) return { write: 'skip', result: decision };
      const next = countAttempt(current, policy, now);
      return { write: next, result: { allowed: true, lockedUntil: next.lockedUntil } };
    });
    if (!outcome) return { allowed: false, retryAfterMs: CONTENTION_RETRY_MS };
    if (!outcome.allowed) return outcome;
    lockedUntil = Math.max(lockedUntil, outcome.lockedUntil ?? 0);
  }
  return { allowed: true, lockedUntil };
}

/** After a correct password: clear the account+address key, give the address and the account their attempt back. */
export async function recordLoginSuccess(db: DbOrTx, subject: LoginSubject, now: number = Date.now()): Promise<void> {
  await db.delete(loginThrottles).where(eq(loginThrottles.key, pairKey(subject.email, subject.ip)));
  const shared = [{ key: accountKey(subject.email), policy: ACCOUNT_POLICY }];
  if (subject.ip) shared.push({ key: ipKey(subject.ip), policy: IP_POLICY });
  for (const { key, policy } of shared) {
    // Best effort: if the refund keeps losing races the key simply keeps one extra count.
    await updateBucket(db, key, (current) => ({
      write: current ? refundAttempt(current, policy, now) : 'skip',
      result: true,
    }));
  }
}

/** The current state of one key (for an admin "unlock" screen and for tests). */
export async function getThrottle(db: DbOrTx, key: string): Promise<ThrottleBucket | undefined> {
  return (await readBuckets(db, [key])).get(key);
}

/** Housekeeping for a sweeper: rows whose window and delay have both passed mean nothing any more. */
export async function deleteStaleThrottles(db: DbOrTx, now: number = Date.now()): Promise<number> {
  const longestWindow = Math.max(PAIR_POLICY.windowMs, ACCOUNT_POLICY.windowMs, IP_POLICY.windowMs);
  const deleted = await db
    .delete(loginThrottles)
    .where(and(lte(loginThrottles.windowStartedAt, now - longestWindow), lte(loginThrottles.lockedUntil, now)))
    .returning({ key: loginThrottles.key });
  return deleted.length;
}
