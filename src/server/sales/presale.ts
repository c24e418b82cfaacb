/**
 * Pure presale (预售) rules and the shop's clock for sale forms (docs/decisions/0051-flash-sales-markdowns-presale.md).
 *
 * A presale sells a product before it is in stock, up to `capUnits` units in all, each order
 * promised the ship date (a calendar day in the shop's time zone). It is open from `opensAt` (or
 * its creation) until `closesAt`, which is at the latest the start of the ship date: once the goods
 * ship, the product sells from stock again.
 */

export interface Presale {
  id: number;
  productId: number;
  /** YYYY-MM-DD in the shop's time zone. */
  shipsOn: string;
  capUnits: number;
  opensAt: number | null;
  /** Always set when saved (at the latest midnight of the ship date in the shop's time zone). */
  closesAt: number | null;
  canceledAt: number | null;
}

export interface PresaleView {
  presaleId: number;
  /** YYYY-MM-DD, in the shop's time zone. */
  shipsOn: string;
  /** upcoming: announced, not yet open; open: orders taken now; full: the cap is reached. */
  state: 'upcoming' | 'open' | 'full';
  capUnits: number;
  unitsLeft: number;
  opensAt: number | null;
  closesAt: number | null;
}

/** The presale shown for a product at `now`, or null when none is upcoming or open. */
export function presaleView(p: Presale | undefined, now: number, taken: number): PresaleView | null {
  if (!p || p.canceledAt !== null) return null;
  if (p.closesAt !== null && now >= p.closesAt) return null;
  const unitsLeft = Math.max(0, p.capUnits - taken);
  const state = p.opensAt !== null && now < p.opensAt ? 'upcoming' : unitsLeft > 0 ? 'open' : 'full';
  return { presaleId: p.id, shipsOn: p.shipsOn, state, capUnits: p.capUnits, unitsLeft, opensAt: p.opensAt, closesAt: p.closesAt };
}

/** When a presale's state next changes with the clock (opening, closing), or null. */
export function presaleBoundary(p: Presale | undefined, now: number): number | null {
  if (!p || p.canceledAt !== null) return null;
  const ts = [p.opensAt, p.closesAt].filter((t): t is number => t !== null && t > now);
  return ts.length ? Math.min(...ts) : null;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsCache.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of `at` in `timeZone`. */
export function wallClock(at: number, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(partsFormat(timeZone).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * The instant a wall-clock date and time in `timeZone` names (the admin types times in the shop's
 * zone). In a gap (spring forward) the later reading is used; in an overlap, the first.
 * @example zonedToEpoch('2026-01-12', '00:00', 'Asia/Shanghai') // Date.UTC(2026, 0, 11, 16)
 */
export function zonedToEpoch(date: string, time: string, timeZone: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, da, h, mi);
  if (new Date(asUtc).getUTCDate() !== da) return null; // 31 February
  // Two passes of "guess, read back the offset, correct" settle every real zone.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(guess, timeZone);
    const [wy, wmo, wd] = w.date.split('-').map(Number) as [number, number, number];
    const [wh, wmi] = w.time.split(':').map(Number) as [number, number];
    const seen = Date.UTC(wy, wmo - 1, wd, wh, wmi);
    guess += asUtc - seen;
  }
  return guess;
}

/** The shop's calendar day of `at` (YYYY-MM-DD). */
export function shopDate(at: number, timeZone: string): string {
  return wallClock(at, timeZone).date;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A ship date in words: "12 January" (the year only when it is not this year's).
 * @example shipDateText('2027-01-12', '2026-12-03') // '12 January 2027'
 */
export function shipDateText(shipsOn: string, today?: string): string {
  const [y, m, d] = shipsOn.split('-').map(Number) as [number, number, number];
  const sameYear = !today || today.slice(0, 4) === String(y);
  return `${d} ${MONTHS[m - 1]}${sameYear ? '' : ` ${y}`}`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * A moment in the shop's time zone, for sale messages and admin lists: "3 Dec, 10:00 GMT+8".
 * @example shopTimeText(Date.UTC(2026, 11, 3, 2), 'Asia/Shanghai') // '3 Dec, 10:00 GMT+8'
 */
export function shopTimeText(at: number, timeZone: string, locale = 'en-GB'): string {
  const key = `${locale}|${timeZone}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    timeFormats.set(key, f);
  }
  return f.format(at);
}

/**
 * What an order line says of its pre-order, on the order page and in emails.
 * @example preorderNote('2027-01-12', '2026-12-03') // 'Pre-order: ships on 12 January 2027'
 */
export function preorderNote(shipsOn: string, today?: string): string {
  return `Pre-order: ships on ${shipDateText(shipsOn, today)}`;
}
