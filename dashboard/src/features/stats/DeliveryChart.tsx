"use client";
import * as React from "react";
import type { DailyDeliveries } from "./api";

const dayLabel = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "long", timeZone: "UTC" });

/** "14 Nov" for the API's "2026-11-14" (a UTC day: formatted in UTC so it never shifts a day). */
export function formatDay(date: string | undefined, long = false): string {
  if (!date) return "";
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return (long ? longDay : dayLabel).format(d);
}

/** A round axis maximum (1, 2, 5, 10, 20, 50… times a power of ten) at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 24, left: 36 };

/**
 * Sends and failures per day as stacked bars (sent below, failed on top), in plain SVG. The drawing is
 * hidden from assistive technology: a summary names it and a table (visually hidden) holds the numbers.
 */
export function DeliveryChart({ days, title = "Sends and failures per day" }: { days: DailyDeliveries[]; title?: string }) {
  const id = React.useId();
  const max = niceMax(Math.max(0, ...days.map((d) => (d.sent ?? 0) + (d.failed ?? 0))));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(days.length, 1);
  const barW = Math.max(2, Math.min(28, slot * 0.6));
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const totalSent = days.reduce((n, d) => n + (d.sent ?? 0), 0);
  const totalFailed = days.reduce((n, d) => n + (d.failed ?? 0), 0);
  const summary =
    days.length > 0
      ? `${title}, ${formatDay(days[0].date)} to ${formatDay(days[days.length - 1].date)}: ${totalSent.toLocaleString()} sent, ${totalFailed.toLocaleString()} failed in all.`
      : `${title}: no data.`;
  // label every day when there is room, otherwise every other day counted back from today
  const labelEvery = days.length <= 8 ? 1 : days.length <= 16 ? 2 : Math.ceil(days.length / 8);
  return (
    <figure aria-labelledby={`${id}-summary`} className="space-y-2">
      <figcaption id={`${id}-summary`} className="sr-only">
        {summary}
      </figcaption>
      <div className="flex flex-wrap gap-4 text-xs text-muted-foreground" aria-hidden>
        <span className="inline-flex items-center gap-1.5">
          <span className="h-2.5 w-2.5 rounded-sm bg-emerald-600" /> Sent
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="h-2.5 w-2.5 rounded-sm bg-red-600" /> Failed
        </span>
      </div>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" aria-hidden="true" focusable="false" data-testid="delivery-chart">
        {[0, max / 2, max].map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="stroke-border" strokeDasharray={tick ? "3 3" : undefined} />
            <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-muted-foreground text-[11px] tabular-nums">
              {Number.isInteger(tick) ? tick.toLocaleString() : ""}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const sent = d.sent ?? 0;
          const failed = d.failed ?? 0;
          const x = PAD.left + slot * i + (slot - barW) / 2;
          const fromEnd = days.length - 1 - i;
          return (
            <g key={d.date ?? i} data-testid="chart-day" data-date={d.date}>
              <title>{`${formatDay(d.date, true)}: ${sent.toLocaleString()} sent, ${failed.toLocaleString()} failed`}</title>
              {/* the whole slot answers the hover, even on days without sends */}
              <rect x={PAD.left + slot * i} y={PAD.top} width={slot} height={plotH} fill="transparent" />
              <rect data-testid="bar-sent" x={x} y={y(sent)} width={barW} height={y(0) - y(sent)} className="fill-emerald-600" rx={1} />
              <rect data-testid="bar-failed" x={x} y={y(sent + failed)} width={barW} height={y(sent) - y(sent + failed)} className="fill-red-600" rx={1} />
              {fromEnd % labelEvery === 0 ? (
                <text x={x + barW / 2} y={HEIGHT - 6} textAnchor="middle" className="fill-muted-foreground text-[11px]" data-testid="chart-label">
                  {fromEnd === 0 ? "Today" : formatDay(d.date)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title} (UTC days)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Sent</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={d.date ?? i}>
              <th scope="row">{formatDay(d.date, true)}</th>
              <td>{(d.sent ?? 0).toLocaleString()}</td>
              <td>{(d.failed ?? 0).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
