// Display formats for the console: durations in the largest sensible unit, rates as percentages,
// times in the operator's locale. Values the API leaves null (no sample) show as an en dash.
export const NONE = "–";

export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return NONE;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 90) return `${trim(seconds)} s`;
  if (seconds < 90 * 60) return `${trim(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${trim(seconds / 3600)} h`;
  return `${trim(seconds / 86400)} d`;
}

export function percent(rate: number | null | undefined): string {
  return rate == null ? NONE : `${trim(rate * 100)} %`;
}

export function count(n: number | null | undefined): string {
  return n == null ? NONE : n.toLocaleString("en-US");
}

export function time(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" }) : NONE;
}

const trim = (n: number) => (n >= 100 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, ""));
