// The exception queue's merge of the domains' pages, its ids and its cursor; and the trace's time order.
import { describe, expect, it } from "vitest";
import { exceptionQuery, mergeExceptionPages, parseExceptionId, resolutionNote, type ExceptionRecord } from "../../platform/exceptions/queue.js";
import { fromWire } from "../../platform/exceptions/remote.js";
import { inTimeOrder } from "../../platform/trace/steps.js";

const rec = (id: string, at: string): ExceptionRecord => ({
  id,
  domain: "d",
  source: null,
  kind: id.split(":")[0] as ExceptionRecord["kind"],
  state: "OPEN",
  reason: "r",
  correlationId: null,
  raisedAt: new Date(at),
  resolvedAt: null,
  resolutionNote: null,
});

describe("exception queue", () => {
  it("merges pages newest first, ties by id, cuts the page and adds the totals", async () => {
    const q = exceptionQuery(null, 3, null);
    expect(q.limit).toBe(4);
    const a = { rows: [rec("DEAD_LETTER:b", "2026-11-28T10:00:03Z"), rec("DEAD_LETTER:a", "2026-11-28T10:00:01Z")], total: 7 };
    const b = { rows: [rec("FAILED_POSTING:x", "2026-11-28T10:00:03Z"), rec("FAILED_POSTING:y", "2026-11-28T10:00:02Z")], total: 5 };
    const page = mergeExceptionPages([a, b], q, ["shipments"]);
    expect(page.nodes.map((n) => n.id)).toEqual(["FAILED_POSTING:x", "DEAD_LETTER:b", "FAILED_POSTING:y"]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(await page.totalCount()).toBe(12);
    expect(page.unavailableDomains).toEqual(["shipments"]);
    // The end cursor resumes after the last node: its time and id.
    const next = exceptionQuery(null, 3, page.pageInfo.endCursor);
    expect(next.after).toEqual({ raisedAt: new Date("2026-11-28T10:00:02Z"), id: "FAILED_POSTING:y" });
    // And survives the trip to another domain's internal field.
    expect(fromWire({ afterRaisedAt: "2026-11-28T10:00:02.000Z", afterId: "FAILED_POSTING:y", limit: 4 }).after).toEqual(next.after);
  });

  it("reads ids as KIND:<owner's id>, keeping colons in the owner's id, and refuses others naming the argument", () => {
    expect(parseExceptionId("FAILED_POSTING:INVOICE:INV-1")).toEqual({ kind: "FAILED_POSTING", ownerId: "INVOICE:INV-1" });
    expect(parseExceptionId("PARKED_EVENT:orders.shipments:42")).toEqual({ kind: "PARKED_EVENT", ownerId: "orders.shipments:42" });
    for (const bad of ["DEAD_LETTER:", "dead_letter:x", "NOPE:1", "x"]) {
      expect(() => parseExceptionId(bad), bad).toThrow(/Argument "id" must be an exception id KIND:<id>/);
    }
  });

  it("needs a note with something in it", () => {
    expect(resolutionNote("  fixed in the ERP  ")).toBe("fixed in the ERP");
    expect(() => resolutionNote(" \n ")).toThrow(/Argument "note" must say why/);
    expect(() => resolutionNote("x".repeat(2001))).toThrow(/at most 2000/);
  });
});

describe("trace order", () => {
  it("sorts by time and keeps the given order at the same instant", () => {
    const steps = [
      { at: "2026-11-28T10:00:02Z", n: 1 },
      { at: new Date("2026-11-28T10:00:01Z"), n: 2 },
      { at: "2026-11-28T10:00:02.000Z", n: 3 },
      { at: "2026-11-28T10:00:00Z", n: 4 },
    ];
    expect(inTimeOrder(steps).map((s) => s.n)).toEqual([4, 2, 1, 3]);
  });
});
