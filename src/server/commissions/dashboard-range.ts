/**
 * The creator dashboard's input and arithmetic, pure: the date range from the query
 * string (zod, docs/architecture.md, rule 6), the link builder's on-site path, conversion, and filling a
 * daily series. dashboard.ts turns a DashboardRange into SQL.
 *
 *   /dashboard                          → the last 30 days, today included (UTC)
 *   /dashboard?days=7                   → a preset: 7, 30 or 90 days
 *   /dashboard?from=2026-10-01&to=2026-10-31
 *
 * Days are calendar days in UTC, like the rollup tables (click_daily, card_daily) and the admin's
 * order filters; `to` includes its whole day. There is deliberately no parameter that names a
 * creator: the creator always comes from the session (see dashboard.ts).
 */
import { z } from 'zod';
import { DAY_MS, isoDay, parseIsoDay, utcDay } from '../shared/index.ts';
import { safeTarget } from '../attribution/index.ts';

export const DASHBOARD_PATH = '/dashboard';
export const DASHBOARD_PRESETS = [7, 30, 90] as const;
export type DashboardPreset = (typeof DASHBOARD_PRESETS)[number];
export const DEFAULT_PRESET: DashboardPreset = 30;
/** A year and a day: long enough for "last year", short enough to keep every query bounded. */
export const MAX_RANGE_DAYS = 366;
const EARLIEST = '2000-01-01';

export interface DashboardRange {
  /** YYYY-MM-DD, UTC, inclusive. */
  from: string;
  to: string;
  /** Days since the epoch (the rollups' `day` column), inclusive. */
  fromDay: number;
  toDay: number;
  /** Milliseconds: `fromMs` ≤ t < `toMs` (midnight after `to`). */
  fromMs: number;
  toMs: number;
  /** Number of days in the range. */
  days: number;
  /** The preset this range came from, or null for typed dates. */
  preset: DashboardPreset | null;
}

export type FieldError = { field: string; message: string };
export type ParsedRange = { ok: true; range: DashboardRange } | { ok: false; errors: FieldError[] };

/** "2026-03-01" → its day number, or null when it is not a real calendar day. */
export function parseIsoDayNumber(s: string): number | null {
  const start = parseIsoDay(s);
  return start === null ? null : utcDay(start);
}

const day = z
  .string()
  .max(10, 'must be a date like 2026-10-31')
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-10-31')
  .refine((s) => parseIsoDayNumber(s) !== null, 'is not a real calendar date')
  .refine((s) => s >= EARLIEST, `must be ${EARLIEST} or later`);

