// 200 concurrent placeOrder calls, through HTTP with a real GraphQL client, for one SKU with 50 in
// stock, on each store: exactly 50 allocated, 150 backordered, available never below zero. In its
// own file (the same app and fixture as order-capture-suite.ts) because on PGlite, whose one
// connection serialises the orders, it takes most of a minute: the two test workers run it beside
// other files instead of after them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait.js";
import type { StoreKind } from "../helpers/databases.js";
import { startOrderCaptureApp, type OrderCaptureApp } from "./order-capture-fixture.js";

export const CONCURRENT_ORDERS = 200;
const IN_STOCK = 50;

export function orderConcurrencySuite(kind: StoreKind) {
  describe(`concurrent order capture on ${kind}`, () => {
    let app: OrderCaptureApp;
    beforeAll(async () => {
      app = await startOrderCaptureApp(kind);
    });
    afterAll(async () => app?.t.close());

    it(`allocates exactly what is in stock to ${CONCURRENT_ORDERS} concurrent orders for one SKU and backorders the rest`, async () => {
      const db = app.t.database.db;
      expect(await app.position("T-HOT", "LOC-WH-ATL")).toEqual({ onHand: IN_STOCK, allocated: 0, available: IN_STOCK });
      const results = await Promise.all(
        Array.from({ length: CONCURRENT_ORDERS }, (_, i) =>
          app.place({ idempotencyKey: `hot-${i}`, customerId: "CUST-T1", lines: [{ sku: "T-HOT", quantity: 1 }] }),
        ),
      );
      expect(results.filter((r) => r.outcome !== "ACCEPTED").map((r) => r.reasons)).toEqual([]);
      const ids = results.map((r) => r.order.id);
      expect(new Set(ids).size).toBe(CONCURRENT_ORDERS);
      const settled = await waitFor(
        async () => {
          const rows = await db.order.groupBy({ by: ["status"], where: { id: { in: ids } }, _count: { _all: true } });
          return rows.some((r) => r.status === "ACCEPTED") ? null : rows;
        },
        `${CONCURRENT_ORDERS} orders allocated or backordered`,
        150_000,
      );
      expect(Object.fromEntries(settled.map((r) => [r.status, r._count._all]))).toEqual({ ALLOCATED: IN_STOCK, BACKORDERED: CONCURRENT_ORDERS - IN_STOCK });
      expect(await app.position("T-HOT", "LOC-WH-ATL")).toEqual({ onHand: IN_STOCK, allocated: IN_STOCK, available: 0 });
      const lines = await db.orderLine.aggregate({ where: { orderId: { in: ids } }, _sum: { quantityAllocated: true, quantityBackordered: true } });
      expect(lines._sum).toEqual({ quantityAllocated: IN_STOCK, quantityBackordered: CONCURRENT_ORDERS - IN_STOCK });
      // Every intermediate state a dashboard saw: available never below zero, allocated only rising, to 50.
      const events = await db.eventLog.findMany({ where: { type: "InventoryChanged", aggregateId: "T-HOT@LOC-WH-ATL" }, orderBy: { sequence: "asc" } });
      expect(events.every((e) => (e.payload as any).after.available >= 0)).toBe(true);
      const allocatedSeen = events.filter((e) => (e.payload as any).reason === "ALLOCATED").map((e) => (e.payload as any).after.allocated as number);
      expect(allocatedSeen.every((a, i) => i === 0 || a > allocatedSeen[i - 1])).toBe(true);
      expect(allocatedSeen.at(-1)).toBe(IN_STOCK);
    }, 240_000);
  });
}
