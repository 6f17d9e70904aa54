// Durations in configuration: "500ms", "30s", "5m", "12h", "30d"; a bare number is milliseconds.
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 500ms, 30s, 5m, 12h, 30d)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "ms").toLowerCase() as "ms"];
  return Math.round(Number(m[1]) * unit);
}
