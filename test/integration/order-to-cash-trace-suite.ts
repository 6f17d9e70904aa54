// One correlation id followed from an X12 850 to the ERP posting (issue 11 item 7), on each store,
// through HTTP with real bytes: the 850 (the sample) posted with x-correlation-id, allocation, the
// automatic release (a 940 to a 3PL's HTTP endpoint, which receives the id in x-correlation-id and
// echoes it on its 945), the shipment, the invoice and its posting to the cloud ERP (the Business
// Central stand-in over HTTP). The id is asserted on every stored step, then read back through
// trace(correlationId), with each subgraph's contribution.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreKind } from "../helpers/databases.js";
import { gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { waitFor } from "../helpers/wait.js";
import { x12 } from "../helpers/x12.js";
import { runOps } from "../helpers/ops-cli.js";
import { makeSscc } from "../../subgraphs/shipments/domain.js";
import { CLOUD_BU, startErpApp, stopErpApp, type ErpContext } from "./erp/context.js";

const SAMPLE_850 = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/samples/x12-850-xyzretail-6lines.edi"));
const XYZ = [
  { vn: "AB3542", sku: "FX-SMALL", price: "9.2500", qty: 120 },
  { vn: "RD5322", sku: "FX-MEDIUM", price: "13.7900", qty: 220 },
  { vn: "XY5266", sku: "FX-LARGE", price: "10.9900", qty: 126 },
  { vn: "VX2332", sku: "FX-NANO", price: "4.3500", qty: 76 },
  { vn: "RV0524", sku: "FX-BLUE", price: "7.5000", qty: 72 },
  { vn: "DX1875", sku: "FX-ORANGE", price: "9.5500", qty: 696 },
];
const CORRELATION = "o2c-trace-850-0001";
const TRACE = `query($c: String!) { trace(correlationId: $c) {
  correlationId
  steps { at subgraph kind description durationMs }
  operationSteps { kind } orderSteps { kind description } inventorySteps { kind description } financeSteps { kind description durationMs } shipmentSteps { kind description } } }`;

export function orderToCashTraceSuite(kind: StoreKind) {
  describe(`one correlation id from an X12 850 to the ERP posting on ${kind}`, () => {
    let ctx: ErpContext | undefined;
    // The 3PL: takes the 940, keeping the correlation id it came with.
    const received: { body: string; correlation: string | undefined }[] = [];
    const threePl = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ body, correlation: req.headers["x-correlation-id"] as string | undefined });
        res.writeHead(200).end("ok");
      });
    });

    beforeAll(async () => {
      await new Promise<void>((r) => threePl.listen(0, "127.0.0.1", r));
      ctx = await startErpApp(kind, { autoRelease: true });
      const { db, url, base, bc } = ctx;
      // The buyer as the cloud ERP holds it, pulled into the graph by the connector.
      bc.upsertCustomer({ number: "XYZ01", displayName: "XYZ Retail", creditLimit: 1_000_000, paymentTerms: "NET30" });
      await waitFor(async () => (await db.customer.findUnique({ where: { id: "CUST-CLOUD-XYZ01" } })) ?? null, "the buyer pulled from the cloud ERP");
      await db.location.create({ data: { id: "LOC-O2C-3PL", code: "O2C-3PL", name: "3PL DC", kind: "WAREHOUSE" } });
      await gqlOk(url, `mutation($p: [ProductInput!]!) { upsertProducts(products: $p) { created } }`, {
        p: XYZ.map((i) => ({ sku: i.sku, description: `XYZ ${i.vn}`, baseUnit: "EA" })),
      });
      await gqlOk(url, `mutation($p: [PriceInput!]!) { upsertPrices(prices: $p) }`, {
        p: XYZ.map((i) => ({ sku: i.sku, unit: "EA", currency: "USD", unitPrice: i.price })),
      });
      const stock = await post(
        base,
        "/ingest/wms/inventory",
        JSON.stringify(
          XYZ.map((i) => ({
            eventId: `o2c-rcpt-${i.sku}`,
            type: "RECEIPT",
            sku: i.sku,
            location: "O2C-3PL",
            quantity: 1000,
            occurredAt: "2026-11-27T10:00:00Z",
          })),
        ),
      );
      expect(stock.status).toBe(200);
      await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
        r: [
          { kind: "CUSTOMER", system: "X12", externalValue: "12:4405197800", canonicalId: "CUST-CLOUD-XYZ01" },
          ...XYZ.map((i) => ({ kind: "PRODUCT", system: "X12", externalValue: i.vn, canonicalId: i.sku })),
        ],
      });
      await gqlOk(url, `mutation($a: WarehouseEndpointInput!) { configureWarehouse(input: $a) { format } }`, {
        a: {
          locationId: "LOC-O2C-3PL",
          format: "X12_940",
          partner: "ZZ:ACME3PL",
          deliverTo: `http://127.0.0.1:${(threePl.address() as { port: number }).port}/orders`,
        },
      });
      await waitFor(
        async () => (await db.catalogItem.count({ where: { sku: { in: XYZ.map((i) => i.sku) } } })) === XYZ.length || null,
        "orders' catalog projection",
      );
      await waitFor(
        async () => (await db.financeCatalogItem.count({ where: { sku: { in: XYZ.map((i) => i.sku) } } })) === XYZ.length || null,
        "erp-finance's catalog projection",
      );
    });
    afterAll(async () => {
      await stopErpApp(ctx);
      await new Promise((r) => threePl.close(r));
    });

    it("carries the 850's correlation id through allocation, release, the 945, the invoice and the ERP posting, and trace() shows every step", async () => {
      const { db, url, base } = ctx!;
      const placed = await post(base, "/ingest/x12", SAMPLE_850, { "content-type": "application/edi-x12", "x-correlation-id": CORRELATION });
      expect(placed.status).toBe(200);
      expect(placed.headers.get("x-correlation-id")).toBe(CORRELATION);
      const orderId = (await db.inboundMessage.findUniqueOrThrow({ where: { id: placed.json.messageId } })).result as { orderId: string };

      // Released: the 940 went to the 3PL with the id.
      const wo = await waitFor(
        async () => ((w) => (w && received.length ? w : null))(await db.warehouseOrder.findFirst({ where: { orderId: orderId.orderId } })),
        "the 940 delivered",
      );
      expect(received[0].correlation).toBe(CORRELATION);

      // The 3PL's 945, echoing the id it was given.
      const sscc = makeSscc(0, "0614141", 2001);
      const lines945 = XYZ.flatMap((i, n) => [`LX*${n + 1}`, `MAN*GM*${sscc}`, `W12*CC*${i.qty}*${i.qty}*0*EA**VN*${i.sku}`]);
      const doc945 = x12({
        sender: ["ZZ", "ACME3PL"],
        control: "000002945",
        groups: [
          {
            control: "2945",
            functionalId: "SW",
            sets: [
              {
                id: "945",
                control: "0001",
                segments: [
                  `W06*F*${wo.number}*20261128*CONS-O2C**08292233294`,
                  "G62*11*20261128*W*1015",
                  ...lines945,
                  `W03*${XYZ.reduce((n, i) => n + i.qty, 0)}*412*LB`,
                ],
              },
            ],
          },
        ],
      });
      const shipped = await post(base, "/ingest/x12", doc945, { "content-type": "application/edi-x12", "x-correlation-id": received[0].correlation! });
      expect(shipped.json.state).toBe("PROCESSED");

      // Invoiced, and the invoice posted to the cloud ERP.
      // The posting and orders' own consumers (INVOICED, the 810; the 855) run in parallel: wait for all.
      const invoice = await waitFor(
        async () => {
          const i = await db.invoice.findFirst({ where: { orderId: orderId.orderId } });
          const order = await db.order.findUniqueOrThrow({ where: { id: orderId.orderId }, select: { status: true } });
          const replies = await db.outboundDocument.count({ where: { orderId: orderId.orderId, type: { in: ["855", "810"] } } });
          return i?.postingStatus === "POSTED" && order.status === "INVOICED" && replies === 2 ? i : null;
        },
        "the invoice posted to the ERP, the order INVOICED, its 855 and 810",
        60_000,
      );

      // Every stored step carries the id.
      const messages = await db.inboundMessage.findMany({ where: { id: { in: [placed.json.messageId, shipped.json.messageId] } } });
      expect(messages.map((m) => m.correlationId)).toEqual([CORRELATION, CORRELATION]);
      const history = await db.orderStatusChange.findMany({ where: { orderId: orderId.orderId }, orderBy: { id: "asc" } });
      expect(history.map((h) => [h.toStatus, h.correlationId])).toEqual(
        ["ACCEPTED", "ALLOCATED", "RELEASED", "SHIPPED", "INVOICED"].map((s) => [s, CORRELATION]),
      );
      const shipment = await db.shipment.findFirstOrThrow({ where: { orderId: orderId.orderId } });
      const events = await db.eventLog.findMany({ where: { aggregateId: { in: [orderId.orderId, shipment.id, invoice.id] } }, orderBy: { sequence: "asc" } });
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining([
          "OrderAccepted",
          "OrderAllocationChanged",
          "OrderReleased",
          "ShipmentConfirmed",
          "OrderShipped",
          "InvoiceCreated",
          "ErpDocumentPosted",
        ]),
      );
      expect(events.filter((e) => e.correlationId !== CORRELATION).map((e) => e.type)).toEqual([]);
      const documents = await db.outboundDocument.findMany({
        where: { OR: [{ orderId: orderId.orderId }, { inboundMessageIds: { hasSome: [placed.json.messageId, shipped.json.messageId] } }] },
      });
      expect(documents.map((d) => d.type).sort()).toEqual(["810", "855", "856", "940", "997", "997"]);
      expect(documents.filter((d) => d.correlationId !== CORRELATION).map((d) => d.type)).toEqual([]);
      const posting = await db.erpPosting.findFirstOrThrow({ where: { documentId: invoice.id } });
      expect(posting).toMatchObject({ state: "POSTED", correlationId: CORRELATION });

      // Consumers record their handling as they go: read the trace once every consumer has passed
      // the last event of this correlation id (and no handling appended another), so the GraphQL
      // trace and the CLI's below see the same steps.
      await waitFor(
        async () => {
          const [last] = await db.eventLog.findMany({ where: { correlationId: CORRELATION }, orderBy: [{ txOrder: "desc" }, { sequence: "desc" }], take: 1 });
          const offsets = await db.consumerOffset.findMany();
          return offsets.every((o) => o.txOrder > last!.txOrder || (o.txOrder === last!.txOrder && o.position >= last!.sequence)) || null;
        },
        "every consumer past the correlation id's last event",
        30_000,
      );

      // trace(): every subgraph's part, merged in time order.
      const { trace } = await gqlOk(url, TRACE, { c: CORRELATION });
      expect(trace.correlationId).toBe(CORRELATION);
      const times = trace.steps.map((s: { at: string }) => Date.parse(s.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const parts = [trace.operationSteps, trace.orderSteps, trace.inventorySteps, trace.financeSteps, trace.shipmentSteps];
      expect(trace.steps).toHaveLength(parts.reduce((n, p) => n + p.length, 0));
      const has = (subgraph: string, kind: string, text: RegExp) =>
        expect(
          trace.steps.some(
            (s: { subgraph: string; kind: string; description: string }) => s.subgraph === subgraph && s.kind === kind && text.test(s.description),
          ),
          `${subgraph} ${kind} ${text}`,
        ).toBe(true);
      has("operations", "RECEIVED", new RegExp(`x12 850 message ${placed.json.messageId}`));
      has(
        "operations",
        "APPLIED",
        new RegExp(`x12 850 message ${placed.json.messageId} applied after 1 attempt\\(s\\); its transaction began \\d+ ms after receipt`),
      );
      has("operations", "APPLIED", new RegExp(`x12 945 message ${shipped.json.messageId}`));
      has("operations", "DOCUMENT", /^997 /);
      for (const to of ["ACCEPTED", "ALLOCATED", "RELEASED", "SHIPPED", "INVOICED"]) has("orders", "STATUS", new RegExp(`-> ${to} by`));
      has("orders", "EVENT", /^OrderAccepted Order /);
      for (const type of ["855", "856", "810"]) has("orders", "DOCUMENT", new RegExp(`^${type} `));
      has("inventory", "EVENT", /^OrderAllocationChanged /);
      has("shipments", "DOCUMENT", /^940 /);
      has("shipments", "DELIVERY", /^940 .* delivered to http/);
      has("shipments", "EVENT", /^ShipmentConfirmed Shipment /);
      has("erp-finance", "EVENT", /^InvoiceCreated Invoice /);
      has("erp-finance", "EVENT", /^ErpDocumentPosted Invoice /);
      has("erp-finance", "POSTING", new RegExp(`invoice ${invoice.invoiceNumber} to the ERP of ${CLOUD_BU}: POSTED`));
      // The pipeline's steps for the 850, each with its own time, in order: received, parsed, mapped, applied.
      type Step = { at: string; subgraph: string; kind: string; description: string; durationMs: number | null };
      const of850 = (trace.steps as Step[]).filter((s) => s.subgraph === "operations" && s.description.startsWith(`x12 850 message ${placed.json.messageId}`));
      expect(of850.map((s) => s.kind).filter((k) => k !== "WARNING")).toEqual(["RECEIVED", "PARSED", "MAPPED", "APPLIED"]);
      for (const s of of850.filter((x) => ["PARSED", "MAPPED", "APPLIED"].includes(x.kind))) expect(s.durationMs, s.kind).toBeGreaterThanOrEqual(0);
      expect(of850.find((s) => s.kind === "PARSED")!.description).toMatch(/parsed \([\d.]+ ms\) and validated \([\d.]+ ms\)/);
      expect(of850.find((s) => s.kind === "APPLIED")!.description).toMatch(/; its transaction began \d+ ms after receipt/);

      // Each consumer's handling of each event, in the consumer's domain, after the event it handled.
      const handlings = await db.consumerHandling.findMany({
        where: { sequence: { in: events.filter((e) => e.correlationId === CORRELATION).map((e) => e.sequence) } },
      });
      const handledSteps = (trace.steps as Step[]).filter((s) => s.kind === "HANDLED");
      expect(handledSteps.length).toBeGreaterThanOrEqual(handlings.length);
      for (const [subgraph, consumer, type] of [
        ["inventory", "inventory.allocation", "OrderAccepted"],
        ["shipments", "shipments.release", "OrderReleased"],
        ["orders", "orders.shipments", "ShipmentConfirmed"],
        ["erp-finance", "erp-finance.invoicing", "OrderShipped"],
        ["orders", "orders.invoices", "InvoiceCreated"],
      ]) {
        const step = handledSteps.find((s) => s.subgraph === subgraph && s.description.startsWith(`consumer ${consumer} handled ${type} (event `));
        expect(step, `${consumer} handling ${type}`).toBeDefined();
        expect(step!.durationMs).toBeGreaterThanOrEqual(0);
        const sequence = /\(event (\d+)\)/.exec(step!.description)![1];
        const eventIndex = (trace.steps as Step[]).findIndex((s) => s.kind === "EVENT" && s.description.includes(`(event ${sequence})`));
        expect(eventIndex, `the ${type} event in the trace`).toBeGreaterThanOrEqual(0);
        expect(trace.steps.indexOf(step), `${consumer} after the event it handled`).toBeGreaterThan(eventIndex);
      }

      // Durations where they are stored: time in the previous status, the posting's HTTP call.
      const allocated = trace.steps.find((s: { kind: string; description: string }) => s.kind === "STATUS" && s.description.includes("-> ALLOCATED"));
      expect(allocated.durationMs).toBe(history[1].changedAt.getTime() - history[0].changedAt.getTime());
      const postedStep = trace.financeSteps.find((s: { description: string }) => /: POSTED/.test(s.description));
      expect(postedStep.durationMs).toBeGreaterThanOrEqual(0);

      // The same from the ops CLI, one line per step in the same order.
      const cli = await runOps(url, ["trace", CORRELATION]);
      expect(cli.status, cli.stderr).toBe(0);
      const lines = cli.stdout.trim().split("\n");
      expect(lines).toHaveLength(trace.steps.length);
      expect(lines[0]).toMatch(new RegExp(`^${trace.steps[0].at}  operations   RECEIVED   x12 850 message`));

      // A message that fails at map: parsed, then the error at MAP; no mapped or applied step.
      const unknownPartner = String(SAMPLE_850).replace(/\*12\*4405197800\s*\*/, "*ZZ*NOPARTNER      *");
      expect(unknownPartner).not.toBe(String(SAMPLE_850));
      const refused = await post(base, "/ingest/x12", Buffer.from(unknownPartner), {
        "content-type": "application/edi-x12",
        "x-correlation-id": "o2c-trace-dead-0001",
      });
      expect(refused.json.state).toBe("DEAD_LETTER");
      const dead = ((await gqlOk(url, TRACE, { c: "o2c-trace-dead-0001" })).trace.steps as Step[]).filter((s) =>
        s.description.startsWith(`x12 850 message ${refused.json.messageId} `),
      );
      expect(dead.filter((s) => s.kind !== "WARNING").map((s) => s.kind)).toEqual(["RECEIVED", "PARSED", "ERROR"]);
      expect(dead.at(-1)!.description).toMatch(/dead-lettered at MAP: no mapping for CUSTOMER ZZ:NOPARTNER from X12/);

      // An id nothing carries has no trace.
      expect((await gqlOk(url, TRACE, { c: "no-such-transaction" })).trace).toBeNull();
      expect((await runOps(url, ["trace", "no-such-transaction"])).stderr).toContain("nothing stored carries correlation id no-such-transaction");
    });
  });
}
