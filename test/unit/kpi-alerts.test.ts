import { describe, expect, it } from "vitest";
import { breached, parseKpiAlertRules, selectionFor } from "../../platform/kpi/alerts.js";
import { kpiSeries, kpiWindow } from "../../platform/kpi/window.js";

describe("KPI alert rules", () => {
  it("parses rules separated by commas or semicolons, with spaces", () => {
    expect(parseKpiAlertRules(" fillRate.rate < 0.95 ; exceptions.open>=3,orderProcessingLatency.toAccepted.p95Seconds>900")).toEqual([
      { rule: "fillRate.rate<0.95", kpi: "fillRate.rate", comparison: "<", threshold: 0.95 },
      { rule: "exceptions.open>=3", kpi: "exceptions.open", comparison: ">=", threshold: 3 },
      { rule: "orderProcessingLatency.toAccepted.p95Seconds>900", kpi: "orderProcessingLatency.toAccepted.p95Seconds", comparison: ">", threshold: 900 },
    ]);
    expect(parseKpiAlertRules("")).toEqual([]);
  });

  it("names the rule it cannot read", () => {
    expect(() => parseKpiAlertRules("fillRate.rate<0.95,exceptions.open=3")).toThrow(/"exceptions\.open=3" is not <kpi path><op><number>/);
    expect(() => parseKpiAlertRules("fillRate.rate<lots")).toThrow(/fillRate\.rate<lots/);
  });

  it("selects every rule's KPI once, nested as the paths say", () => {
    expect(selectionFor(parseKpiAlertRules("fillRate.rate<0.9,fillRate.orders>1,exceptions.open>0"))).toBe("fillRate { rate orders } exceptions { open }");
  });

  it("compares strictly or not as written, and never alerts without a sample", () => {
    const [gt, ge] = parseKpiAlertRules("a>1,a>=1");
    expect([breached(gt!, 1), breached(ge!, 1), breached(gt!, 1.5), breached(gt!, null)]).toEqual([false, true, true, false]);
  });
});

describe("KPI windows", () => {
  it("splits a range into interval buckets, the last cut at the end", () => {
    const w = kpiWindow({ from: "2026-10-01T00:00:00Z", to: "2026-10-03T06:00:00Z" });
    expect(kpiSeries(w, "DAY").map((b) => [b.from.toISOString().slice(0, 13), b.to.toISOString().slice(0, 13)])).toEqual([
      ["2026-10-01T00", "2026-10-02T00"],
      ["2026-10-02T00", "2026-10-03T00"],
      ["2026-10-03T00", "2026-10-03T06"],
    ]);
  });

  it("refuses a channel that is not one", () => {
    expect(() => kpiWindow({ from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z", channel: "FAX" })).toThrow(/channel.*FAX/);
  });
});
