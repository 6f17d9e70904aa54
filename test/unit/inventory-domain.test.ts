// Stock rules without a database: available-to-promise, unit conversion, location subtrees.
import { describe, it, expect } from "vitest";
import {
  available,
  BOUNDED_BUCKETS,
  bucketBoundProblem,
  descendantsOf,
  positionId,
  STOCK_LIMIT,
  toBaseQuantity,
  type Buckets,
} from "../../subgraphs/inventory/domain.js";

const buckets = (b: Partial<Buckets>): Buckets => ({ onHand: 0, allocated: 0, reserved: 0, damaged: 0, qualityHold: 0, safetyStock: 0, inbound: 0, ...b });

describe("available", () => {
  it("is on hand less allocated, reserved, damaged, quality hold and safety stock", () => {
    expect(available(buckets({ onHand: 100, allocated: 10, reserved: 5, damaged: 3, qualityHold: 2, safetyStock: 20 }))).toBe(60);
  });

  it("subtracts each bucket on its own", () => {
    const base = buckets({ onHand: 100 });
    expect(available(base)).toBe(100);
    for (const k of ["allocated", "reserved", "damaged", "qualityHold", "safetyStock"] as const) {
      expect(available({ ...base, [k]: 7 }), k).toBe(93);
    }
  });

  it("does not count inbound stock", () => {
    expect(available(buckets({ onHand: 10, inbound: 500 }))).toBe(10);
  });

  it("can be negative when commitments exceed stock", () => {
    expect(available(buckets({ onHand: 5, allocated: 8 }))).toBe(-3);
  });
});

describe("bucketBoundProblem", () => {
  it("takes every bucket at its bound, and names bucket, value and limit one past it", () => {
    expect(bucketBoundProblem("S", "L", buckets({ onHand: STOCK_LIMIT }))).toBeNull();
    expect(bucketBoundProblem("S", "L", buckets({ onHand: -STOCK_LIMIT }))).toBeNull();
    expect(bucketBoundProblem("S", "L", buckets({ onHand: -STOCK_LIMIT - 1 }))).toBe(
      "would take on hand of S at L to -1000000001, below the lowest allowed -1000000000",
    );
    for (const bucket of BOUNDED_BUCKETS) {
      expect(bucketBoundProblem("S", "L", buckets({ onHand: STOCK_LIMIT, [bucket]: STOCK_LIMIT })), bucket).toBeNull();
      expect(bucketBoundProblem("S", "L", buckets({ [bucket]: STOCK_LIMIT + 1 })), bucket).toBe(
        `would take ${bucket} of S at L to 1000000001, above the highest allowed 1000000000`,
      );
      expect(bucketBoundProblem("S", "L", buckets({ [bucket]: -1 })), bucket).toBe(`would take ${bucket} of S at L to -1, below the lowest allowed 0`);
    }
  });

  it("bounds what the held buckets hold back together, inbound not counted", () => {
    expect(bucketBoundProblem("S", "L", buckets({ allocated: 600_000_000, damaged: 400_000_000, inbound: STOCK_LIMIT }))).toBeNull();
    expect(bucketBoundProblem("S", "L", buckets({ allocated: 600_000_000, damaged: 400_000_000, safetyStock: 1 }))).toBe(
      "would take what S at L holds back (allocated + reserved + damaged + qualityHold + safetyStock) to 1000000001, above the highest allowed 1000000000",
    );
  });
});

describe("positionId", () => {
  it("joins sku and location with @", () => {
    expect(positionId("SKU-1", "loc_atl")).toBe("SKU-1@loc_atl");
  });
});

describe("toBaseQuantity", () => {
  const conversions = [
    { unit: "CS", factor: 12 },
    { unit: "PL", factor: 480 },
  ];

  it("passes the base unit through unchanged, even without conversions", () => {
    expect(toBaseQuantity(7, "EA", "EA", conversions)).toBe(7);
    expect(toBaseQuantity(7, "EA", "EA", [])).toBe(7);
  });

  it("multiplies by the conversion factor", () => {
    expect(toBaseQuantity(3, "CS", "EA", conversions)).toBe(36);
    expect(toBaseQuantity(2, "PL", "EA", conversions)).toBe(960);
    expect(toBaseQuantity(0, "CS", "EA", conversions)).toBe(0);
  });

  it("throws for an unknown unit, listing the units it knows", () => {
    expect(() => toBaseQuantity(1, "BX", "EA", conversions)).toThrow("no conversion from BX to EA (known: EA, CS, PL)");
    expect(() => toBaseQuantity(1, "CS", "EA", [])).toThrow("(known: EA)");
  });

  it("matches unit codes exactly (case-sensitive)", () => {
    expect(() => toBaseQuantity(1, "cs", "EA", conversions)).toThrow(/no conversion from cs to EA/);
  });
});

describe("descendantsOf", () => {
  //        region
  //       /      \
  //    siteA     siteB
  //    /   \        \
  //  whA1  whA2     whB1
  //   |
  //  zoneA1x
  const tree = [
    { id: "region", parentId: null },
    { id: "siteA", parentId: "region" },
    { id: "siteB", parentId: "region" },
    { id: "whA1", parentId: "siteA" },
    { id: "whA2", parentId: "siteA" },
    { id: "whB1", parentId: "siteB" },
    { id: "zoneA1x", parentId: "whA1" },
    { id: "other-root", parentId: null },
  ];
  const sorted = (s: Set<string>) => [...s].sort();

  it("includes the root and everything below it, at any depth", () => {
    expect(sorted(descendantsOf("siteA", tree))).toEqual(["siteA", "whA1", "whA2", "zoneA1x"]);
    expect(sorted(descendantsOf("region", tree))).toEqual(["region", "siteA", "siteB", "whA1", "whA2", "whB1", "zoneA1x"]);
  });

  it("excludes parents, siblings and other trees", () => {
    const s = descendantsOf("whA1", tree);
    expect(sorted(s)).toEqual(["whA1", "zoneA1x"]);
    expect(s.has("siteA")).toBe(false);
    expect(s.has("whA2")).toBe(false);
    expect(s.has("other-root")).toBe(false);
  });

  it("is just the root for a leaf or an id not in the tree", () => {
    expect(sorted(descendantsOf("zoneA1x", tree))).toEqual(["zoneA1x"]);
    expect(sorted(descendantsOf("nowhere", tree))).toEqual(["nowhere"]);
  });

  it("does not depend on the order of the rows", () => {
    expect(sorted(descendantsOf("region", [...tree].reverse()))).toEqual(sorted(descendantsOf("region", tree)));
  });

  it("walks a deep chain (20,000 levels) without recursion limits", () => {
    const depth = 20_000;
    const chain = Array.from({ length: depth }, (_, i) => ({ id: `n${i}`, parentId: i === 0 ? null : `n${i - 1}` }));
    const all = descendantsOf("n0", chain);
    expect(all.size).toBe(depth);
    expect(all.has(`n${depth - 1}`)).toBe(true);
    const tail = descendantsOf(`n${depth - 10}`, chain);
    expect(sorted(tail)).toEqual(Array.from({ length: 10 }, (_, i) => `n${depth - 10 + i}`).sort());
  });
});
