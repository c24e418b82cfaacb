/** Days as integers (days since the Unix epoch, UTC) for the daily rollup tables. */
export const DAY_MS = 86_400_000;

export function utcDay(at: number): number {
  return Math.floor(at / DAY_MS);
}

export function dayStart(day: number): number {
  return day * DAY_MS;
}

/** "2026-11-23" for a day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
