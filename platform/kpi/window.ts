// The KPI window: the key of the federated KpiWindow entity (from, to, businessUnitId, channel).
// operations issues windows (kpis, kpiSeries); each owning subgraph resolves its own KPI fields on
// a window from its own tables, so one request fans out to the domains through the query planner.
import { DomainError, ErrorCode, invalidArgument } from "../errors.js";

export const KPI_CHANNELS = ["EDI", "COMMERCE", "PORTAL", "B2B_API", "MARKETPLACE"] as const;
export type KpiChannel = (typeof KPI_CHANNELS)[number];

export interface KpiWindowModel {
  from: Date;
  to: Date;
  businessUnitId: string | null;
  channel: KpiChannel | null;
}

export type KpiInterval = "HOUR" | "DAY";
const intervalMs: Record<KpiInterval, number> = { HOUR: 3_600_000, DAY: 86_400_000 };

/** A series longer than this is refused: 31 days of hours, or about a year of days. */
export const MAX_SERIES_BUCKETS = 744;

function toDate(value: unknown, argument: string): Date {
  const d = value instanceof Date ? value : typeof value === "string" ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw invalidArgument(argument, `is not an ISO 8601 date-time: ${JSON.stringify(value)}`);
  return d;
}

/** Checks and normalises a window from arguments or from an entity representation (strings). */
export function kpiWindow(args: { from: unknown; to: unknown; businessUnitId?: string | null; channel?: string | null }): KpiWindowModel {
  const from = toDate(args.from, "from");
  const to = toDate(args.to, "to");
  if (from.getTime() >= to.getTime()) {
    throw new DomainError(ErrorCode.INVALID_DATE_RANGE, `"from" (${from.toISOString()}) must be before "to" (${to.toISOString()})`, { argument: "from" });
  }
  const channel = args.channel ?? null;
  if (channel !== null && !(KPI_CHANNELS as readonly string[]).includes(channel)) {
    throw invalidArgument("channel", `must be one of ${KPI_CHANNELS.join(", ")}, got ${JSON.stringify(channel)}`);
  }
  return { from, to, businessUnitId: args.businessUnitId ?? null, channel: channel as KpiChannel | null };
}

/**
 * Consecutive windows of one interval from `from` (the last one ends at `to`). Buckets start at
 * `from`, so a chart wanting calendar-aligned buckets passes a `from` on the hour or at midnight UTC.
 */
export function kpiSeries(window: KpiWindowModel, interval: KpiInterval): KpiWindowModel[] {
  const step = intervalMs[interval];
  const span = window.to.getTime() - window.from.getTime();
  const count = Math.ceil(span / step);
  if (count > MAX_SERIES_BUCKETS) {
    throw invalidArgument("interval", `gives ${count} buckets between from and to; at most ${MAX_SERIES_BUCKETS} (use DAY, or a shorter range)`);
  }
  return Array.from({ length: count }, (_, i) => ({
    ...window,
    from: new Date(window.from.getTime() + i * step),
    to: new Date(Math.min(window.to.getTime(), window.from.getTime() + (i + 1) * step)),
  }));
}

/** p50/p95 of a sample of durations in seconds, as KPIs return them. */
export interface DurationStatsModel {
  count: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
  maxSeconds: number | null;
}

/** From a row of (count, p50, p95, max) as PostgreSQL returns them (numeric as strings, bigint counts). */
export function durationStats(row: { n: unknown; p50: unknown; p95: unknown; max: unknown } | undefined): DurationStatsModel {
  const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
  return { count: Number(row?.n ?? 0), p50Seconds: num(row?.p50), p95Seconds: num(row?.p95), maxSeconds: num(row?.max) };
}

/** A ratio that is null, not NaN, over an empty sample. Rounded to 4 decimals. */
export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);
