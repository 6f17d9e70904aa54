// The operations console's pure helpers: the KPI window (presets, a pinned ?from&to, calendar
// buckets for kpiSeries) and the display formats the tiles use.
import { describe, expect, it } from "vitest";
import { floorTo, pinnedWindow, presetWindow } from "../../web/console/kpi-window.js";
import { count, duration, NONE, percent } from "../../web/console/format.js";

describe("the console's KPI window", () => {
  const now = new Date("2026-11-28T19:47:12.345Z");

  it("ends a preset now and starts its series on the hour (24 h) or at 00:00 UTC (days)", () => {
    expect(presetWindow("24h", now)).toEqual({
      from: "2026-11-27T19:47:12.345Z",
      to: "2026-11-28T19:47:12.345Z",
      interval: "HOUR",
      seriesFrom: "2026-11-27T19:00:00.000Z",
    });
    expect(presetWindow("7d", now)).toMatchObject({ from: "2026-11-21T19:47:12.345Z", interval: "DAY", seriesFrom: "2026-11-21T00:00:00.000Z" });
    expect(presetWindow("30d", now).seriesFrom).toBe("2026-10-29T00:00:00.000Z");
    expect(floorTo(new Date("2026-11-28T00:00:00.000Z"), "DAY").toISOString()).toBe("2026-11-28T00:00:00.000Z");
  });

  it("takes ?from&to when both are dates in order, daily beyond three days, and ignores anything else", () => {
    expect(pinnedWindow("?from=2026-11-01T00:00:00Z&to=2026-11-28T00:00:00Z")).toEqual({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-28T00:00:00.000Z",
      interval: "DAY",
      seriesFrom: "2026-11-01T00:00:00.000Z",
    });
    expect(pinnedWindow("?from=2026-11-27T10:30:00Z&to=2026-11-28T00:00:00Z")).toMatchObject({ interval: "HOUR", seriesFrom: "2026-11-27T10:00:00.000Z" });
    expect(pinnedWindow("")).toBeNull();
    expect(pinnedWindow("?from=2026-11-28&to=2026-11-01")).toBeNull(); // reversed
    expect(pinnedWindow("?from=yesterday&to=2026-11-01")).toBeNull();
    expect(pinnedWindow("?from=2026-11-01")).toBeNull();
  });
});

describe("the console's formats", () => {
  it("shows a duration in the largest sensible unit, a rate as a percentage, and a dash for no sample", () => {
    expect([duration(0.25), duration(12), duration(89.94), duration(125), duration(5400), duration(7200), duration(3 * 86400)]).toEqual([
      "250 ms",
      "12 s",
      "89.9 s",
      "2.1 min",
      "1.5 h",
      "2 h",
      "3 d",
    ]);
    expect([percent(0.9183), percent(1), percent(0)]).toEqual(["91.8 %", "100 %", "0 %"]);
    expect([duration(null), percent(null), count(undefined)]).toEqual([NONE, NONE, NONE]);
    expect(count(12345)).toBe("12,345");
  });
});
