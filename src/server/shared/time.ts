/**
 * Time as integers: milliseconds since the epoch for instants, and day numbers (days since the
 * Unix epoch, UTC) for daily rollups and date filters. One home for day arithmetic and for parsing
 * the `YYYY-MM-DD` days people type into filters.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The UTC day number of an instant. */
export function utcDay(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** The instant a UTC day number starts. */
export function dayStart(day: number): number {
  return day * DAY_MS;
}

/** "2026-11-23" for a day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A `YYYY-MM-DD` calendar day (UTC) as the instant it starts, or null when it is not a real day.
 * @example parseIsoDay('2026-02-28') // 1772236800000;  parseIsoDay('2026-02-30') // null
 */
export function parseIsoDay(value: string | null | undefined): number | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 2026-02-30 over to March: only a day that prints back the same is real.
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : null;
}
