/**
 * The dashboard's one island: daily clicks, orders or sales as an SVG bar chart.
 * Server-rendered (it reads fine without JavaScript: clicks are drawn, and DailyTable.astro has
 * every number as a table); hydrated `client:visible` to switch the metric and to read each day
 * with the pointer (each bar has its value as a tooltip) or by focusing a bar (arrow keys move between
 * days), announced through a polite live region. Count axes have whole-number ticks only.
 */
import { dateFormat } from '../../server/shared/format.ts';
import { formatMoney } from '../../server/shared/money.ts';
import { memo, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { chartTicks } from '../../server/commissions/chart-ticks.ts';

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
const H = 200;
const METRICS: { id: Metric; label: string }[] = [
  { id: 'clicks', label: 'Clicks' },
  { id: 'orders', label: 'Orders' },
  { id: 'sales', label: 'Sales' },
];

function DailyChart({ points, locale, currency }: Props) {
  const [metric, setMetric] = useState<Metric>('clicks');
  const [active, setActive] = useState<number | null>(null);
  // The one bar in the tab order (roving tabindex); arrow keys move it. Starts on the last day.
  const [focusIdx, setFocusIdx] = useState<number>(Math.max(0, points.length - 1));
  const bars = useRef<(SVGRectElement | null)[]>([]);
  const id = useId();

  const fmt = useMemo(() => {
    const count = new Intl.NumberFormat(locale);
    const axisMoney = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 });
    const date = dateFormat(locale, 'short-day');
    return {
      value: (m: Metric, v: number) => (m === 'sales' ? formatMoney(v, { currency, locale }) : count.format(v)),
      axis: (m: Metric, v: number) => (m === 'sales' ? axisMoney.format(v / 100) : count.format(v)),
      day: (iso: string) => date.format(new Date(`${iso}T00:00:00Z`)),
    };
  }, [locale, currency]);

  const valueOf = (p: ChartPoint, m: Metric = metric) => (m === 'sales' ? p.salesCents : m === 'orders' ? p.orders : p.clicks);
  const values = points.map((p) => valueOf(p));
  // Whole-number ticks for counts (no "0.5 orders"); money ticks in whole currency units.
  const ticks = metric === 'sales' ? chartTicks(Math.max(0, ...values) / 100, false).map((t) => t * 100) : chartTicks(Math.max(0, ...values), true);
  const top = ticks.at(-1)!;
  const total = values.reduce((s, v) => s + v, 0);
  const peak = values.length ? values.indexOf(Math.max(...values)) : -1;
  const label = METRICS.find((m) => m.id === metric)!.label;
  const unit = (v: number) => (metric === 'sales' ? 'in sales' : metric === 'orders' ? (v === 1 ? 'order' : 'orders') : v === 1 ? 'click' : 'clicks');
  const describe = (i: number) => `${fmt.day(points[i]!.day)}: ${fmt.value(metric, values[i]!)} ${unit(values[i]!)}`;

  const slot = points.length ? W / points.length : W;
  const barW = Math.max(1, Math.min(24, slot * 0.72));
  const pct = (v: number) => 100 - (v / top) * 100; // distance from the top, in % of the plot
  const labelled = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])].filter((i) => i >= 0);

  const summary =
    points.length === 0
      ? 'No days in this range.'
      : `${label} per day, ${fmt.day(points[0]!.day)} to ${fmt.day(points[points.length - 1]!.day)}: ${fmt.value(metric, total)} in total` +
        (total > 0 && peak >= 0 ? `, highest on ${fmt.day(points[peak]!.day)} (${fmt.value(metric, values[peak]!)}).` : '.');
  const announce = active !== null && points[active] ? describe(active) : '';

  function move(next: number) {
    setFocusIdx(next);
    setActive(next);
    bars.current[next]?.focus();
  }

  function onKey(e: KeyboardEvent<SVGSVGElement>) {
    if (!points.length) return;
    const last = points.length - 1;
    const next = e.key === 'ArrowRight' ? Math.min(last, focusIdx + 1) : e.key === 'ArrowLeft' ? Math.max(0, focusIdx - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    move(next);
  }

  function onPointer(e: PointerEvent<SVGSVGElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(((e.clientX - box.left) / box.width) * points.length);
    setActive(i >= 0 && i < points.length ? i : null);
  }

  return (
    <figure className="daily-chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`} className="daily-chart__caption">
        <span>Daily {label.toLowerCase()}</span>
        <span className="daily-chart__metrics" role="group" aria-label="Show">
          {METRICS.map((m) => (
            <button key={m.id} type="button" className="daily-chart__metric" aria-pressed={metric === m.id} onClick={() => setMetric(m.id)}>
              {m.label}
            </button>
          ))}
        </span>
      </figcaption>
      <p className="visually-hidden">{summary} Each bar can be focused; the left and right arrow keys move between days.</p>
      {/* Labels are HTML beside the drawing, not SVG text: they stay at the page's text size
          however narrow the screen makes the chart. */}
      <div className="daily-chart__frame">
        <div className="daily-chart__yaxis" aria-hidden="true">
          {ticks.map((t) => (
            <span key={t} style={{ top: `${pct(t)}%` }}>
              {fmt.axis(metric, t)}
            </span>
          ))}
        </div>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="group"
          aria-label={`Daily ${label.toLowerCase()}`}
          onPointerMove={onPointer}
          onPointerLeave={() => setActive(null)}
          onKeyDown={onKey}
        >
          {ticks.map((t) => (
            <line key={t} className="daily-chart__grid" x1={0} x2={W} y1={(pct(t) / 100) * H} y2={(pct(t) / 100) * H} vectorEffect="non-scaling-stroke" />
          ))}
          {points.map((p, i) => {
            const v = values[i]!;
            const h = Math.max(v > 0 ? 2 : 0, (v / top) * H);
            const x = i * slot + (slot - barW) / 2;
            return (
              <g key={p.day}>
                {i === active && <rect className="daily-chart__hover" x={i * slot} y={0} width={slot} height={H} />}
                <rect
                  ref={(el) => {
                    bars.current[i] = el;
                  }}
                  className={i === active ? 'daily-chart__bar is-active' : 'daily-chart__bar'}
                  x={i * slot}
                  y={0}
                  width={slot}
                  height={H}
                  tabIndex={i === focusIdx ? 0 : -1}
                  role="img"
                  aria-label={describe(i)}
                  onFocus={() => {
                    setFocusIdx(i);
                    setActive(i);
                  }}
                  onBlur={() => setActive(null)}
                >
                  <title>{describe(i)}</title>
                </rect>
                <rect className="daily-chart__fill" x={x} y={H - h} width={barW} height={h} pointerEvents="none" />
              </g>
            );
          })}
        </svg>
        <div className="daily-chart__xaxis" aria-hidden="true">
          {labelled.map((i) => (
            <span key={i} style={{ left: `${((i + 0.5) / Math.max(1, points.length)) * 100}%` }} data-edge={i === 0 ? 'start' : i === points.length - 1 ? 'end' : undefined}>
              {fmt.day(points[i]!.day)}
            </span>
          ))}
        </div>
      </div>
      <p className="daily-chart__readout" aria-live="polite">
        {announce || '\u00a0'}
      </p>
    </figure>
  );
}

// memo() makes this an object component, so @astrojs/react recognises it without its check()
// probe calling it outside a render (which logs a spurious "Invalid hook call" on every request;
// withastro/astro#16767).
export default memo(DailyChart);
