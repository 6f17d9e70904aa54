// Source date-times to instants. A time-zone code is mapped (TIME_ZONE cross-references) to a
// fixed UTC offset ("-05:00") or an IANA zone ("America/Chicago", daylight saving included).

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

export function isValidZone(zone: string): boolean {
  if (OFFSET.test(zone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes east of UTC that `zone` has at the given UTC instant. */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  const m = OFFSET.exec(zone);
  if (m) return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((local - at.getTime()) / 60_000);
}

/** The instant of a wall-clock time (given as if it were UTC) in `zone`. */
export function instantInZone(wallClockAsUtc: Date, zone: string): Date {
  // Two passes find the offset in force at that local time (they differ only around a DST change).
  let guess = new Date(wallClockAsUtc.getTime() - zoneOffsetMinutes(zone, wallClockAsUtc) * 60_000);
  guess = new Date(wallClockAsUtc.getTime() - zoneOffsetMinutes(zone, guess) * 60_000);
  return guess;
}
