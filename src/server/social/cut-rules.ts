/**
 * Help-cut (砍一刀) rules, pure: no database, no clock of their own. All money in integer minor units.
 *
 * The model (db/schema/social.ts, cut_launches and cut_helps):
 * - When a launch starts, its whole schedule of cuts is fixed (`cutSchedule`): `helps` amounts that add
 *   up to exactly start − floor, largest first. Nothing random happens later, so the page can always say
 *   exactly how much is left and how many helps it takes.
 * - Each helper takes one cut that is still unused (`pickCut`): a new account the largest left, a
 *   returning one the smallest left. Which cut is taken depends on who helps, but every help uses up
 *   exactly one cut, so the floor is reached after exactly `helps` helps in any order, and never passed.
 * - A reader may help at most DAILY_HELP_LIMIT launches per shop-time-zone day (`shopDay`), counted by
 *   the `shop_day` column of cut_helps.
 */

export const MAX_HELPS = 100;

/** An account younger than this that has never helped counts as a new helper. */
export const NEW_HELPER_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Launches one reader may help per shop day. */
export const DAILY_HELP_LIMIT = 3;

/**
 * The cut amounts of a launch, fixed when it starts. The weight of cut i is `helps − i` (the first help
 * counts most), and start − floor is shared by those weights with the largest-remainder method in whole
 * minor units, ties going to the earlier cut, so the amounts add up exactly and never increase.
 *
 * Every cut is at least 1: while the smallest share would be under one minor unit (a small discount
 * spread over many helps), that cut is fixed at 1 and the rest is shared again among the earlier cuts
 * by their weights. When no share is under 1 (start − floor ≥ helps·(helps + 1)/2), this is plain
 * largest remainder.
 *
 * Throws a RangeError for impossible inputs: the admin form validates first, so this only guards bugs.
 * @example cutSchedule({ startCents: 5000, floorCents: 0, helps: 3 }) // [2500, 1667, 833]
 */
export function cutSchedule({ startCents, floorCents, helps }: { startCents: number; floorCents: number; helps: number }): number[] {
  if (!Number.isSafeInteger(startCents) || !Number.isSafeInteger(floorCents)) {
    throw new RangeError(`cut prices must be whole minor units (start ${startCents}, floor ${floorCents})`);
  }
  if (!Number.isInteger(helps) || helps < 1 || helps > MAX_HELPS) throw new RangeError(`helps must be a whole number from 1 to ${MAX_HELPS} (got ${helps})`);
  if (floorCents < 0) throw new RangeError(`the floor price cannot be negative (got ${floorCents})`);
  if (startCents <= floorCents) throw new RangeError(`the start price (${startCents}) must be above the floor price (${floorCents})`);
  const totalCents = startCents - floorCents;
  if (totalCents < helps) throw new RangeError(`start − floor (${totalCents}) must be at least one minor unit per help (${helps} helps)`);
  // Every amount × weight below stays a safe integer, so the arithmetic is exact.
  if (!Number.isSafeInteger(totalCents * helps)) throw new RangeError(`start − floor (${totalCents}) is too large`);

  const cuts = new Array<number>(helps).fill(1);
  // The cuts still shared by weight are a prefix [0, shared): weights decrease, so the smallest share
  // is always the last one of the prefix. While it is under one unit (amount · its weight < the weight
  // sum), it is fixed at 1 and the rest shared again; fixing it only raises the other shares.
  let shared = helps;
  let amount = totalCents;
  while (shared > 1 && amount * (helps - shared + 1) < prefixWeight(shared, helps)) {
    shared -= 1;
    amount -= 1;
  }
  largestRemainder(cuts, shared, helps, amount, prefixWeight(shared, helps));
  return cuts;
}

/** Σ (helps − i) for i in [0, n). */
function prefixWeight(n: number, helps: number): number {
  return n * helps - (n * (n - 1)) / 2;
}

/** Shares `amount` over cuts [0, shared) with weights helps − i (sum `weightSum`), exactly, into `cuts`. */
function largestRemainder(cuts: number[], shared: number, helps: number, amount: number, weightSum: number): void {
  const remainders: { i: number; rem: number }[] = [];
  let given = 0;
  for (let i = 0; i < shared; i++) {
    const product = amount * (helps - i);
    const rem = product % weightSum;
    cuts[i] = (product - rem) / weightSum;
    given += cuts[i]!;
    remainders.push({ i, rem });
  }
  // Same denominator for every cut, so remainders compare as integers: no floating-point ties.
  remainders.sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; k < amount - given; k++) cuts[remainders[k]!.i]! += 1;
}

