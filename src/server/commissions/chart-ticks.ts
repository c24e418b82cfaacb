/** Pure and dependency-free: imported by the DailyChart island as well as the server. */

/**
 * Axis ticks for the daily chart: for counts (clicks, orders) whole numbers only — an axis that
 * reads "0.5 orders" says something impossible; for money, 0, half and the top.
 * @example chartTicks(1, true)  // [0, 1]
 * @example chartTicks(3, true)  // [0, 1, 2, 3, 4, 5]
 * @example chartTicks(37, true) // [0, 25, 50]
 */
export function chartTicks(max: number, integer: boolean): number[] {
  if (max <= 0) return [0, 1];
  const p = 10 ** Math.floor(Math.log10(max));
  const steps = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  let top = 10 * p;
  for (const m of steps) if (m * p >= max) {
    top = m * p;
    break;
  }
  if (integer) {
    top = Math.max(1, Math.round(top));
    if (top <= 5) return Array.from({ length: top + 1 }, (_, i) => i);
    return [0, top / 2, top];
  }
  return [0, top / 2, top];
}
