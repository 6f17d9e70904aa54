// npm start's demo data on an empty store (issue 10 item 8): the reference data is loaded, and every
// demo order is then made by the running app's real flows through its HTTP endpoints (placeOrder,
// allocation, release, a 945 and WMS confirmations, TMS milestones, invoicing, posting to both
// ERP kinds, a return and its credit memo). Started as npm start starts it (the compiled entry
// point in a child process, PGlite in memory), with a smaller order count than the default.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildApp, stopChild, type ChildApp } from "../helpers/child-app.js";
import { gqlOk } from "../helpers/graphql.js";
import { waitFor } from "../helpers/wait.js";

const ORDERS = 20;
const DONE =
  /Ran (\d+) demo orders through the real flows in ([\d.]+) s: (\d+) on credit hold \((\d+) cancelled\), (\d+) shipments with (\d+) carrier milestones, (\d+) invoices, (\d+) return, (\d+) credit memo/;

describe("npm start's demo data, made by the real flows", () => {
  let app: ChildApp;
  let dir: string;
  let summary: RegExpMatchArray;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-flows-"));
    app = await startChildApp({
      DATA_DIR: "memory",
      DEMO_DATA: "on",
      DEMO_FLOW_ORDERS: String(ORDERS),
      WAREHOUSE_OUTBOX_DIR: path.join(dir, "outbox"),
      ERP_FILE_ROOT: path.join(dir, "erp"),
      ERP_FILE_SETTLE_MS: "200",
    });
    summary = await waitFor(
      async () => app.output().match(DONE) ?? (/demo flows failed.*/.exec(app.output()) ? Promise.reject(new Error(app.output())) : null),
      "the demo flows",
      120_000,
    );
  }, 180_000);
  afterAll(async () => {
    if (app) await stopChild(app.process);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("loads reference data only, then places every demo order through placeOrder", async () => {
    expect(app.output()).toMatch(/Loaded the demo reference data in [\d.]+ s: 2 businessUnits, \d+ locations, 240 products/);
    const [, orders, , holds, cancelled] = summary.map(Number);
    expect(orders).toBe(ORDERS + holds);
    expect(holds).toBeGreaterThanOrEqual(1);
    expect(cancelled).toBe(1);
    const all = await gqlOk(
      app.url,
      `{ orders(first: 100) { totalCount nodes { id status channel customerPo capture { outcome } statusHistory { from to source } } } }`,
    );
    // Nothing but the flows' orders: no order was written without its history.
    expect(all.orders.totalCount).toBe(orders);
    for (const o of all.orders.nodes) {
      expect(o.customerPo, o.id).toMatch(/^DEMO-PO-\d+$/);
      expect(o.channel).toBe("B2B_API");
      expect(o.capture?.outcome, `${o.id} went through placeOrder's checks`).toBeDefined();
      // From its first entry (no earlier status) to its current status; past the credit check, each step recorded.
      expect(o.statusHistory[0].from, `${o.id} history`).toBeNull();
      expect(o.statusHistory.at(-1).to).toBe(o.status);
      if (!["CREDIT_HOLD", "CANCELLED"].includes(o.status))
        expect(
          o.statusHistory.map((h: { to: string }) => h.to),
          o.id,
        ).toEqual(expect.arrayContaining(["ACCEPTED", "ALLOCATED", "RELEASED"]));
    }
    const statuses = new Set(all.orders.nodes.map((o: { status: string }) => o.status));
    for (const s of ["CREDIT_HOLD", "CANCELLED", "RELEASED", "INVOICED"]) expect(statuses, s).toContain(s);
  });

  it("gives each order its events, and each shipped one its warehouse order, shipment, milestones, invoice and posting", async () => {
    const { orders } = await gqlOk(
      app.url,
      `{ orders(first: 100, filter: { status: [INVOICED, PARTIALLY_SHIPPED] }) { nodes { id status
        warehouseOrders { format deliveries { state } }
        shipments { status milestones { code } }
        invoices { postingStatus erpDocumentNumber } } } }`,
    );
    expect(orders.nodes.length).toBeGreaterThan(ORDERS / 2);
    for (const o of orders.nodes) {
      const events = await gqlOk(app.url, `query($id: String!) { events(aggregateId: $id, first: 50) { type } }`, { id: o.id });
      expect(
        events.events.map((e: { type: string }) => e.type),
        o.id,
      ).toEqual(expect.arrayContaining(["OrderAccepted", "OrderReleased", "OrderShipped"]));
      expect(o.warehouseOrders.length, o.id).toBeGreaterThanOrEqual(1);
      expect(o.shipments.length, o.id).toBeGreaterThanOrEqual(1);
      expect(
        o.shipments.every((s: { milestones: { code: string }[] }) => s.milestones.some((m) => m.code === "PICKED_UP")),
        o.id,
      ).toBe(true);
      expect(o.invoices.length, o.id).toBe(o.shipments.length);
    }
    // Both warehouse formats and both ERP kinds took part.
    const formats = new Set(orders.nodes.flatMap((o: { warehouseOrders: { format: string }[] }) => o.warehouseOrders.map((w) => w.format)));
    expect([...formats].sort()).toEqual(["WMS_JSON", "X12_940"]);
    // Every invoice posts (the cloud ERP stand-in over HTTP, the file ERP by its acknowledgement file).
    await waitFor(
      async () => {
        const { orders: again } = await gqlOk(
          app.url,
          `{ orders(first: 100, filter: { status: [INVOICED, PARTIALLY_SHIPPED] }) { nodes { invoices { postingStatus } } } }`,
        );
        const states = again.nodes.flatMap((o: { invoices: { postingStatus: string }[] }) => o.invoices.map((i) => i.postingStatus));
        return states.length > 0 && states.every((s: string) => s === "POSTED") ? states : null;
      },
      "every demo invoice posted to its ERP",
      60_000,
    );
  });

  it("credits the demo return with a credit memo", async () => {
    const { creditMemos } = await gqlOk(app.url, `{ creditMemos(first: 10) { nodes { id creditMemoNumber } } }`);
    expect(creditMemos.nodes).toHaveLength(Number(summary[9]));
    expect(creditMemos.nodes.length).toBe(1);
  });
});
