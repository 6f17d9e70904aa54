// KPIs through the gateway, asserted against values computed by hand from a small constructed
// history (test/helpers/kpi-history.ts). One query fans out to every owning subgraph.
// Percentiles are interpolated (percentile_cont): p of sorted x0..x(n-1) is x at index p*(n-1).
import fs from "node:fs";
import { bearer } from "../helpers/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreKind } from "../helpers/databases.js";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { writeKpiHistory } from "../helpers/kpi-history.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import { evaluateKpiAlerts, KPI_ALERT, parseKpiAlertRules } from "../../platform/kpi/alerts.js";

const stats = "count p50Seconds p95Seconds maxSeconds";
const ALL_KPIS = `
  from to businessUnitId channel ordersReceived
  orderProcessingLatency { toAccepted { ${stats} } toAllocated { ${stats} } }
  fulfillmentConfirmationTime { ${stats} }
  fillRate { orders unitsOrdered unitsShipped rate }
  perfectOrderRate { orders perfect rate }
  inventoryFreshness { positions p50AgeSeconds p95AgeSeconds staleCount byLocation { location { id code } positions p50AgeSeconds p95AgeSeconds staleCount } }
  tight: inventoryFreshness(staleAfterSeconds: 3000, locationId: "WH1") { positions staleCount byLocation { location { id } } }
  invoicePostingAccuracy { invoices posted failed pending rate }
  shipmentsShipped deliveryTime { ${stats} }
  exceptions { opened open resolved resolutionTime { ${stats} } byKind { kind opened open } }`;

const KPI_PULLS = fs.readFileSync(new URL("../../examples/kpi-pulls.graphql", import.meta.url), "utf8");

const FROM = "2026-10-01T00:00:00.000Z";
const TO = "2026-10-02T00:00:00.000Z";

const alertOptions = { rules: parseKpiAlertRules("exceptions.open>0; fillRate.rate<0.9"), windowMs: 3_600_000, intervalMs: 100 };

/** GET options with a token holding every scope (the export routes need one). */
const authed = async () => ({ headers: { authorization: await bearer() } });