const schema = z
  .object({
    days: z
      .enum(DASHBOARD_PRESETS.map(String) as [string, ...string[]], { error: `must be one of ${DASHBOARD_PRESETS.join(', ')}` })
      .transform((s) => Number(s) as DashboardPreset)
      .optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.days !== undefined && (v.from !== undefined || v.to !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['days'], message: 'cannot be combined with dates: choose a preset or a from/to range' });
    }
    if ((v.from === undefined) !== (v.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.from === undefined ? 'from' : 'to'], message: 'is needed too: give both dates' });
    }
    if (v.from !== undefined && v.to !== undefined && parseIsoDayNumber(v.from) !== null && parseIsoDayNumber(v.to) !== null) {
      const span = parseIsoDayNumber(v.to)! - parseIsoDayNumber(v.from)! + 1;
      if (span < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after the “to” date' });
      else if (span > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after the “from” date` });
    }
  });

const LABELS: Record<string, string> = { days: 'Period', from: 'From date', to: 'To date' };

export function rangeOf(fromDay: number, toDay: number, preset: DashboardPreset | null = null): DashboardRange {
  return {
    from: isoDay(fromDay),
    to: isoDay(toDay),
    fromDay,
    toDay,
    fromMs: fromDay * DAY_MS,
    toMs: (toDay + 1) * DAY_MS,
    days: toDay - fromDay + 1,
    preset,
  };
}

/** The `n` days ending today (UTC), today included. */
export function presetRange(n: DashboardPreset, now: number): DashboardRange {
  const today = utcDay(now);
  return rangeOf(today - n + 1, today, n);
}

/**
 * Reads `days`, `from` and `to` (blank values count as missing; every other parameter is ignored).
 * @example parseDashboardRange(new URLSearchParams('from=2026-10-01&to=2026-10-31'), Date.now())
 *   // { ok: true, range: { from: '2026-10-01', to: '2026-10-31', days: 31, preset: null, … } }
 * @example parseDashboardRange(new URLSearchParams('from=2026-02-30&to=2026-03-01'), Date.now())
 *   // { ok: false, errors: [{ field: 'from', message: 'From date is not a real calendar date' }] }
 */
export function parseDashboardRange(params: URLSearchParams, now: number): ParsedRange {
  const raw: Record<string, string> = {};
  for (const key of ['days', 'from', 'to']) {
    const v = params.get(key)?.trim();
    if (v) raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    for (const i of parsed.error.issues) {
      const field = String(i.path[0] ?? 'days');
      if (seen.has(field)) continue; // one message per field is enough
      seen.add(field);
      errors.push({ field, message: `${LABELS[field] ?? field} ${i.message}` });
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  if (v.from !== undefined && v.to !== undefined) {
    return { ok: true, range: rangeOf(parseIsoDayNumber(v.from)!, parseIsoDayNumber(v.to)!) };
  }
  return { ok: true, range: presetRange(v.days ?? DEFAULT_PRESET, now) };
}

/** The query string that reproduces a range (presets stay presets), for links and exports. */
export function rangeSearch(range: DashboardRange): string {
  const qs = new URLSearchParams();
  if (range.preset !== null) qs.set('days', String(range.preset));
  else {
    qs.set('from', range.from);
    qs.set('to', range.to);
  }
  return qs.toString();
}

/** Dashboard URLs (the page and its exports), all carrying the range and nothing else. */
export const dashboardPaths = {
  page: (range?: DashboardRange) => (range ? `${DASHBOARD_PATH}?${rangeSearch(range)}` : DASHBOARD_PATH),
  preset: (n: DashboardPreset) => `${DASHBOARD_PATH}?days=${n}`,
  entriesCsv: (range: DashboardRange) => `${DASHBOARD_PATH}/export/entries.csv?${rangeSearch(range)}`,
  postsCsv: (range: DashboardRange) => `${DASHBOARD_PATH}/export/posts.csv?${rangeSearch(range)}`,
} as const;

// The chart's ticks live in their own module so the chart island does not bundle zod.
export { chartTicks } from './chart-ticks.ts';

/** "2.5%" (one decimal below 10 %, none above), or "—" when there is no rate. */
export function formatRate(rate: number | null, locale = 'en-US'): string {
  if (rate === null) return '—';
  const digits = rate < 0.1 ? 1 : 0;
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(rate);
}

export interface DailyPoint {
  /** YYYY-MM-DD */
  day: string;
  clicks: number;
  orders: number;
  salesCents: number;
}

/** One point per day of the range (zeros where nothing happened), oldest first. */
export function fillDays(
  range: Pick<DashboardRange, 'fromDay' | 'toDay'>,
  rows: { clicks?: readonly { day: number; clicks: number }[]; orders?: readonly { day: number; orders: number; salesCents: number }[] },
): DailyPoint[] {
  const clicks = new Map((rows.clicks ?? []).map((r) => [r.day, r.clicks]));
  const orders = new Map((rows.orders ?? []).map((r) => [r.day, r]));
  const out: DailyPoint[] = [];
  for (let d = range.fromDay; d <= range.toDay; d++) {
    const o = orders.get(d);
    out.push({ day: isoDay(d), clicks: clicks.get(d) ?? 0, orders: o?.orders ?? 0, salesCents: o?.salesCents ?? 0 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Link builder: any page of this site → /r/<CODE>?to=<path> (src/pages/r/[code].ts follows it)

export const LINK_PATH_MAX = 500;
/** `path: null` = no page given: the link opens the creator's own profile (what /r/<code> does without `to`). */
export type ParsedLinkPath = { ok: true; path: string | null } | { ok: false; message: string };

/**
 * The on-site path a referral link should land on. Accepts a path ("/posts/x?y#z") or a full URL
 * on the site's own origin (pasted from the address bar); refuses anything that would leave the
 * site (other hosts, protocol-relative "//evil", backslash and encoded-slash tricks, javascript:),
 * control characters, and links to a referral link. The result is checked with the referral
 * route's own `safeTarget`, so a link made here is never quietly sent somewhere else by /r/.
 * @example parseLinkPath('/posts/autumn-capsule-wardrobe', 'https://shop.example') // { ok: true, path: '/posts/autumn-capsule-wardrobe' }
 * @example parseLinkPath('https://evil.example/', 'https://shop.example') // { ok: false, message: '…' }
 * @example parseLinkPath('', 'https://shop.example') // { ok: true, path: null }
 */
export function parseLinkPath(input: string | null | undefined, siteUrl: string): ParsedLinkPath {
  const typed = (input ?? '').trim();
  if (typed === '') return { ok: true, path: null };
  if (typed.length > LINK_PATH_MAX) return { ok: false, message: `The page address must be at most ${LINK_PATH_MAX} characters.` };
  if (/[\u0000-\u001f\u007f\\]/.test(typed)) return { ok: false, message: 'The page address contains characters that cannot be in a link.' };
  const site = new URL(siteUrl);
  const offSite = { ok: false, message: `Links can only point to pages on ${site.host}. Enter a path like /posts/… or a ${site.origin} address.` } as const;
  let url: URL;
  if (typed.startsWith('/')) {
    if (typed.startsWith('//')) return offSite;
    url = new URL(typed, site.origin);
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(typed)) {
    try {
      url = new URL(typed);
    } catch {
      return { ok: false, message: 'That is not a page address.' };
    }
  } else {
    return { ok: false, message: 'Enter a path starting with / (for example /posts/…) or a full address on this site.' };
  }
  if (url.origin !== site.origin || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return offSite;
  if (/^\/r(\/|$)/i.test(url.pathname)) return { ok: false, message: 'That is already a referral link; enter the page it should open instead.' };
  const path = url.pathname + url.search + url.hash;
  const fallback = '\u0000refused';
  if (safeTarget(path, fallback) !== path) return offSite;
  return { ok: true, path };
}

/**
 * The absolute referral link: `/r/<CODE>` (opens the creator's profile) or `/r/<CODE>?to=<path>`.
 * @example referralUrl('https://shop.example', 'MAYA', '/posts/a') // 'https://shop.example/r/MAYA?to=%2Fposts%2Fa'
 * @example referralUrl('https://shop.example', 'MAYA', null) // 'https://shop.example/r/MAYA'
 */
export function referralUrl(siteUrl: string, code: string, path: string | null): string {
  const url = new URL(`/r/${encodeURIComponent(code)}`, new URL(siteUrl).origin);
  if (path !== null) url.searchParams.set('to', path);
  return url.href;
}
