/**
 * The dashboard's one island: daily clicks, orders or sales as an SVG bar chart.
 * Server-rendered (it reads fine without JavaScript: clicks are drawn, and DailyTable.astro has
 * every number as a table); hydrated `client:visible` to switch the metric and to read each day
 * with the pointer or the arrow keys, announced through a polite live region.
 */
import { memo, useId, useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';

export interface ChartPoint {
  /** YYYY-MM-DD (UTC) */
  day: string;
  clicks: number;
  orders: number;
  salesCents: number;
}

type Metric = 'clicks' | 'orders' | 'sales';

interface Props {
  points: ChartPoint[];
  locale: string;
  currency: string;
}

const W = 720;
const H = 240;
const PAD = { top: 12, right: 8, bottom: 28, left: 56 };
const METRICS: { id: Metric; label: string }[] = [
  { id: 'clicks', label: 'Clicks' },
  { id: 'orders', label: 'Orders' },
  { id: 'sales', label: 'Sales' },
];

/** A round number ≥ max for the top of the axis (1, 2, 2.5, 5 × 10ⁿ). */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function DailyChart({ points, locale, currency }: Props) {
  const [metric, setMetric] = useState<Metric>('clicks');
  const [active, setActive] = useState<number | null>(null);
  const id = useId();

  const fmt = useMemo(() => {
    const count = new Intl.NumberFormat(locale);
    const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const axisMoney = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
    const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    return {
      value: (m: Metric, v: number) => (m === 'sales' ? money.format(v / 100) : count.format(v)),
      axis: (m: Metric, v: number) => (m === 'sales' ? axisMoney.format(v / 100) : count.format(v)),
      day: (iso: string) => date.format(new Date(`${iso}T00:00:00Z`)),
    };
  }, [locale, currency]);

  const valueOf = (p: ChartPoint, m: Metric = metric) => (m === 'sales' ? p.salesCents : m === 'orders' ? p.orders : p.clicks);
  const values = points.map((p) => valueOf(p));
  const top = niceMax(Math.max(0, ...values));
  const total = values.reduce((s, v) => s + v, 0);
  const peak = values.length ? values.indexOf(Math.max(...values)) : -1;
  const label = METRICS.find((m) => m.id === metric)!.label;

  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = points.length ? plotW / points.length : plotW;
  const barW = Math.max(1, Math.min(24, slot * 0.72));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const ticks = [0, top / 2, top];
  const labelled = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);

  const summary =
    points.length === 0
      ? 'No days in this range.'
      : `${label} per day, ${fmt.day(points[0]!.day)} to ${fmt.day(points[points.length - 1]!.day)}: ${fmt.value(metric, total)} in total` +
        (total > 0 && peak >= 0 ? `, highest on ${fmt.day(points[peak]!.day)} (${fmt.value(metric, values[peak]!)}).` : '.');
  const announce = active !== null && points[active] ? `${fmt.day(points[active]!.day)}: ${fmt.value(metric, values[active]!)} ${label.toLowerCase()}` : '';

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    if (!points.length) return;
    const last = points.length - 1;
    const next =
      e.key === 'ArrowRight' ? Math.min(last, (active ?? -1) + 1) : e.key === 'ArrowLeft' ? Math.max(0, (active ?? last + 1) - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    setActive(next);
  }

  function onPointer(e: PointerEvent<SVGSVGElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * W - PAD.left;
    const i = Math.floor(x / slot);
    setActive(i >= 0 && i < points.length ? i : null);
  }

  return (
    <figure className="daily-chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`} className="daily-chart__caption">
        <span>Daily {label.toLowerCase()}</span>
        <span className="daily-chart__metrics" role="group" aria-label="Show">
          {METRICS.map((m) => (
            <button
              key={m.id}
              type="button"
              className="daily-chart__metric"
              aria-pressed={metric === m.id}
              onClick={() => setMetric(m.id)}
            >
              {m.label}
            </button>
          ))}
        </span>
      </figcaption>
      <div
        className="daily-chart__plot"
        tabIndex={0}
        role="group"
        aria-label={`${summary} Use the left and right arrow keys to read each day.`}
        onKeyDown={onKey}
        onBlur={() => setActive(null)}
      >
        <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={summary} onPointerMove={onPointer} onPointerLeave={() => setActive(null)}>
          {ticks.map((t) => (
            <g key={t} className="daily-chart__tick">
              <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
              <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
                {fmt.axis(metric, metric === 'sales' ? Math.round(t) : Math.round(t * 10) / 10)}
              </text>
            </g>
          ))}
          {points.map((p, i) => {
            const v = values[i]!;
            const h = Math.max(v > 0 ? 1 : 0, (v / top) * plotH);
            const x = PAD.left + i * slot + (slot - barW) / 2;
            return (
              <g key={p.day}>
                {i === active && <rect className="daily-chart__hover" x={PAD.left + i * slot} y={PAD.top} width={slot} height={plotH} />}
                <rect className={i === active ? 'daily-chart__bar is-active' : 'daily-chart__bar'} x={x} y={PAD.top + plotH - h} width={barW} height={h} />
                {labelled.has(i) && (
                  <text className="daily-chart__day" x={x + barW / 2} y={H - 8} textAnchor={i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'}>
                    {fmt.day(p.day)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
        <p className="daily-chart__readout" aria-live="polite">
          {announce || '\u00a0'}
        </p>
      </div>
    </figure>
  );
}

// memo() makes this an object component, so @astrojs/react recognises it without its check()
// probe calling it outside a render (which logs a spurious "Invalid hook call" on every request;
// withastro/astro#16767).
export default memo(DailyChart);