export function kpisSuite(kind: StoreKind) {
  describe(`KPIs on ${kind}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      // Alerts over the last hour of real time: the constructed history (October 2026) is outside it.
      t = await startTestApp(kind, { demo: false, hostOptions: { kpiAlerts: alertOptions } });
      await writeKpiHistory(t.database.db);
    });
    afterAll(async () => t?.close());

    it("computes every KPI of a window from the owning subgraphs, as computed by hand", async () => {
      const { kpis: k } = await gqlOk(t.app.url, `query($from: DateTime!, $to: DateTime!) { kpis(from: $from, to: $to) { ${ALL_KPIS} } }`, {
        from: FROM,
        to: TO,
      });
      expect(k).toMatchObject({ from: FROM, to: TO, businessUnitId: null, channel: null, ordersReceived: 4 });
      // received -> accepted: K1 600, K2 0, K3 300, K4 1200 -> sorted 0 300 600 1200
      expect(k.orderProcessingLatency.toAccepted).toEqual({ count: 4, p50Seconds: 450, p95Seconds: 1110, maxSeconds: 1200 });
      // received -> allocated: K1 1800, K2 1200 (K3 only partially, K4 not at all; K5 received the day before)
      expect(k.orderProcessingLatency.toAllocated).toEqual({ count: 2, p50Seconds: 1500, p95Seconds: 1770, maxSeconds: 1800 });
      // releases in the window -> shipped: K1 7200, K2 3600, K3 3600, K5 7200
      expect(k.fulfillmentConfirmationTime).toEqual({ count: 4, p50Seconds: 5400, p95Seconds: 7200, maxSeconds: 7200 });
      // shipped orders received in the window: K1 10/10, K2 24/24 base units, K3 4/10
      expect(k.fillRate).toEqual({ orders: 3, unitsOrdered: 44, unitsShipped: 38, rate: 0.8636 });
      // complete: K1 (had a credit hold) and K2 (perfect)
      expect(k.perfectOrderRate).toEqual({ orders: 2, perfect: 1, rate: 0.5 });
      // ages at the window's end: P1@WH1 21600 (the 10-05 movement is later), P2@WH1 172800, P1@WH2 3600; P2@WH2 only after
      expect(k.inventoryFreshness).toEqual({
        positions: 3,
        p50AgeSeconds: 21600,
        p95AgeSeconds: 157680,
        staleCount: 1,
        byLocation: [
          { location: { id: "WH1", code: "WH1" }, positions: 2, p50AgeSeconds: 97200, p95AgeSeconds: 165240, staleCount: 1 },
          { location: { id: "WH2", code: "WH2" }, positions: 1, p50AgeSeconds: 3600, p95AgeSeconds: 3600, staleCount: 0 },
        ],
      });
      expect(k.tight).toEqual({ positions: 2, staleCount: 2, byLocation: [{ location: { id: "WH1" } }] });
      // dated 10-01 and not void: I1 I2 posted, I3 I6 failed, I4 pending
      expect(k.invoicePostingAccuracy).toEqual({ invoices: 5, posted: 2, failed: 2, pending: 1, rate: 0.5 });
      // S2 and S3 left in the window; S1 (86400) and S2 (21600) were delivered in it
      expect(k.shipmentsShipped).toBe(2);
      expect(k.deliveryTime).toEqual({ count: 2, p50Seconds: 54000, p95Seconds: 83160, maxSeconds: 86400 });
      // M1 dead, M2 resolved by retry (1800), M4 failed; parked 1 resolved (7200), parked 2 open
      expect(k.exceptions).toEqual({
        opened: 5,
        open: 3,
        resolved: 2,
        resolutionTime: { count: 2, p50Seconds: 4500, p95Seconds: 6930, maxSeconds: 7200 },
        byKind: [
          { kind: "INBOUND_MESSAGE", opened: 3, open: 2 },
          { kind: "PARKED_EVENT", opened: 2, open: 1 },
        ],
      });
    });

    it("narrows to a business unit and a channel where the data carries them", async () => {
      const q = `query($bu: ID, $ch: OrderChannel) { kpis(from: "${FROM}", to: "${TO}", businessUnitId: $bu, channel: $ch) {
        businessUnitId channel ordersReceived orderProcessingLatency { toAccepted { count p50Seconds } } fillRate { orders rate } invoicePostingAccuracy { invoices rate } } }`;
      const bu1 = (await gqlOk(t.app.url, q, { bu: "BU1" })).kpis;
      expect(bu1).toMatchObject({ businessUnitId: "BU1", ordersReceived: 3, fillRate: { orders: 3, rate: 0.8636 } });
      // I1 I2 posted, I3 failed (I6 is BU2's)
      expect(bu1.invoicePostingAccuracy).toEqual({ invoices: 4, rate: 0.6667 });
      const commerce = (await gqlOk(t.app.url, q, { ch: "COMMERCE" })).kpis;
      expect(commerce).toMatchObject({
        channel: "COMMERCE",
        ordersReceived: 1,
        orderProcessingLatency: { toAccepted: { count: 1, p50Seconds: 1200 } },
        fillRate: { orders: 0, rate: null },
      });
    });

    it("gives a series of windows for charts, each resolved like a single window", async () => {
      const { kpiSeries } = await gqlOk(
        t.app.url,
        `{ kpiSeries(from: "2026-09-30T00:00:00Z", to: "${TO}", interval: DAY) { from to ordersReceived exceptions { opened } } }`,
      );
      expect(kpiSeries).toEqual([
        { from: "2026-09-30T00:00:00.000Z", to: FROM, ordersReceived: 1, exceptions: { opened: 1 } },
        { from: FROM, to: TO, ordersReceived: 4, exceptions: { opened: 5 } },
      ]);
      const hours = await gqlOk(t.app.url, `{ kpiSeries(from: "${FROM}", to: "2026-10-01T12:30:00Z", interval: HOUR) { from to ordersReceived } }`);
      expect(hours.kpiSeries).toHaveLength(13);
      expect(hours.kpiSeries.at(-1)).toEqual({ from: "2026-10-01T12:00:00.000Z", to: "2026-10-01T12:30:00.000Z", ordersReceived: 1 });
      expect(hours.kpiSeries.filter((w: { ordersReceived: number }) => w.ordersReceived > 0).map((w: { from: string }) => w.from.slice(11, 13))).toEqual([
        "09",
        "10",
        "12",
      ]);
    });

    it("answers the analytics examples (examples/kpi-pulls.graphql) with the same figures", async () => {
      const pull = async (operationName: string, variables: object) => {
        const res = await fetch(`${t.app.url}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: await bearer() },
          body: JSON.stringify({ query: KPI_PULLS, operationName, variables }),
        });
        const body = await res.json();
        expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
        return body.data;
      };
      const { kpis } = await pull("KpiSnapshot", { from: FROM, to: TO, businessUnitId: "BU1" });
      expect(kpis).toMatchObject({
        from: FROM,
        to: TO,
        ordersReceived: 3,
        fillRate: { orders: 3, rate: 0.8636 },
        invoicePostingAccuracy: { invoices: 4, rate: 0.6667 },
      });
      expect(kpis.exceptions).toMatchObject({ opened: 5, open: 3, resolved: 2 });
      expect(kpis.inventoryFreshness.byLocation.map((l: { location: { id: string } }) => l.location.id)).toEqual(["WH1", "WH2"]);
      const { kpiSeries } = await pull("KpiDailySeries", { from: "2026-09-30T00:00:00Z", to: TO });
      expect(kpiSeries.map((w: { from: string; ordersReceived: number }) => [w.from, w.ordersReceived])).toEqual([
        ["2026-09-30T00:00:00.000Z", 1],
        [FROM, 4],
      ]);
      expect(kpiSeries[1].orderProcessingLatency.toAccepted).toEqual({ count: 4, p50Seconds: 450, p95Seconds: 1110 });
    });

    it("refuses an empty range and a series with too many buckets, naming the argument", async () => {
      const empty = await gql(t.app.url, `{ kpis(from: "${TO}", to: "${FROM}") { ordersReceived } }`);
      expect(empty.errors?.[0]?.extensions).toMatchObject({ code: "INVALID_DATE_RANGE", argument: "from" });
      const long = await gql(t.app.url, `{ kpiSeries(from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z", interval: HOUR) { ordersReceived } }`);
      expect(long.errors?.[0]).toMatchObject({ extensions: { code: "INVALID_ARGUMENT", argument: "interval" } });
      expect(long.errors?.[0]?.message).toContain("1416 buckets");
      const bad = await gql(t.app.url, `{ kpis(from: "yesterday", to: "${TO}") { ordersReceived } }`);
      expect(bad.errors?.[0]?.message).toMatch(/yesterday/);
    });

    describe("bulk export", () => {
      const base = () => t.app.url.replace(/\/graphql$/, "");
      const ndjson = async (path: string) => {
        const res = await fetch(`${base()}${path}`, await authed());
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
        const rows = (await res.text())
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l));
        return { rows, next: res.headers.get("x-next-cursor"), link: res.headers.get("link") };
      };

      it("streams a dataset as NDJSON in key order, with exact values", async () => {
        const { rows, next } = await ndjson("/export/orders");
        expect(rows.map((r) => r.id)).toEqual(["K1", "K2", "K3", "K4", "K5"]);
        expect(rows[3]).toMatchObject({
          id: "K4",
          channel: "COMMERCE",
          businessUnitId: "BU2",
          status: "ACCEPTED",
          placedAt: "2026-10-01T09:00:00.000Z",
          requestedShipDate: null,
        });
        expect(next).toBeNull();
        const lines = await ndjson("/export/lines");
        expect(lines.rows.find((l) => l.id === "K2-L1")).toMatchObject({ unit: "CS", unitFactor: 12, unitPrice: "1", quantityOrdered: 2, quantityShipped: 2 });
      });

      it("pages a composite key with the cursor from the headers, nothing lost or repeated", async () => {
        const first = await ndjson("/export/positions?limit=3");
        expect(first.rows.map((r) => `${r.sku}@${r.locationId}`)).toEqual(["P1@WH1", "P1@WH2", "P2@WH1"]);
        expect(first.next).toBeTruthy();
        expect(first.link).toContain(`after=${first.next}`);
        const second = await ndjson(`/export/positions?limit=3&after=${first.next}`);
        expect(second.rows.map((r) => `${r.sku}@${r.locationId}`)).toEqual(["P2@WH2"]);
        expect(second.next).toBeNull();
        expect(first.rows[0]).toMatchObject({ onHand: 5, available: 5, asOf: "2026-10-05T00:00:00.000Z" });
      });

      it("writes CSV with a header row, calendar dates as dates and money as exact decimals", async () => {
        const res = await fetch(`${base()}/export/invoices?format=csv`, await authed());
        expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
        const [header, ...rows] = (await res.text()).trim().split("\n");
        expect(header!.split(",").slice(0, 3)).toEqual(["id", "invoiceNumber", "orderId"]);
        expect(rows).toHaveLength(7);
        const i7 = rows.find((r) => r.startsWith("I7,"))!.split(",");
        const col = (name: string) => i7[header!.split(",").indexOf(name)];
        expect([col("invoiceDate"), col("postingStatus"), col("total")]).toEqual(["2026-09-30", "POSTED", "1"]);
        const empty = await fetch(`${base()}/export/shipments?format=csv&after=${Buffer.from(JSON.stringify(["S9"])).toString("base64url")}`, await authed());
        expect((await empty.text()).trim()).toBe(
          "id,shipmentNumber,orderId,shipFromLocationId,carrierScac,serviceLevel,trackingNumber,status,shippedAt,estimatedDelivery,deliveredAt",
        );
      });

      it("reads a page larger than one chunk in several reads, in order", async () => {
        await t.database.db.order.create({
          data: {
            id: "X1",
            orderNumber: "SO-X1",
            customerId: "C1",
            channel: "EDI",
            status: "ACCEPTED",
            currency: "USD",
            placedAt: new Date("2026-10-01T00:00:00Z"),
          },
        });
        await t.database.db.orderLine.createMany({
          data: Array.from({ length: 1200 }, (_, i) => ({
            id: `X1-${String(i).padStart(4, "0")}`,
            orderId: "X1",
            lineNumber: i + 1,
            sku: "P1",
            unit: "EA",
            unitFactor: 1,
            baseUnit: "EA",
            unitPrice: "1",
            quantityOrdered: 1,
          })),
        });
        const log = t.database.statements;
        log.keepText = true;
        const before = log.statements.length;
        const page = await ndjson("/export/lines?limit=1100");
        log.keepText = false;
        expect(page.rows).toHaveLength(1100);
        expect(page.rows.map((r) => r.id)).toEqual([...page.rows.map((r) => r.id)].sort());
        // one read for the page's bounds (two keys, at offset 1099), then chunks of 500, 500 and 100
        // (the export's reads: the KPI alert evaluator reads order lines too, in its own way)
        const reads = log.statements.slice(before).filter((sql) => sql.includes('"OrderLine"') && (/OFFSET/i.test(sql) || sql.includes('"quantityInvoiced"')));
        expect(reads).toHaveLength(4);
        expect(reads[0]).toMatch(/OFFSET/i);
        const rest = await ndjson(`/export/lines?limit=1100&after=${page.next}`);
        expect(rest.rows.length + page.rows.length).toBe(1200 + 5);
        expect(new Set([...page.rows, ...rest.rows].map((r) => r.id)).size).toBe(1205);
      });

      it("refuses a bad format, limit or cursor naming it, and an unknown dataset listing the known ones", async () => {
        const xml = await fetch(`${base()}/export/orders?format=xml`, await authed());
        expect(xml.status).toBe(400);
        expect(await xml.json()).toMatchObject({ parameter: "format", error: expect.stringContaining("xml") });
        const zero = await fetch(`${base()}/export/orders?limit=0`, await authed());
        expect(await zero.json()).toMatchObject({ parameter: "limit" });
        const cursor = await fetch(`${base()}/export/positions?after=${Buffer.from(JSON.stringify(["P1"])).toString("base64url")}`, await authed());
        expect(cursor.status).toBe(400);
        expect(await cursor.json()).toMatchObject({ parameter: "after" });
        const unknown = await fetch(`${base()}/export/customers`, await authed());
        expect(unknown.status).toBe(404);
        expect((await unknown.json()).error).toContain("orders, lines, positions, invoices, shipments");
      });
    });

    it("raises a business alert when a KPI crosses its threshold and clears it, once per change, to kpiAlert subscribers", async () => {
      const client = wsClient(t.app.url);
      const alerts = collect(
        client,
        `subscription { kpiAlert(kpi: "exceptions.open") { rule kpi comparison threshold value state window { from exceptions { open opened } } } }`,
      );
      try {
        await subscribed(t.app.subscriptions.follower, 1);
        await t.database.db.inboundMessage.create({
          data: {
            id: "ALERT-1",
            source: "wms",
            kind: "inventory-event",
            idempotencyKey: "ALERT-1",
            correlationId: "corr-alert",
            state: "DEAD_LETTER",
            raw: Buffer.from("{}"),
            attempts: 1,
          },
        });
        await alerts.waitFor(1);
        expect(alerts.results[0]!.data!.kpiAlert).toMatchObject({
          rule: "exceptions.open>0",
          kpi: "exceptions.open",
          comparison: ">",
          threshold: 0,
          value: 1,
          state: "RAISED",
          window: { exceptions: { open: 1, opened: 1 } },
        });
        await t.database.db.inboundMessage.update({ where: { id: "ALERT-1" }, data: { state: "PROCESSED", attempts: 2, processedAt: new Date() } });
        await alerts.waitFor(2);
        expect(alerts.results[1]!.data!.kpiAlert).toMatchObject({ value: 0, state: "CLEARED", window: { exceptions: { open: 0, opened: 1 } } });
        // Three more evaluations at once (as from three replicas): nothing changed, nothing appended.
        const run = (query: string, variables: Record<string, unknown>) => gql(t.app.url, query, variables);
        const again = await Promise.all([1, 2, 3].map(() => evaluateKpiAlerts(t.database.db, run, alertOptions)));
        expect(again.flat()).toEqual([]);
        // The watched KPIs are gauges too, as of the last evaluation.
        const scrape = await (await fetch(t.app.url.replace(/\/graphql$/, "/metrics"))).text();
        expect(scrape).toMatch(/^kpi_value\{kpi="exceptions.open"\} 0$/m);
        expect(scrape).toMatch(/^kpi_alert_raised\{rule="exceptions.open>0"\} 0$/m);
        const events = await t.database.db.eventLog.findMany({ where: { type: KPI_ALERT }, orderBy: { sequence: "asc" } });
        // The fill rate has no sample in the last hour: no alert for it.
        expect(events.map((e) => [e.aggregateId, (e.payload as { state: string }).state])).toEqual([
          ["exceptions.open>0", "RAISED"],
          ["exceptions.open>0", "CLEARED"],
        ]);
      } finally {
        alerts.stop();
        await client.dispose();
      }
    });
  });
}
