/**
 * Time left in words for the countdown (src/components/social/Countdown.astro): used by the
 * server to write the text and by the browser to tick it, so both say the same.
 * @example timeLeft(90_061_000) // '1 d 1 h';  timeLeft(3_725_000) // '1 h 2 min';  timeLeft(65_000) // '1 min 05 s'
 */
export function timeLeft(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${String(sec).padStart(2, '0')} s`;
}
