// Time-ordered ids: unique, and sorting them is sorting by creation.
import { describe, it, expect, vi, afterEach } from "vitest";
import { timeOrderedId } from "../../platform/ids.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("timeOrderedId", () => {
  it("is unique over 10,000 calls", () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId());
    expect(new Set(ids).size).toBe(10_000);
  });

  it("sorts (as plain strings) in creation order", () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId());
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    for (let i = 1; i < ids.length; i++) expect(ids[i - 1] < ids[i]).toBe(true);
  });

  it("has the layout time-counter-random", () => {
    expect(timeOrderedId()).toMatch(/^[0-9a-z]{9}-[0-9a-z]{4}-[0-9a-f]{12}$/);
  });

  it("orders ids within one millisecond by counter and across milliseconds by time", () => {
    let now = 1_800_000_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    const sameMs = Array.from({ length: 40 }, () => timeOrderedId()); // counter past 36 needs a second base-36 digit
    now += 1;
    const nextMs = timeOrderedId();
    const all = [...sameMs, nextMs];
    expect([...all].sort()).toEqual(all);
    expect(sameMs.map((id) => id.split("-")[1]).slice(0, 3)).toEqual(["0000", "0001", "0002"]);
    expect(sameMs[39].split("-")[1]).toBe((39).toString(36).padStart(4, "0"));
    expect(nextMs.split("-")[1]).toBe("0000");
    expect(nextMs.split("-")[0]).toBe((1_800_000_000_001).toString(36).padStart(9, "0"));
  });

  it("keeps ids made in the same millisecond distinct by counter and random part", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_800_000_000_500);
    const a = timeOrderedId();
    const b = timeOrderedId();
    expect(a.split("-")[0]).toBe(b.split("-")[0]);
    expect(a).not.toBe(b);
    expect(a < b).toBe(true);
  });
});
