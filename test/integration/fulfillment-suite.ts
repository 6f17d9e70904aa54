// Fulfillment to cash on each store, through HTTP with real bytes: an X12 850 (the sample) through
// allocation, release (a 940 delivered to a 3PL's HTTP endpoint that fails first), a 945, SHIPPED,
// the invoice (exact totals, tax), INVOICED and the outbound 856 and 810, with every status step
// and event asserted; a partial shipment from our WMS (JSON release in a folder, JSON
// confirmation) with its backorder and an over-shipment; a supplier's 856 (the sample) raising
// inbound and the ATP answer; carrier status (214, TMS) onto milestones; redelivery of the
// shipment event creating no second invoice; and returns credited by erp-finance (a memo per
// return at the invoiced price, posted to a Business Central stand-in, never beyond invoiced
// minus credited, waiting for an invoice not yet made).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import type { StoreKind } from "../helpers/databases.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { waitFor } from "../helpers/wait.js";
import { x12 } from "../helpers/x12.js";
import { x12SegmentsOf } from "./channels/x12.js";
import { makeSscc } from "../../subgraphs/shipments/domain.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import { invoiceRecorder, shipmentRecorder } from "../../subgraphs/orders/fulfillment.js";
import { shipmentStockConsumer } from "../../subgraphs/inventory/shipped-stock.js";
import { invoicingConsumer } from "../../subgraphs/erp-finance/invoicing.js";
import { returnCreditConsumer } from "../../subgraphs/erp-finance/return-credits.js";
import { BusinessCentralStandIn } from "../../subgraphs/erp-finance/stand-in/business-central.js";

const SAMPLES = path.join(import.meta.dirname, "../fixtures/samples");
const sample = (name: string) => fs.readFileSync(path.join(SAMPLES, name));

/** The sample 850's six items: all in stock at the 3PL warehouse, so the order is ALLOCATED in full. */
const XYZ = [
  { vn: "AB3542", sku: "FX-SMALL", price: "9.2500", qty: 120 },
  { vn: "RD5322", sku: "FX-MEDIUM", price: "13.7900", qty: 220 },
  { vn: "XY5266", sku: "FX-LARGE", price: "10.9900", qty: 126 },
  { vn: "VX2332", sku: "FX-NANO", price: "4.3500", qty: 76 },
  { vn: "RV0524", sku: "FX-BLUE", price: "7.5000", qty: 72 },
  { vn: "DX1875", sku: "FX-ORANGE", price: "9.5500", qty: 696 },
];
const ORDER = `query($id: ID!) { order(id: $id) { id orderNumber status
  lines { lineNumber sku quantityOrdered quantityAllocated quantityBackordered quantityReleased quantityShipped quantityInvoiced }
  statusHistory { from to source reason }
  documents { id type standard partner controlNumber content }
  warehouseOrders { id number status format location { id } lines { lineNumber quantity quantityShipped } deliveries { state attempts lastError target } }
  shipments { id shipmentNumber status source consignment overShipped { lineNumber released shipped } packages { sscc } lines { lineNumber quantity lots quantityOrdered } milestones { code source } version }
  invoices { id invoiceNumber status postingStatus subtotal chargesTotal allowancesTotal taxRate taxTotal total dueDate lines { lineNumber sku quantity unitPrice amount } charges { code amount } allowances { code amount } } } }`;