/** Checks the used cut indexes against the schedule (the database's unique index makes them distinct). */
function usedSet(schedule: readonly number[], usedIndexes: readonly number[]): Set<number> {
  const used = new Set<number>();
  for (const i of usedIndexes) {
    if (!Number.isInteger(i) || i < 0 || i >= schedule.length) throw new RangeError(`cut index ${i} is not in a schedule of ${schedule.length} cuts`);
    if (used.has(i)) throw new RangeError(`cut index ${i} is used twice`);
    used.add(i);
  }
  return used;
}

/**
 * The index of the cut a helper takes: a new helper the largest cut left (the lowest unused index), a
 * returning helper the smallest left (the highest unused index). Null when every cut is used.
 * @example pickCut([2500, 1667, 833], [0], true) // 1
 * @example pickCut([2500, 1667, 833], [0], false) // 2
 */
export function pickCut(schedule: readonly number[], usedIndexes: readonly number[], newHelper: boolean): number | null {
  const used = usedSet(schedule, usedIndexes);
  if (newHelper) {
    for (let i = 0; i < schedule.length; i++) if (!used.has(i)) return i;
  } else {
    for (let i = schedule.length - 1; i >= 0; i--) if (!used.has(i)) return i;
  }
  return null;
}

/** The price once the used cuts are taken off the start price. */
export function priceAfter(startCents: number, schedule: readonly number[], usedIndexes: readonly number[]): number {
  const used = usedSet(schedule, usedIndexes);
  let cut = 0;
  for (const i of used) cut += schedule[i]!;
  return startCents - cut;
}

export interface CutState {
  priceCents: number;
  /** Taken off so far. */
  cutCents: number;
  helpsLeft: number;
  reachedFloor: boolean;
  /** What the next help takes off: `max` from a new helper, `min` from a returning one (null: none left). */
  nextCutRange: { min: number; max: number } | null;
}

/**
 * Where a launch stands, for its page: the price now, how much has been cut, and exactly how many helps
 * are left (each help uses one cut, so helps left = unused cuts). Throws if the schedule does not add up
 * to start − floor: a schedule is fixed at launch, so a mismatch is a bug, not a state to show.
 */
export function cutState({
  startCents,
  floorCents,
  schedule,
  usedIndexes,
}: {
  startCents: number;
  floorCents: number;
  schedule: readonly number[];
  usedIndexes: readonly number[];
}): CutState {
  const total = schedule.reduce((a, b) => a + b, 0);
  if (total !== startCents - floorCents) throw new RangeError(`the schedule adds up to ${total}, not start − floor (${startCents - floorCents})`);
  const priceCents = priceAfter(startCents, schedule, usedIndexes);
  const largest = pickCut(schedule, usedIndexes, true);
  const smallest = pickCut(schedule, usedIndexes, false);
  const helpsLeft = schedule.length - usedIndexes.length;
  return {
    priceCents,
    cutCents: startCents - priceCents,
    helpsLeft,
    reachedFloor: helpsLeft === 0,
    nextCutRange: largest === null || smallest === null ? null : { min: schedule[smallest]!, max: schedule[largest]! },
  };
}

/**
 * A new helper (who takes the largest cut left) is an account less than NEW_HELPER_WINDOW_MS old that has
 * never helped any launch before: one person can be new only once, however many launches they see.
 */
export function isNewHelper({ accountCreatedAt, earlierHelps, now }: { accountCreatedAt: number; earlierHelps: number; now: number }): boolean {
  return earlierHelps === 0 && now - accountCreatedAt < NEW_HELPER_WINDOW_MS;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day (YYYY-MM-DD) of an instant in the shop's IANA time zone: the daily help limit resets
 * at the shop's midnight, not the server's or UTC's. Throws a RangeError for an unknown time zone.
 * @example shopDay(Date.UTC(2024, 5, 15, 13), 'Pacific/Auckland') // '2024-06-16'
 * @example shopDay(Date.UTC(2024, 5, 15, 13), 'America/Los_Angeles') // '2024-06-15'
 */
export function shopDay(at: number, timeZone: string): string {
  if (!Number.isFinite(at)) throw new RangeError(`shopDay needs an instant in ms (got ${at})`);
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new RangeError(`"${timeZone}" is not an IANA time zone (for example Europe/London)`);
    }
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** Whether a reader who has helped `launchesHelpedToday` launches this shop day may help another. */
export function helpAllowedToday(launchesHelpedToday: number): boolean {
  return launchesHelpedToday < DAILY_HELP_LIMIT;
}
