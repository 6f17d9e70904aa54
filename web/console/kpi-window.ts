// The time window the KPI tiles and charts cover. Presets end now; the series buckets start on the
// hour (HOUR) or at 00:00 UTC (DAY), as Query.kpiSeries asks for calendar buckets. A link can pin
// an exact window with ?from=…&to=… (ISO dates), e.g. to share what an operator is looking at.
export const presets = {
  "24h": { label: "Last 24 hours", hours: 24, interval: "HOUR" },
  "7d": { label: "Last 7 days", hours: 24 * 7, interval: "DAY" },
  "30d": { label: "Last 30 days", hours: 24 * 30, interval: "DAY" },
} as const;
export type PresetName = keyof typeof presets;
export type Interval = "HOUR" | "DAY";

export interface KpiWindow {
  from: string;
  to: string;
  interval: Interval;
  /** The series' first bucket: `from` rounded down to the interval. */
  seriesFrom: string;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function floorTo(date: Date, interval: Interval): Date {
  const step = interval === "HOUR" ? HOUR : DAY;
  return new Date(Math.floor(date.getTime() / step) * step);
}

export function presetWindow(name: PresetName, now: Date = new Date()): KpiWindow {
  const preset = presets[name];
  const from = new Date(now.getTime() - preset.hours * HOUR);
  return { from: from.toISOString(), to: now.toISOString(), interval: preset.interval, seriesFrom: floorTo(from, preset.interval).toISOString() };
}

/** ?from=…&to=… when both are valid dates in order; the interval follows the span (DAY beyond 3 days). */
export function pinnedWindow(search: string): KpiWindow | null {
  const params = new URLSearchParams(search);
  const from = new Date(params.get("from") ?? "");
  const to = new Date(params.get("to") ?? "");
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) return null;
  const interval: Interval = to.getTime() - from.getTime() > 3 * DAY ? "DAY" : "HOUR";
  return { from: from.toISOString(), to: to.toISOString(), interval, seriesFrom: floorTo(from, interval).toISOString() };
}