export function fulfillmentSuite(kind: StoreKind) {
  describe(`fulfillment to cash on ${kind}`, () => {
    let t: TestApp;
    let url: string;
    let base: string;
    const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "wh-outbox-"));
    const erpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "fx-erp-"));
    // The business unit's ERP: its connector is configured by the returns tests (until then postings wait).
    const bc = new BusinessCentralStandIn();
    // The 3PL's order intake: refuses the first delivery (503), takes the next ones.
    const received: { body: string; key: string | undefined; type: string | undefined }[] = [];
    let refusals = 1;
    const threePl = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (refusals-- > 0) return void res.writeHead(503).end("busy");
        received.push({ body, key: req.headers["idempotency-key"] as string | undefined, type: req.headers["x-document-type"] as string | undefined });
        res.writeHead(200).end("ok");
      });
    });
    const order = (id: string) => gqlOk(url, ORDER, { id }).then((d) => d.order);
    const untilStatus = (id: string, status: string) =>
      waitFor(async () => ((o) => (o.status === status ? o : null))(await order(id)), `order ${id} ${status}`);
    const CREDIT = `query($id: ID!) { returnAuthorization(id: $id) { id status credit { status note creditMemos { id } }
      creditMemo { id creditMemoNumber reason sourceReference postingStatus erpDocumentNumber invoice { id } order { id } customer { id } subtotal taxRate taxTotal total
        lines { invoiceLineNumber sku quantity unit unitPrice amount } } } }`;
    const creditOf = (id: string) => gqlOk(url, CREDIT, { id }).then((d) => d.returnAuthorization);
    /** Until erp-finance settled the return's credit (anything but waiting for an invoice). */
    const untilCredit = (id: string) =>
      waitFor(async () => ((r) => (r.credit && r.credit.status !== "WAITING_FOR_INVOICE" ? r : null))(await creditOf(id)), `the credit of return ${id}`);
    const authorize = (orderId: string, reason: string, lines: { lineNumber: number; quantity: number }[]) =>
      gqlOk(url, `mutation($i: AuthorizeReturnInput!) { authorizeReturn(input: $i) { id status } }`, {
        i: { orderId, reason, locationId: "LOC-FX-WMS", lines },
      }).then((d) => d.authorizeReturn);
    const receive = (returnId: string, lines: { lineNumber: number; restock?: number; damaged?: number }[]) =>
      gqlOk(url, `mutation($i: ReceiveReturnInput!) { receiveReturn(input: $i) { id status } }`, { i: { returnId, lines } }).then((d) => d.receiveReturn);
    const events = (aggregateIds: string[]) =>
      t.database.db.eventLog.findMany({
        where: { aggregateId: { in: aggregateIds } },
        orderBy: { sequence: "asc" },
        select: { type: true, aggregateId: true, payload: true },
      });

    beforeAll(async () => {
      await new Promise<void>((r) => threePl.listen(0, "127.0.0.1", r));
      await bc.start();
      t = await startTestApp(kind, {
        demo: false,
        hostOptions: {
          autoRelease: true,
          pollIntervalMs: 200,
          creditCheckTimeoutMs: 60_000,
          delivery: { outboxDir: outbox, pollMs: 100, maxAttempts: 5, backoffBaseMs: 50 },
          erp: {
            defaultCloud: bc.endpoint(),
            secrets: {},
            fileRoot: erpRoot,
            requestTimeoutMs: 10_000,
            fileSettleMs: 0,
            postingPollMs: 100,
            worker: { backoff: { baseMs: 100, maxMs: 400 } },
            log: (e) => e.level === "error" && console.error(JSON.stringify(e)),
          },
        },
      });
      url = t.app.url;
      base = url.replace(/\/graphql$/, "/");
      const db = t.database.db;
      await db.businessUnit.create({
        data: { id: "BU-FX", name: "Fulfillment", erpSystem: "DYNAMICS_365", erpInstance: "CRONUS", deployment: "CLOUD", currency: "USD" },
      });
      await db.location.createMany({ data: ["3PL", "WMS"].map((c) => ({ id: `LOC-FX-${c}`, code: `FX-${c}`, name: `${c} DC`, kind: "WAREHOUSE" as const })) });
      await db.customer.createMany({
        data: [
          {
            id: "CUST-FXYZ",
            name: "XYZ Retail",
            businessUnitId: "BU-FX",
            creditLimit: "1000000.00",
            currency: "USD",
            paymentTerms: "NET30",
            termsDays: 30,
            taxRate: "0.0825",
            externalRefs: [{ system: "DYNAMICS_365", value: "FX-XYZ" }],
          },
          {
            id: "CUST-FB2B",
            name: "B2B Buyer",
            businessUnitId: "BU-FX",
            creditLimit: "1000000.00",
            currency: "USD",
            paymentTerms: "NET45",
            termsDays: 45,
            externalRefs: [{ system: "DYNAMICS_365", value: "FX-B2B" }],
          },
        ],
      });
      await gqlOk(url, `mutation($p: [ProductInput!]!) { upsertProducts(products: $p) { created } }`, {
        p: [
          ...XYZ.map((i) => ({ sku: i.sku, description: `XYZ ${i.vn}`, baseUnit: "EA" })),
          { sku: "FX-BOLT", description: "Bolt", baseUnit: "EA", conversions: [{ unit: "CS", factor: 10 }] },
          { sku: "FX-NUT", description: "Nut", baseUnit: "EA" },
        ],
      });
      await gqlOk(url, `mutation($p: [PriceInput!]!) { upsertPrices(prices: $p) }`, {
        p: [
          ...XYZ.map((i) => ({ sku: i.sku, unit: "EA", currency: "USD", unitPrice: i.price })),
          { sku: "FX-BOLT", unit: "CS", currency: "USD", unitPrice: "12.5000" },
          { sku: "FX-NUT", unit: "EA", currency: "USD", unitPrice: "0.3300" },
        ],
      });
      const receipts = [
        ...XYZ.map((i) => ({ sku: i.sku, location: "FX-3PL", quantity: 1000 })),
        { sku: "FX-BOLT", location: "FX-WMS", quantity: 100 },
        { sku: "FX-NUT", location: "FX-WMS", quantity: 500 },
      ];
      const r = await post(
        base,
        "/ingest/wms/inventory",
        JSON.stringify(receipts.map((x, i) => ({ eventId: `fx-rcpt-${i}`, type: "RECEIPT", occurredAt: "2026-11-27T10:00:00Z", ...x }))),
      );
      expect(r.status).toBe(200);
      await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
        r: [
          { kind: "CUSTOMER", system: "X12", externalValue: "12:4405197800", canonicalId: "CUST-FXYZ" },
          ...XYZ.map((i) => ({ kind: "PRODUCT", system: "X12", externalValue: i.vn, canonicalId: i.sku })),
        ],
      });
      const threePlUrl = `http://127.0.0.1:${(threePl.address() as { port: number }).port}/orders`;
      await gqlOk(
        url,
        `mutation($a: WarehouseEndpointInput!, $b: WarehouseEndpointInput!) { a: configureWarehouse(input: $a) { format } b: configureWarehouse(input: $b) { format } }`,
        {
          a: { locationId: "LOC-FX-3PL", format: "X12_940", partner: "ZZ:ACME3PL", deliverTo: threePlUrl },
          b: { locationId: "LOC-FX-WMS", format: "WMS_JSON", deliverTo: `file:${path.join(outbox, "wms")}` },
        },
      );
      await waitFor(async () => (await db.catalogItem.count()) === XYZ.length + 2 || null, "the catalog projection");
    });
    afterAll(async () => {
      await t?.close();
      await new Promise((r) => threePl.close(r));
      await bc.stop();
      fs.rmSync(outbox, { recursive: true, force: true });
      fs.rmSync(erpRoot, { recursive: true, force: true });
    });

    let xyzOrderId = "";
    let b2bOrderId = "";
    let woNumber = "";

    it("takes an X12 850 through allocation, release (a 940 delivered after a refusal), a 945, SHIPPED, the invoice, INVOICED and the 856 and 810, with every step and event", async () => {
      const placed = await post(base, "/ingest/x12", sample("x12-850-xyzretail-6lines.edi"), { "content-type": "application/edi-x12" });
      expect(placed.status).toBe(200);
      xyzOrderId = (await gqlOk(url, `query($id: ID!) { inboundMessage(id: $id) { result } }`, { id: placed.json.messageId })).inboundMessage.result.orderId;

      // Released to the 3PL: one warehouse order, its 940 stored with the order and delivered on the second attempt.
      const released = await waitFor(
        async () => ((o) => (o.status === "RELEASED" && o.warehouseOrders[0]?.deliveries[0]?.state === "DELIVERED" ? o : null))(await order(xyzOrderId)),
        "the 940 delivered",
      );
      const [wo] = released.warehouseOrders;
      woNumber = wo.number;
      expect(wo).toMatchObject({
        status: "RELEASED",
        format: "X12_940",
        location: { id: "LOC-FX-3PL" },
        deliveries: [{ state: "DELIVERED", attempts: 2, target: expect.stringMatching(/^http:/) }],
      });
      expect(wo.lines.map((l: { quantity: number }) => l.quantity)).toEqual(XYZ.map((i) => i.qty));
      expect(released.lines.every((l: { quantityReleased: number; quantityOrdered: number }) => l.quantityReleased === l.quantityOrdered)).toBe(true);
      const doc940 = released.documents.find((d: { type: string }) => d.type === "940");
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ body: doc940.content, key: doc940.id, type: "940" });
      const s940 = x12SegmentsOf(doc940.content);
      expect(s940[0].slice(5, 9)).toEqual(["ZZ", "DISTGRAPH", "ZZ", "ACME3PL"]);
      expect(s940.find((s) => s[0] === "GS")!.slice(1, 2)).toEqual(["OW"]);
      expect(s940.find((s) => s[0] === "W05")).toEqual(["W05", "N", wo.number, "08292233294"]);
      expect(s940.filter((s) => s[0] === "W01").map((s) => [s[1], s[2], s[5]])).toEqual(XYZ.map((i) => [String(i.qty), "EA", i.sku]));
      expect(s940.find((s) => s[0] === "W76")).toEqual(["W76", String(XYZ.reduce((n, i) => n + i.qty, 0))]);
      expect(s940.find((s) => s[0] === "SE")![1]).toBe(String(s940.length - 4));

      // The 3PL's 945: everything shipped, in two cartons, the first line by its UPC-less vendor number, lots on line 3.
      const sscc1 = makeSscc(0, "0614141", 1001);
      const sscc2 = makeSscc(0, "0614141", 1002);
      const lines945 = XYZ.flatMap((i, n) => [
        `LX*${n + 1}`,
        `MAN*GM*${n < 3 ? sscc1 : sscc2}`,
        `W12*CC*${i.qty}*${i.qty}*0*EA**VN*${i.sku}`,
        ...(n === 2 ? ["N9*LT*LOT-A7"] : []),
      ]);
      const doc945 = x12({
        sender: ["ZZ", "ACME3PL"],
        control: "000000945",
        groups: [
          {
            control: "945",
            functionalId: "SW",
            sets: [
              {
                id: "945",
                control: "0001",
                segments: [
                  `W06*F*${wo.number}*20261128*CONS-77**08292233294`,
                  "N9*BM*BOL-5501",
                  "N9*CN*1Z999AA10123456784",
                  "G62*11*20261128*W*1015",
                  "W27*M*UPSN***GROUND",
                  ...lines945,
                  `W03*${XYZ.reduce((n, i) => n + i.qty, 0)}*412*LB`,
                ],
              },
            ],
          },
        ],
      });
      const shipped = await post(base, "/ingest/x12", doc945, { "content-type": "application/edi-x12" });
      expect(shipped.status).toBe(200);
      expect(shipped.json.state).toBe("PROCESSED");

      const done = await waitFor(
        async () =>
          ((o) => (o.status === "INVOICED" && ["810", "855"].every((t) => o.documents.some((d: { type: string }) => d.type === t)) ? o : null))(
            await order(xyzOrderId),
          ),
        "order invoiced with its 855 and 810",
      );
      // The 855 is written even though the order had moved on (released) when its consumer got to it.
      expect(done.documents.map((d: { type: string }) => d.type).sort()).toEqual(["810", "855", "856", "940", "997"]);
      expect(done.statusHistory.map((h: { from: string; to: string; source: string }) => [h.from, h.to, h.source])).toEqual([
        [null, "ACCEPTED", "edi"],
        ["ACCEPTED", "ALLOCATED", "inventory"],
        ["ALLOCATED", "RELEASED", "release"],
        ["RELEASED", "SHIPPED", "shipments"],
        ["SHIPPED", "INVOICED", "erp-finance"],
      ]);
      expect(
        done.lines.map((l: { quantityShipped: number; quantityInvoiced: number; quantityReleased: number }) => [
          l.quantityShipped,
          l.quantityInvoiced,
          l.quantityReleased,
        ]),
      ).toEqual(XYZ.map((i) => [i.qty, i.qty, 0]));
      const [shipment] = done.shipments;
      expect(shipment).toMatchObject({
        status: "SHIPPED",
        source: "x12-945",
        consignment: "CONS-77",
        overShipped: [],
        milestones: [{ code: "PICKED_UP", source: "x12-945" }],
        version: 1,
      });
      expect(shipment.packages.map((p: { sscc: string }) => p.sscc).sort()).toEqual([sscc1, sscc2].sort());
      expect(shipment.lines.find((l: { lineNumber: number }) => l.lineNumber === 3)).toMatchObject({ quantity: 126, lots: ["LOT-A7"], quantityOrdered: 126 });
      expect(done.warehouseOrders[0].status).toBe("SHIPPED");

      // The invoice: lines at our prices, tax 8.25 % on the subtotal, NET30 from the ship date; exact decimals.
      const subtotal = XYZ.reduce((s, i) => s + Math.round(Number(i.price) * 100) * i.qty, 0); // cents
      const tax = Math.round((subtotal * 825) / 10000);
      const cents = (c: number) => (c / 100).toFixed(2);
      expect(done.invoices).toHaveLength(1);
      expect(done.invoices[0]).toMatchObject({
        status: "OPEN",
        postingStatus: "PENDING",
        subtotal: cents(subtotal),
        chargesTotal: "0.00",
        allowancesTotal: "0.00",
        taxRate: "0.0825",
        taxTotal: cents(tax),
        total: cents(subtotal + tax),
        dueDate: "2026-12-28",
      });
      expect(done.invoices[0].lines.map((l: { sku: string; quantity: number; amount: string }) => [l.sku, l.quantity, l.amount])).toEqual(
        XYZ.map((i) => [i.sku, i.qty, cents(Math.round(Number(i.price) * 100) * i.qty)]),
      );

      // The 856 and the 810 to the buyer, parsed back by a real parser: envelopes, hierarchy, counts, amounts.
      const doc856 = done.documents.find((d: { type: string }) => d.type === "856");
      const s856 = x12SegmentsOf(doc856.content);
      expect(s856[0].slice(5, 9)).toEqual(["01", "999999999", "12", "4405197800"]);
      expect(s856.find((s) => s[0] === "GS")![1]).toBe("SH");
      expect(s856.filter((s) => s[0] === "HL").map((s) => s[3])).toEqual(["S", "O", "P", "I", "I", "I", "P", "I", "I", "I"]);
      expect(s856.filter((s) => s[0] === "MAN").map((s) => s[2])).toEqual([sscc1, sscc2]);
      expect(s856.find((s) => s[0] === "PRF")![1]).toBe("08292233294");
      expect(s856.find((s) => s[0] === "CTT")).toEqual(["CTT", "10", String(XYZ.reduce((n, i) => n + i.qty, 0))]);
      expect(s856.find((s) => s[0] === "SE")![1]).toBe(String(s856.length - 4));
      const doc810 = done.documents.find((d: { type: string }) => d.type === "810");
      const s810 = x12SegmentsOf(doc810.content);
      expect(s810.find((s) => s[0] === "GS")![1]).toBe("IN");
      expect(s810.find((s) => s[0] === "BIG")!.slice(1, 5)).toEqual(["20261128", done.invoices[0].invoiceNumber, "20101127", "08292233294"]);
      expect(s810.filter((s) => s[0] === "IT1").map((s) => [s[1], s[2], s[4]])).toEqual(
        XYZ.map((i, n) => [String(n + 1), String(i.qty), i.price.replace(/0+$/, "").replace(/\.$/, "")]),
      );
      expect(s810.find((s) => s[0] === "TDS")!.slice(1, 3)).toEqual([String(subtotal + tax), String(subtotal)]);
      expect(s810.find((s) => s[0] === "TXI")!.slice(1, 3)).toEqual(["ST", cents(tax)]);
      expect(s810.find((s) => s[0] === "CTT")).toEqual(["CTT", "6"]);
      // Control numbers: one counter per partner across 997, 855, 856, 810.
      const controls = done.documents
        .filter((d: { partner: string }) => d.partner === "X12:12:4405197800")
        .map((d: { controlNumber: string }) => Number(d.controlNumber));
      expect(new Set(controls).size).toBe(controls.length);

      // Every hop is an event of its declared type, in order, under the order's, shipment's and invoice's ids.
      const log = await events([xyzOrderId, shipment.id, done.invoices[0].id]);
      expect(log.map((e) => e.type)).toEqual([
        "OrderStatusChanged",
        "OrderAccepted",
        "OrderAllocationChanged",
        "OrderStatusChanged",
        "OrderStatusChanged",
        "OrderReleased",
        "ShipmentConfirmed",
        "OrderStatusChanged",
        "OrderShipped",
        "InvoiceCreated",
        "OrderStatusChanged",
      ]);
      expect(log.filter((e) => e.type === "OrderStatusChanged").map((e) => (e.payload as { newStatus: string }).newStatus)).toEqual([
        "ACCEPTED",
        "ALLOCATED",
        "RELEASED",
        "SHIPPED",
        "INVOICED",
      ]);
      // Stock left the 3PL warehouse: on hand and allocated down by what shipped.
      const pos = await t.database.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "FX-ORANGE", locationId: "LOC-FX-3PL" } } });
      expect([pos.onHand, pos.allocated]).toEqual([1000 - 696, 0]);
    });

    it("creates no second invoice when the shipment and invoice events are delivered again", async () => {
      const db = t.database.db;
      const before = {
        invoices: await db.invoice.count(),
        created: await db.eventLog.count({ where: { type: "InvoiceCreated" } }),
        documents: await db.outboundDocument.count(),
      };
      const [shipped] = await db.eventLog.findMany({ where: { type: "OrderShipped", aggregateId: xyzOrderId } });
      const [confirmed] = await db.eventLog.findMany({ where: { type: "ShipmentConfirmed", payload: { path: ["orderId"], equals: xyzOrderId } } });
      // Every consumer of the chain gets its events again (at-least-once delivery: a crash after the
      // handler's effects but before the offset was seen, a replica racing), in the order of the log.
      const chain = [
        [shipmentRecorder, confirmed],
        [shipmentStockConsumer, confirmed],
        [invoicingConsumer, shipped],
        [
          invoiceRecorder,
          (
            await db.eventLog.findMany({
              where: { type: "InvoiceCreated", aggregateId: { in: (await db.invoice.findMany({ where: { orderId: xyzOrderId } })).map((i) => i.id) } },
            })
          )[0],
        ],
      ] as const;
      for (const [consumer, event] of chain) await db.$transaction((tx) => consumer.handle(event, tx));
      expect(shipped).toBeTruthy();
      expect(await db.invoice.count()).toBe(before.invoices);
      expect(await db.eventLog.count({ where: { type: "InvoiceCreated" } })).toBe(before.created);
      expect(await db.outboundDocument.count()).toBe(before.documents);
      const o = await order(xyzOrderId);
      expect(o.lines.map((l: { quantityShipped: number; quantityInvoiced: number }) => [l.quantityShipped, l.quantityInvoiced])).toEqual(
        XYZ.map((i) => [i.qty, i.qty]),
      );
      const pos = await db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "FX-ORANGE", locationId: "LOC-FX-3PL" } } });
      expect(pos.onHand).toBe(1000 - 696);
      // A resent 945 (new interchange, same shipment) is recognised: no second shipment.
      const again = await post(
        base,
        "/ingest/x12",
        x12({
          sender: ["ZZ", "ACME3PL"],
          control: "000000946",
          groups: [
            {
              control: "946",
              functionalId: "SW",
              sets: [{ id: "945", control: "0001", segments: [`W06*F*${woNumber}*20261128*CONS-77**08292233294`, "LX*1", `W12*CC*120*120*0*EA**VN*FX-SMALL`] }],
            },
          ],
        }),
        { "content-type": "application/edi-x12" },
      );
      expect(again.status).toBe(200);
      expect((await order(xyzOrderId)).shipments).toHaveLength(1);
    });

    it("puts carrier status from an X12 214 and the TMS onto the shipment's milestones; an unmapped AT7 code waits for its mapping row", async () => {
      const tracking = "1Z999AA10123456784";
      const at214 = (control: string, at7: string, date: string) =>
        x12({
          sender: ["02", "UPSN"],
          control,
          groups: [
            {
              control: control.slice(-4),
              functionalId: "QM",
              sets: [
                { id: "214", control: "0001", segments: [`B10*${tracking}*CONS-77*UPSN`, "LX*1", `AT7*${at7}*NS***${date}*1400*LT`, "MS1*ATLANTA*GA*US"] },
              ],
            },
          ],
        });
      const moving = await post(base, "/ingest/x12", at214("000002141", "X6", "20261129"), { "content-type": "application/edi-x12" });
      expect(moving.status).toBe(200);
      let o = await order(xyzOrderId);
      expect(o.shipments[0]).toMatchObject({
        status: "IN_TRANSIT",
        milestones: [{ code: "PICKED_UP" }, { code: "IN_TRANSIT", source: "edi-214" }],
        version: 2,
      });
      const unknown = await post(base, "/ingest/x12", at214("000002142", "ZZ9", "20261130"), { "content-type": "application/edi-x12" });
      expect(unknown.status).toBe(422);
      expect(unknown.json.error).toMatch(/no mapping for STATUS ZZ9 from X12:AT701/);
      await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
        r: [{ kind: "STATUS", system: "X12:AT701", externalValue: "ZZ9", canonicalId: "EXCEPTION" }],
      });
      const replayed = await gqlOk(url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state } }`, { id: unknown.json.messageId });
      expect(replayed.replayInboundMessage.state).toBe("PROCESSED");
      const delivered = await post(
        base,
        "/ingest/tms/milestones",
        JSON.stringify({
          eventId: "tms-1",
          shipment: { trackingNumber: tracking },
          code: "DELIVERED",
          occurredAt: "2026-11-30T15:30:00Z",
          location: "Solon, OH",
        }),
      );
      expect(delivered.status).toBe(200);
      const resent = await post(
        base,
        "/ingest/tms/milestones",
        JSON.stringify({
          eventId: "tms-1",
          shipment: { trackingNumber: tracking },
          code: "DELIVERED",
          occurredAt: "2026-11-30T15:30:00Z",
          location: "Solon, OH",
        }),
      );
      expect(resent.json.state).toBe("DUPLICATE");
      const nowhere = await post(
        base,
        "/ingest/tms/milestones",
        JSON.stringify({ eventId: "tms-2", shipment: { trackingNumber: "NOPE" }, code: "IN_TRANSIT", occurredAt: "2026-11-30T09:30:00Z" }),
      );
      expect(nowhere.status).toBe(422);
      expect(nowhere.json.error).toMatch(/no shipment matches tracking NOPE/);
      o = await order(xyzOrderId);
      expect(o.shipments[0].milestones.map((m: { code: string }) => m.code)).toEqual(["PICKED_UP", "IN_TRANSIT", "EXCEPTION", "DELIVERED"]);
      expect(o.shipments[0]).toMatchObject({ status: "DELIVERED", version: 4 });
    });

    it("ships part of a WMS order (JSON release in its folder, JSON confirmation): shipped quantities, the backorder, an over-shipment flagged, a partial invoice", async () => {
      const placed = await gqlOk(url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome order { id } } }`, {
        i: {
          idempotencyKey: "fx-b2b-1",
          customerId: "CUST-FB2B",
          customerPo: "B2B-77",
          lines: [
            { sku: "FX-BOLT", quantity: 4, unit: "CS" },
            { sku: "FX-NUT", quantity: 100 },
          ],
        },
      });
      const id = placed.placeOrder.order.id;
      b2bOrderId = id;
      const released = await waitFor(
        async () => ((o) => (o.status === "RELEASED" && o.warehouseOrders[0]?.deliveries[0]?.state === "DELIVERED" ? o : null))(await order(id)),
        "WMS order delivered",
      );
      const [wo] = released.warehouseOrders;
      expect(wo).toMatchObject({ format: "WMS_JSON", location: { id: "LOC-FX-WMS" } });
      const file = path.join(outbox, "wms", `WMS_SHIPPING_ORDER-${released.documents.find((d: { type: string }) => d.type === "WMS_SHIPPING_ORDER").id}.json`);
      const sent = JSON.parse(fs.readFileSync(file, "utf8"));
      expect(sent).toMatchObject({
        warehouseOrderNumber: wo.number,
        customerPo: "B2B-77",
        lines: [
          { lineNumber: 1, sku: "FX-BOLT", unit: "CS", quantity: 4 },
          { lineNumber: 2, sku: "FX-NUT", unit: "EA", quantity: 100 },
        ],
      });

      const good = makeSscc(0, "0614141", 2001);
      const bad = `${good.slice(0, 17)}${(Number(good[17]) + 1) % 10}`;
      const confirmation = {
        eventId: "wms-shp-1",
        warehouseOrderNumber: wo.number,
        shipmentId: "WMS-77",
        shippedAt: "2026-11-28T15:00:00Z",
        final: true,
        carrier: { scac: "FDEG", name: "FedEx Ground", serviceLevel: "GROUND" },
        trackingNumber: "7489",
        packages: [
          {
            sscc: bad,
            weightKg: 4.5,
            items: [
              { lineNumber: 1, quantity: 20, unit: "EA", lot: "B-9" },
              { sku: "FX-NUT", quantity: 110 },
            ],
          },
        ],
      };
      const r = await post(base, "/ingest/wms/shipments", JSON.stringify(confirmation));
      expect(r.status).toBe(200);
      expect(r.json.warnings.map((w: { code: string }) => w.code).sort()).toEqual(["OVER_SHIPMENT", "SSCC_CHECK_DIGIT", "UNIT_CONVERTED"]);

      const o = await waitFor(async () => ((x) => (x.invoices.length ? x : null))(await untilStatus(id, "PARTIALLY_SHIPPED")), "partial invoice");
      // 20 EA = 2 CS of 4 shipped, the rest backordered; 110 nuts of 100 (over-shipment flagged).
      expect(
        o.lines.map((l: { quantityShipped: number; quantityBackordered: number; quantityReleased: number; quantityAllocated: number }) => [
          l.quantityShipped,
          l.quantityBackordered,
          l.quantityReleased,
          l.quantityAllocated,
        ]),
      ).toEqual([
        [2, 2, 0, 0],
        [110, 0, 0, 0],
      ]);
      expect(o.shipments[0].overShipped).toEqual([{ lineNumber: 2, released: 100, shipped: 110 }]);
      expect(o.statusHistory.at(-1)).toMatchObject({
        from: "RELEASED",
        to: "PARTIALLY_SHIPPED",
        reason: expect.stringContaining("line 1: 2 of 4 CS shipped, 2 backordered"),
      });
      expect(o.invoices[0]).toMatchObject({ subtotal: "61.30", taxTotal: "0.00", total: "61.30", dueDate: "2027-01-12" });
      // Stock: 20 bolts shipped and 20 not found (short): on hand 100 - 40; the backorder is open in inventory.
      const bolt = await t.database.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "FX-BOLT", locationId: "LOC-FX-WMS" } } });
      expect([bolt.onHand, bolt.allocated]).toEqual([60, 0]);
      const request = await t.database.db.allocationRequest.findFirstOrThrow({ where: { orderId: id, sku: "FX-BOLT" } });
      expect(request).toMatchObject({ quantity: 20, allocated: 0, status: "OPEN" });
      // A confirmation naming a warehouse order that does not exist is a dead letter that says so.
      const wrong = await post(base, "/ingest/wms/shipments", JSON.stringify({ ...confirmation, eventId: "wms-shp-2", warehouseOrderNumber: "WO-NOPE" }));
      expect(wrong.status).toBe(422);
      expect(wrong.json.error).toMatch(/warehouse order WO-NOPE: no open warehouse order matches/);
    });

    it("records a supplier's 856 (the sample, S-O-I) as an inbound shipment that raises inbound and available-to-promise", async () => {
      await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
        r: [
          { kind: "LOCATION", system: "X12", externalValue: "XYZ RETAIL", canonicalId: "LOC-FX-WMS" },
          { kind: "PRODUCT", system: "X12", externalValue: "87787D", canonicalId: "FX-BOLT" },
          { kind: "PRODUCT", system: "X12", externalValue: "99887D", canonicalId: "FX-NUT" },
        ],
      });
      const atpBefore = (await gqlOk(url, `{ availableToPromise(sku: "FX-BOLT", quantity: 84, locationIds: ["LOC-FX-WMS"]) { inbound canPromiseInFull } }`))
        .availableToPromise;
      const r = await post(base, "/ingest/x12", sample("x12-856-xyzretail-SOI-2items.edi"), { "content-type": "application/edi-x12" });
      expect(r.status).toBe(200);
      const m = (await gqlOk(url, `query($id: ID!) { inboundMessage(id: $id) { state result } }`, { id: r.json.messageId })).inboundMessage;
      expect(m).toMatchObject({
        state: "PROCESSED",
        result: { inboundShipment: "ASN:12:4405197800:829716", supplier: "1 EDI SOURCE", locationId: "LOC-FX-WMS", expectedDate: "2011-12-06" },
      });
      const bolt = await t.database.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "FX-BOLT", locationId: "LOC-FX-WMS" } } });
      expect(bolt.inbound).toBe(24);
      const atp = (
        await gqlOk(url, `{ availableToPromise(sku: "FX-BOLT", quantity: 84, locationIds: ["LOC-FX-WMS"]) { inbound promises { source quantity reference } } }`)
      ).availableToPromise;
      expect(atpBefore.inbound).toBe(0);
      expect(atp.inbound).toBe(24);
      expect(atp.promises).toContainEqual({ source: "INBOUND", quantity: expect.any(Number), reference: "ASN:12:4405197800:829716" });
      // The same notice again (a resend in a new interchange) sets the same quantities: not added twice.
      await post(
        base,
        "/ingest/x12",
        sample("x12-856-xyzretail-SOI-2items.edi")
          .toString("latin1")
          .replace(/000000049/g, "000000050"),
        { "content-type": "application/edi-x12" },
      );
      expect(
        (await t.database.db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "FX-BOLT", locationId: "LOC-FX-WMS" } } })).inbound,
      ).toBe(24);
    });

    it("takes an 856 from our 3PL (S-O-T-P-I, two orders in one consignment) as the confirmation of both, with a bad SSCC check digit as a warning", async () => {
      const ids: string[] = [];
      for (const [key, qty] of [
        ["fx-asn-a", 5],
        ["fx-asn-b", 7],
      ] as const) {
        const r = await gqlOk(url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id } } }`, {
          i: { idempotencyKey: key, customerId: "CUST-FB2B", customerPo: key.toUpperCase(), lines: [{ sku: "FX-SMALL", quantity: qty }] },
        });
        ids.push(r.placeOrder.order.id);
      }
      const wos = await Promise.all(
        ids.map((id) => waitFor(async () => ((o) => (o.status === "RELEASED" ? o.warehouseOrders[0] : null))(await order(id)), `order ${id} released`)),
      );
      const pallet = makeSscc(1, "0614141", 3000);
      const goodA = makeSscc(0, "0614141", 3001);
      const goodB = makeSscc(0, "0614141", 3002);
      const badA = `${goodA.slice(0, 17)}${(Number(goodA[17]) + 1) % 10}`;
      const segments = [
        "BSN*00*ASN-9001*20261129*0800*0001",
        "HL*1**S",
        "TD1*PLT94*1",
        "TD5**2*FDEG**GROUND",
        "REF*BM*BOL-9001",
        "DTM*011*20261129",
        "HL*2*1*O",
        "PRF*FX-ASN-A",
        `REF*WO*${wos[0].number}`,
        "HL*3*2*T",
        `MAN*GM*${pallet}`,
        "HL*4*3*P",
        `MAN*GM*${badA}`,
        "HL*5*4*I",
        "LIN**VN*FX-SMALL",
        "SN1**5*EA",
        "HL*6*1*O",
        "PRF*FX-ASN-B",
        "HL*7*6*P",
        `MAN*GM*${goodB}`,
        "HL*8*7*I",
        "LIN**BP*XX-1*SK*FX-SMALL*LT*LOT-77",
        "SN1**7*EA",
        "CTT*8",
      ];
      const r = await post(
        base,
        "/ingest/x12",
        x12({
          sender: ["ZZ", "ACME3PL"],
          control: "000009001",
          groups: [{ control: "9001", functionalId: "SH", sets: [{ id: "856", control: "0001", segments }] }],
        }),
        { "content-type": "application/edi-x12" },
      );
      expect(r.status).toBe(200);
      expect(r.json.warnings.map((w: { code: string; message: string }) => [w.code, w.message])).toEqual([
        ["SSCC_CHECK_DIGIT", `SSCC ${badA} has a bad check digit (kept as labelled)`],
      ]);
      for (const [n, id] of ids.entries()) {
        const o = await untilStatus(id, "INVOICED");
        expect(o.shipments).toHaveLength(1);
        expect(o.shipments[0]).toMatchObject({
          source: "x12-856",
          consignment: "ASN-9001",
          packages: [{ sscc: n === 0 ? badA : goodB }],
          lines: [{ lineNumber: 1, quantity: n === 0 ? 5 : 7, lots: n === 0 ? [] : ["LOT-77"] }],
        });
        expect(o.invoices[0].subtotal).toBe(n === 0 ? "46.25" : "64.75");
      }
    });

    it("authorizes a return of shipped lines (never more than shipped), receives it by disposition into stock, with events and a subscription update", async () => {
      const db = t.database.db;
      const auth = `mutation($i: AuthorizeReturnInput!) { authorizeReturn(input: $i) { id number status lines { lineNumber sku quantity } } }`;
      const tooMany = await gql(url, auth, {
        i: { orderId: b2bOrderId, reason: "wrong size", locationId: "LOC-FX-WMS", lines: [{ lineNumber: 2, quantity: 111 }] },
      });
      expect(tooMany.errors?.[0].message).toMatch(/111 EA of line 2 \(FX-NUT\) is more than can be returned: 110 shipped, 0 already authorized, 110 left/);
      const rma = (
        await gqlOk(url, auth, { i: { orderId: b2bOrderId, reason: "wrong size", locationId: "LOC-FX-WMS", lines: [{ lineNumber: 2, quantity: 30 }] } })
      ).authorizeReturn;
      expect(rma).toMatchObject({ status: "AUTHORIZED", lines: [{ lineNumber: 2, sku: "FX-NUT", quantity: 30 }] });
      const second = await gql(url, auth, { i: { orderId: b2bOrderId, reason: "more", locationId: "LOC-FX-WMS", lines: [{ lineNumber: 2, quantity: 81 }] } });
      expect(second.errors?.[0].message).toMatch(/110 shipped, 30 already authorized, 80 left/);

      const client = wsClient(url);
      const sub = collect(
        client,
        `subscription($id: ID) { returnChanged(returnId: $id) { change status return { id status lines { restocked damaged qualityHold } order { id } } } }`,
        { id: rma.id },
      );
      await subscribed(t.app.subscriptions.follower, 1);
      const before = await db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "FX-NUT", locationId: "LOC-FX-WMS" } } });
      const receive = `mutation($i: ReceiveReturnInput!) { receiveReturn(input: $i) { status lines { restocked damaged qualityHold } } }`;
      const received = (await gqlOk(url, receive, { i: { returnId: rma.id, lines: [{ lineNumber: 2, restock: 20, damaged: 5, qualityHold: 5 }] } }))
        .receiveReturn;
      expect(received).toEqual({ status: "RECEIVED", lines: [{ restocked: 20, damaged: 5, qualityHold: 5 }] });
      const more = await gql(url, receive, { i: { returnId: rma.id, lines: [{ lineNumber: 2, restock: 1 }] } });
      expect(more.errors?.[0].message).toMatch(/is RECEIVED: nothing more can be received/);
      await sub.waitFor(1);
      expect(sub.results[0].data.returnChanged).toEqual({
        change: "RECEIVED",
        status: "RECEIVED",
        return: { id: rma.id, status: "RECEIVED", lines: [{ restocked: 20, damaged: 5, qualityHold: 5 }], order: { id: b2bOrderId } },
      });
      sub.stop();
      await client.dispose();

      // Inventory booked it by disposition: all 30 on hand, 5 damaged, 5 on hold, so 20 more available.
      const after = await waitFor(
        async () =>
          ((p) => (p.onHand === before.onHand + 30 ? p : null))(
            await db.inventoryPosition.findUniqueOrThrow({ where: { sku_locationId: { sku: "FX-NUT", locationId: "LOC-FX-WMS" } } }),
          ),
        "the returned stock",
      );
      expect([after.damaged - before.damaged, after.qualityHold - before.qualityHold]).toEqual([5, 5]);
      const o = await gqlOk(url, `query($id: ID!) { order(id: $id) { lines { lineNumber quantityReturned } returns { id status } } }`, { id: b2bOrderId });
      expect(o.order.lines).toEqual([
        { lineNumber: 1, quantityReturned: 0 },
        { lineNumber: 2, quantityReturned: 30 },
      ]);
      expect(o.order.returns).toEqual([{ id: rma.id, status: "RECEIVED" }]);
      const log = await db.eventLog.findMany({ where: { aggregateId: rma.id }, orderBy: { sequence: "asc" } });
      expect(log.map((e) => [e.type, (e.payload as { change: string }).change])).toEqual([
        ["ReturnChanged", "AUTHORIZED"],
        ["ReturnChanged", "RECEIVED"],
      ]);
      const returned = await db.eventLog.findMany({
        where: { type: "InventoryChanged", aggregateId: "FX-NUT@LOC-FX-WMS" },
        orderBy: { sequence: "desc" },
        take: 1,
      });
      expect(returned[0].payload).toMatchObject({ reason: "RETURNED", quantity: 30, after: { damaged: after.damaged, qualityHold: after.qualityHold } });

      // erp-finance credited it (a partial return: 30 of the 110 invoiced): 30 x 0.33 = 9.90, no tax for this customer.
      const credited = await untilCredit(rma.id);
      expect(credited.credit).toEqual({ status: "CREDITED", note: null, creditMemos: [{ id: credited.creditMemo.id }] });
      expect(credited.creditMemo).toMatchObject({
        sourceReference: rma.id,
        reason: `Return ${rma.number}: wrong size`,
        order: { id: b2bOrderId },
        customer: { id: "CUST-FB2B" },
        subtotal: "9.90",
        taxTotal: "0.00",
        total: "9.90",
        lines: [{ invoiceLineNumber: 2, sku: "FX-NUT", quantity: 30, unit: "EA", unitPrice: "0.33", amount: "9.90" }],
      });
      expect(credited.creditMemo.invoice.id).toBe((await order(b2bOrderId)).invoices[0].id);
    });

    it("credits a return received in two receipts with one memo at the invoiced prices and tax, posted to Business Central once; the event again makes no second memo", async () => {
      const db = t.database.db;
      // The unit's ERP from now on: its customers carry our customers' numbers (their external refs).
      bc.upsertCustomer({ number: "FX-XYZ", displayName: "XYZ Retail", creditLimit: 1000000, paymentTerms: "NET30" });
      bc.upsertCustomer({ number: "FX-B2B", displayName: "B2B Buyer", creditLimit: 1000000, paymentTerms: "NET45" });
      await gqlOk(url, `mutation($bu: ID!, $input: ErpConnectorInput!) { configureErpConnector(businessUnitId: $bu, input: $input) { kind } }`, {
        bu: "BU-FX",
        input: { kind: "CLOUD_REST", pollIntervalMs: 1000, maxAttempts: 3 },
      });

      const rma = await authorize(xyzOrderId, "wrong colour", [
        { lineNumber: 1, quantity: 10 },
        { lineNumber: 4, quantity: 6 },
      ]);
      expect((await receive(rma.id, [{ lineNumber: 1, restock: 10 }])).status).toBe("PARTIALLY_RECEIVED");
      expect((await receive(rma.id, [{ lineNumber: 4, damaged: 6 }])).status).toBe("RECEIVED");
      const r = await waitFor(
        async () => ((x) => (x.creditMemo?.postingStatus === "POSTED" ? x : null))(await creditOf(rma.id)),
        "the return's credit memo posted",
      );
      // 10 x 9.25 + 6 x 4.35 = 92.50 + 26.10 = 118.60; tax 8.25 % = 9.7845 -> 9.78; total 128.38. Both receipts' lines in one memo.
      const invoiceId = (await order(xyzOrderId)).invoices[0].id;
      expect(r.credit).toEqual({ status: "CREDITED", note: null, creditMemos: [{ id: r.creditMemo.id }] });
      expect(r.creditMemo).toMatchObject({
        invoice: { id: invoiceId },
        order: { id: xyzOrderId },
        customer: { id: "CUST-FXYZ" },
        subtotal: "118.60",
        taxRate: "0.0825",
        taxTotal: "9.78",
        total: "128.38",
        lines: [
          { invoiceLineNumber: 1, sku: "FX-SMALL", quantity: 10, unit: "EA", unitPrice: "9.25", amount: "92.50" },
          { invoiceLineNumber: 4, sku: "FX-NANO", quantity: 6, unit: "EA", unitPrice: "4.35", amount: "26.10" },
        ],
      });
      expect((await db.creditMemo.findUniqueOrThrow({ where: { id: r.creditMemo.id } })).idempotencyKey).toBe(`RETURN:${rma.id}`);
      const inErp = bc.byExternalNumber("salesCreditMemos", r.creditMemo.creditMemoNumber);
      expect(inErp).toHaveLength(1);
      expect(inErp[0]).toMatchObject({ number: r.creditMemo.erpDocumentNumber, customerNumber: "FX-XYZ", totalAmountIncludingTax: 128.38 });

      // The completing receipt delivered again, twice (at-least-once delivery): no second memo, no second event, nothing more in the ERP.
      const [completing] = await db.eventLog.findMany({ where: { aggregateId: rma.id, type: "ReturnChanged" }, orderBy: { sequence: "desc" }, take: 1 });
      expect(completing.payload).toMatchObject({ change: "RECEIVED", status: "RECEIVED" });
      const before = { memos: await db.creditMemo.count(), created: await db.eventLog.count({ where: { type: "CreditMemoCreated" } }) };
      for (let i = 0; i < 2; i++) await db.$transaction((tx) => returnCreditConsumer.handle(completing, tx));
      expect({ memos: await db.creditMemo.count(), created: await db.eventLog.count({ where: { type: "CreditMemoCreated" } }) }).toEqual(before);
      expect(await db.creditMemo.count({ where: { sourceReference: rma.id } })).toBe(1);
      expect(bc.byExternalNumber("salesCreditMemos", r.creditMemo.creditMemoNumber)).toHaveLength(1);
    });

    it("never credits a line beyond invoiced minus credited: after a memo by hand a second return credits what is left, a third nothing", async () => {
      const db = t.database.db;
      // Line 1 of the XYZ order: 120 invoiced, 10 credited by the return above; a price dispute credits 100 more by hand.
      const invoiceId = (await order(xyzOrderId)).invoices[0].id;
      await gqlOk(url, `mutation($input: CreditMemoInput!) { createCreditMemo(input: $input) { created } }`, {
        input: { idempotencyKey: "FX-DISPUTE-1", invoiceId, reason: "price dispute", lines: [{ sku: "FX-SMALL", quantity: 100 }] },
      });
      const second = await authorize(xyzOrderId, "surplus", [{ lineNumber: 1, quantity: 15 }]);
      await receive(second.id, [{ lineNumber: 1, restock: 15 }]);
      const r2 = await untilCredit(second.id);
      expect(r2.credit).toMatchObject({
        status: "PARTLY_CREDITED",
        note: "line 1 (FX-SMALL): 5 of the 15 EA returned not credited (120 invoiced, the rest already credited)",
      });
      // 10 x 9.25 = 92.50; tax 7.63125 -> 7.63.
      expect(r2.creditMemo).toMatchObject({
        subtotal: "92.50",
        taxTotal: "7.63",
        total: "100.13",
        lines: [{ invoiceLineNumber: 1, quantity: 10, amount: "92.50" }],
      });
      const third = await authorize(xyzOrderId, "more surplus", [{ lineNumber: 1, quantity: 5 }]);
      await receive(third.id, [{ lineNumber: 1, restock: 5 }]);
      const r3 = await untilCredit(third.id);
      expect(r3).toMatchObject({
        credit: {
          status: "NOTHING_TO_CREDIT",
          note: "line 1 (FX-SMALL): 5 of the 5 EA returned not credited (120 invoiced, the rest already credited)",
          creditMemos: [],
        },
        creditMemo: null,
      });
      const credited = await db.creditMemoLine.aggregate({
        where: { creditMemo: { invoiceId, status: { not: "VOID" } }, invoiceLineNumber: 1 },
        _sum: { quantity: true },
      });
      expect(credited._sum.quantity).toBe(120);

      // Finance credited a return by hand under its key before the goods arrived: that memo is its credit, not doubled.
      const fourth = await authorize(xyzOrderId, "early credit", [{ lineNumber: 2, quantity: 2 }]);
      const byHand = (
        await gqlOk(url, `mutation($input: CreditMemoInput!) { createCreditMemo(input: $input) { creditMemo { id creditMemoNumber } } }`, {
          input: { idempotencyKey: `RETURN:${fourth.id}`, invoiceId, reason: "credited on the phone", lines: [{ sku: "FX-MEDIUM", quantity: 2 }] },
        })
      ).createCreditMemo.creditMemo;
      await receive(fourth.id, [{ lineNumber: 2, restock: 2 }]);
      const r4 = await untilCredit(fourth.id);
      expect(r4.credit).toEqual({
        status: "CREDITED",
        note: `credited before it was received in full, by ${byHand.creditMemoNumber} (key RETURN:${fourth.id}); nothing more credited`,
        creditMemos: [{ id: byHand.id }],
      });
      expect(r4.creditMemo.id).toBe(byHand.id);
      expect(await db.creditMemo.count({ where: { OR: [{ sourceReference: fourth.id }, { idempotencyKey: { startsWith: `RETURN:${fourth.id}` } }] } })).toBe(1);
    });

    it("waits for the invoice of goods returned before they were invoiced, and credits them in the transaction that makes it", async () => {
      // Invoicing held back (the consumer behind, or stopped by an outage) while the goods ship and come back.
      const invoicing = t.app.host.consumers.find((c) => c.name === invoicingConsumer.name)!;
      await invoicing.stop();
      let rmaId = "";
      let id = "";
      try {
        id = (
          await gqlOk(url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id } } }`, {
            i: { idempotencyKey: "fx-wait-1", customerId: "CUST-FB2B", customerPo: "WAIT-1", lines: [{ sku: "FX-NUT", quantity: 10 }] },
          })
        ).placeOrder.order.id;
        const wo = await waitFor(async () => ((o) => (o.status === "RELEASED" ? o.warehouseOrders[0] : null))(await order(id)), "order released");
        const shipped = await post(
          base,
          "/ingest/wms/shipments",
          JSON.stringify({
            eventId: "wms-wait-1",
            warehouseOrderNumber: wo.number,
            shipmentId: "WMS-WAIT-1",
            shippedAt: "2026-11-28T16:00:00Z",
            final: true,
            carrier: { scac: "FDEG" },
            packages: [{ sscc: makeSscc(0, "0614141", 4001), items: [{ sku: "FX-NUT", quantity: 10 }] }],
          }),
        );
        expect([shipped.status, shipped.json.error]).toEqual([200, undefined]);
        await untilStatus(id, "SHIPPED");
        rmaId = (await authorize(id, "ordered too many", [{ lineNumber: 1, quantity: 4 }])).id;
        await receive(rmaId, [{ lineNumber: 1, restock: 4 }]);
        const waiting = await waitFor(async () => ((r) => r.credit)(await creditOf(rmaId)), "the return waiting for its invoice");
        expect(waiting).toEqual({
          status: "WAITING_FOR_INVOICE",
          note: "waiting for the invoice: line 1 (FX-NUT): 10 EA shipped, 0 invoiced so far",
          creditMemos: [],
        });
        expect(await t.database.db.creditMemo.count({ where: { sourceReference: rmaId } })).toBe(0);
      } finally {
        await invoicing.start();
      }
      const r = await untilCredit(rmaId);
      const [invoice] = (await order(id)).invoices;
      expect(r).toMatchObject({
        credit: { status: "CREDITED", note: null },
        creditMemo: {
          invoice: { id: invoice.id },
          total: "1.32",
          lines: [{ invoiceLineNumber: 1, sku: "FX-NUT", quantity: 4, unitPrice: "0.33", amount: "1.32" }],
        },
      });
    });

    it("a 940 the 3PL keeps refusing becomes FAILED after its last attempt and retryDocumentDelivery delivers it; the 945 then reports another ordered quantity (ORDERED_QUANTITY_DIFFERS) and ships short", async () => {
      refusals = 1_000;
      const id = (
        await gqlOk(url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id } } }`, {
          i: { idempotencyKey: "fx-refused-1", customerId: "CUST-FB2B", customerPo: "REFUSED-1", lines: [{ sku: "FX-MEDIUM", quantity: 6 }] },
        })
      ).placeOrder.order.id;
      const DELIVERIES = `query($id: ID!) { order(id: $id) { status warehouseOrders { number deliveries { id state attempts lastError } } } }`;
      const deliveriesOf = async () => (await gqlOk(url, DELIVERIES, { id })).order;
      const failed = await waitFor(
        async () => ((o) => (o.warehouseOrders[0]?.deliveries[0]?.state === "FAILED" ? o : null))(await deliveriesOf()),
        "the 940 delivery FAILED",
      );
      const [delivery] = failed.warehouseOrders[0].deliveries;
      expect(delivery).toMatchObject({ attempts: 5, lastError: expect.stringMatching(/^HTTP 503 from http:\/\/127\.0\.0\.1:\d+\/orders: busy$/) });
      expect(failed.status).toBe("RELEASED");
      const takenBefore = received.length;
      // Not retried by itself once FAILED.
      await new Promise((r) => setTimeout(r, 400));
      expect((await deliveriesOf()).warehouseOrders[0].deliveries[0]).toMatchObject({ state: "FAILED", attempts: 5 });

      refusals = 0;
      const retried = await gqlOk(url, `mutation($id: ID!) { retryDocumentDelivery(id: $id) { id state attempts } }`, { id: delivery.id });
      expect(retried.retryDocumentDelivery).toEqual({ id: delivery.id, state: "PENDING", attempts: 0 });
      await waitFor(async () => (await deliveriesOf()).warehouseOrders[0].deliveries[0].state === "DELIVERED" || null, "the 940 delivered after the retry");
      expect((await deliveriesOf()).warehouseOrders[0].deliveries[0]).toMatchObject({ state: "DELIVERED", attempts: 1, lastError: null });
      expect(received.slice(takenBefore).map((r) => r.type)).toEqual(["940"]);
      expect(received.at(-1)!.body).toContain(`W05*N*${failed.warehouseOrders[0].number}*REFUSED-1`);

      // The 3PL's 945 says 8 were ordered (the release asked for 6) and ships 4: a warning that names both, 4 shipped and 2 backordered.
      const doc945 = x12({
        sender: ["ZZ", "ACME3PL"],
        control: "000000947",
        groups: [
          {
            control: "947",
            functionalId: "SW",
            sets: [
              {
                id: "945",
                control: "0001",
                segments: [`W06*F*${failed.warehouseOrders[0].number}*20261129*CONS-88`, "LX*1", "W12*PR*8*4*0*EA**VN*FX-MEDIUM", "W03*4"],
              },
            ],
          },
        ],
      });
      const r = await post(base, "/ingest/x12", doc945, { "content-type": "application/edi-x12" });
      expect(r.status).toBe(200);
      expect(r.json.warnings.map((w: { code: string; message: string }) => [w.code, w.message])).toEqual([
        ["ORDERED_QUANTITY_DIFFERS", "the warehouse reports 8 ordered of line 1 (FX-MEDIUM); the release asked for 6"],
      ]);
      const o = await untilStatus(id, "PARTIALLY_SHIPPED");
      expect(o.lines.map((l: { quantityShipped: number; quantityBackordered: number }) => [l.quantityShipped, l.quantityBackordered])).toEqual([[4, 2]]);
      // The shipment line keeps what our release asked for; the warehouse's other figure is in the warning (stored with the message).
      expect(o.shipments[0].lines).toEqual([{ lineNumber: 1, quantity: 4, lots: [], quantityOrdered: 6 }]);
      const kept = (await gqlOk(url, `query($id: ID!) { inboundMessage(id: $id) { state warnings { code where } } }`, { id: r.json.messageId })).inboundMessage;
      expect(kept).toEqual({ state: "PROCESSED", warnings: [{ code: "ORDERED_QUANTITY_DIFFERS", where: expect.stringContaining("W12") }] });
    });

    it("takes an 856 from our 3PL with the S-O-P-I hierarchy (no tare level): each pack with its SSCC and items, the order shipped", async () => {
      const id = (
        await gqlOk(url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id } } }`, {
          i: {
            idempotencyKey: "fx-sopi-1",
            customerId: "CUST-FB2B",
            customerPo: "SOPI-1",
            lines: [
              { sku: "FX-LARGE", quantity: 3 },
              { sku: "FX-BLUE", quantity: 2 },
            ],
          },
        })
      ).placeOrder.order.id;
      const wo = await waitFor(async () => ((o) => (o.status === "RELEASED" ? o.warehouseOrders[0] : null))(await order(id)), "order released");
      const [packA, packB] = [makeSscc(0, "0614141", 5001), makeSscc(0, "0614141", 5002)];
      const segments = [
        "BSN*00*ASN-9101*20261129*0900*0001",
        "HL*1**S",
        "TD1*CTN25*2",
        "TD5**2*UPSN**GROUND",
        "REF*BM*BOL-9101",
        "DTM*011*20261129",
        "HL*2*1*O",
        "PRF*SOPI-1",
        `REF*WO*${wo.number}`,
        "HL*3*2*P",
        `MAN*GM*${packA}`,
        "HL*4*3*I",
        "LIN**VN*FX-LARGE",
        "SN1**3*EA",
        "HL*5*2*P",
        `MAN*GM*${packB}`,
        "HL*6*5*I",
        "LIN**SK*FX-BLUE",
        "SN1**2*EA",
        "CTT*6",
      ];
      const r = await post(
        base,
        "/ingest/x12",
        x12({
          sender: ["ZZ", "ACME3PL"],
          control: "000009101",
          groups: [{ control: "9101", functionalId: "SH", sets: [{ id: "856", control: "0001", segments }] }],
        }),
        { "content-type": "application/edi-x12" },
      );
      expect([r.status, r.json.state, r.json.warnings ?? []]).toEqual([200, "PROCESSED", []]);
      const o = await untilStatus(id, "INVOICED");
      const PACKS = `query($id: ID!) { shipment(id: $id) { consignment packages { sscc lines { lineNumber sku quantity } } } }`;
      const shipment = (await gqlOk(url, PACKS, { id: o.shipments[0].id })).shipment;
      expect(shipment.consignment).toBe("ASN-9101");
      expect(shipment.packages.sort((a: { sscc: string }, b: { sscc: string }) => a.sscc.localeCompare(b.sscc))).toEqual([
        { sscc: packA, lines: [{ lineNumber: 1, sku: "FX-LARGE", quantity: 3 }] },
        { sscc: packB, lines: [{ lineNumber: 2, sku: "FX-BLUE", quantity: 2 }] },
      ]);
      expect(o.lines.map((l: { quantityShipped: number; quantityBackordered: number }) => [l.quantityShipped, l.quantityBackordered])).toEqual([
        [3, 0],
        [2, 0],
      ]);
    });
  });
}
