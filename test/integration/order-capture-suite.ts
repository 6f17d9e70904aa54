// Order capture end to end, on each store, through HTTP with a real GraphQL client: placeOrder's
// exact canonical values, idempotent resends, pricing policies, credit holds (a limit exceeded;
// erp-finance slow, failing or unreachable behind a real proxy), the lifecycle, allocation by
// inventory's consumer (release on cancel, backorders filled on receipt), available to promise,
// and mapping as data: a dead letter naming every missing value, fixed by the API and replayed;
// CSV import/export through the ops CLI. 200 concurrent orders for one SKU are in
// order-concurrency-suite.ts (their own file, so the two test workers run it beside this one).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerConfig, type TestApp } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { waitFor } from "../helpers/wait.js";
import { runOps } from "../helpers/ops-cli.js";
import { startFaultyProxy, type FaultyProxy } from "../helpers/faulty-proxy.js";
import { startEmbedded, type RunningApp } from "../../app/embedded.js";
import { testSecurity } from "../helpers/auth.js";
import { gs1CheckDigit } from "../../platform/mapping/index.js";
import { HandlerRegistry } from "../../platform/ingest/handlers.js";
import { receiveMessages } from "../../platform/ingest/message-store.js";
import { processMessages, replayMessage } from "../../platform/ingest/pipeline.js";
import { orderChannelHandler } from "../../subgraphs/orders/channel.js";
import type { StoreKind } from "../helpers/databases.js";
import { GADGET_GTIN13, startOrderCaptureApp, withCheck, WIDGET_GTIN13, type OrderCaptureApp } from "./order-capture-fixture.js";

const ORDER = `query($id: ID!) { order(id: $id) { id status businessUnit { id }
  lines { lineNumber sku quantityOrdered quantityAllocated quantityBackordered }
  statusHistory { from to source reason correlationId } } }`;

export function orderCaptureSuite(kind: StoreKind) {
  describe(`order capture on ${kind}`, () => {
    let t: TestApp;
    let url: string;
    let base: string;
    let app: OrderCaptureApp;
    const db = () => t.database.db;
    const place = (input: Record<string, unknown>, headers: Record<string, string> = {}, at = url) => app.place(input, headers, at);
    const order = (id: string) => gqlOk(url, ORDER, { id }).then((d) => d.order);
    const untilStatus = (id: string, statuses: string[]) =>
      waitFor(async () => ((o) => (statuses.includes(o.status) ? o : null))(await order(id)), `order ${id} in ${statuses}`);
    const position = (sku: string, locationId: string) => app.position(sku, locationId);
    const receive = (eventId: string, sku: string, location: string, quantity: number) => app.receive(eventId, sku, location, quantity);

    beforeAll(async () => {
      app = await startOrderCaptureApp(kind);
      ({ t, url, base } = app);
    });
    afterAll(async () => t?.close());

    let firstOrderId = "";

    it("captures an order with exact canonical values and allocates it by the rules", async () => {
      const r = await place(
        {
          idempotencyKey: "po-1",
          customerId: "CUST-T1",
          customerPo: "PO-1001",
          requestedShipDate: "2030-12-01",
          shipTo: { name: "Buyer DC", address: "1 Dock Rd, Solon, OH" },
          lines: [
            { sku: "T-WIDGET", quantity: 2, unit: "CS" },
            { gtin: GADGET_GTIN13, quantity: 3 },
            { customerPartNumber: "W-778", quantity: 5, unit: "EA", unitPrice: "1.90" },
          ],
        },
        { "x-correlation-id": "corr-po-1" },
      );
      expect(r).toMatchObject({ outcome: "ACCEPTED", replayed: false, reasons: [], warnings: [] });
      expect(r.order).toMatchObject({ status: "ACCEPTED", currency: "USD", totalAmount: "70.10", customerPo: "PO-1001", businessUnit: { id: "BU-EAST" } });
      expect(r.order.capture).toEqual({ outcome: "ACCEPTED", credit: { approved: true, reason: null, available: expect.any(String) } });
      expect(r.order.lines).toEqual([
        {
          lineNumber: 1,
          sku: "T-WIDGET",
          unit: "CS",
          unitPrice: "22.8",
          priceSource: "CUSTOMER_PRICE_LIST",
          buyerUnitPrice: null,
          customerPartNumber: null,
          gtin: `0${WIDGET_GTIN13}`,
          quantityOrdered: 2,
          quantityAllocated: 0,
          quantityBackordered: 0,
          extendedAmount: "45.60",
          inBaseUnit: { unit: "EA", factor: 12, ordered: 24, allocated: 0 },
        },
        {
          lineNumber: 2,
          sku: "T-GADGET",
          unit: "EA",
          unitPrice: "5",
          priceSource: "LIST_PRICE",
          buyerUnitPrice: null,
          customerPartNumber: null,
          gtin: `0${GADGET_GTIN13}`,
          quantityOrdered: 3,
          quantityAllocated: 0,
          quantityBackordered: 0,
          extendedAmount: "15.00",
          inBaseUnit: { unit: "EA", factor: 1, ordered: 3, allocated: 0 },
        },
        {
          lineNumber: 3,
          sku: "T-WIDGET",
          unit: "EA",
          unitPrice: "1.9",
          priceSource: "CUSTOMER_PRICE_LIST",
          buyerUnitPrice: "1.9",
          customerPartNumber: "W-778",
          gtin: `0${WIDGET_GTIN13}`,
          quantityOrdered: 5,
          quantityAllocated: 0,
          quantityBackordered: 0,
          extendedAmount: "9.50",
          inBaseUnit: { unit: "EA", factor: 1, ordered: 5, allocated: 0 },
        },
      ]);
      firstOrderId = r.order.id;
      const allocated = await untilStatus(firstOrderId, ["ALLOCATED"]);
      expect(allocated.lines.map((l: any) => [l.quantityAllocated, l.quantityBackordered])).toEqual([
        [2, 0],
        [3, 0],
        [5, 0],
      ]);
      expect(allocated.statusHistory).toEqual([
        { from: null, to: "ACCEPTED", source: "b2b-api", reason: "accepted", correlationId: "corr-po-1" },
        {
          from: "ACCEPTED",
          to: "ALLOCATED",
          source: "inventory",
          reason: expect.stringContaining("line 1: 2 of 2 CS allocated at LOC-WH-ATL (2)"),
          correlationId: "corr-po-1",
        },
      ]);
      // No warehouse has both products: each line from the first warehouse that fills it (ATL has the most widgets).
      expect(await position("T-WIDGET", "LOC-WH-ATL")).toEqual({ onHand: 100, allocated: 29, available: 71 });
      expect(await position("T-WIDGET", "LOC-WH-CLT")).toEqual({ onHand: 30, allocated: 0, available: 30 });
      expect(await position("T-GADGET", "LOC-WH-RNO")).toEqual({ onHand: 10, allocated: 3, available: 7 });
      const changed = await gqlOk(url, `{ events(types: ["InventoryChanged"], aggregateId: "T-WIDGET@LOC-WH-ATL") { correlationId payload } }`);
      expect(changed.events.at(-1)).toMatchObject({
        correlationId: "corr-po-1",
        payload: { reason: "ALLOCATED", before: { allocated: 0, available: 100 }, after: { allocated: 29, available: 71 } },
      });
    });

    it("answers a resend with the first answer, and a reused key with different content as REJECTED", async () => {
      const input = {
        idempotencyKey: "po-1",
        customerId: "CUST-T1",
        customerPo: "PO-1001",
        requestedShipDate: "2030-12-01",
        shipTo: { name: "Buyer DC", address: "1 Dock Rd, Solon, OH" },
        lines: [
          { sku: "T-WIDGET", quantity: 2, unit: "CS" },
          { gtin: GADGET_GTIN13, quantity: 3 },
          { customerPartNumber: "W-778", quantity: 5, unit: "EA", unitPrice: "1.90" },
        ],
      };
      const again = await place(input);
      expect(again).toMatchObject({ outcome: "ACCEPTED", replayed: true, order: { id: firstOrderId } });
      const changed = await place({ ...input, lines: [{ sku: "T-WIDGET", quantity: 3, unit: "CS" }] });
      expect(changed).toMatchObject({
        outcome: "REJECTED",
        order: null,
        reasons: [{ code: "IDEMPOTENCY_KEY_REUSED", message: expect.stringContaining(firstOrderId) }],
      });
      // Another customer may use the same key: keys are per customer.
      const other = await place({ idempotencyKey: "po-1", customerId: "CUST-T3", lines: [{ sku: "T-WIDGET", quantity: 1 }] });
      expect(other.outcome).toBe("ACCEPTED");
      expect(other.order.id).not.toBe(firstOrderId);
      expect(await db().order.count({ where: { idempotencyKey: "B2B_API:CUST-T1:po-1" } })).toBe(1);
    });

    it("rejects an order naming unknown things with every missing mapping at once, and records nothing", async () => {
      const before = await db().order.count();
      const r = await place({
        idempotencyKey: "po-unmapped",
        customerId: "CUST-T1",
        lines: [
          { sku: "NOPE-1", quantity: 1 },
          { gtin: "00000000000017", quantity: 1 },
          { sku: "T-WIDGET", quantity: 1, unit: "DRUM" },
          { customerPartNumber: "ZZ-9", quantity: 2 },
        ],
      });
      expect(r.outcome).toBe("REJECTED");
      expect(r.order).toBeNull();
      expect(r.reasons).toEqual([
        { code: "UNMAPPED", message: "no mapping for PRODUCT NOPE-1 from B2B_API", lineNumber: 1 },
        { code: "UNMAPPED", message: "no mapping for PRODUCT 00000000000017 from GS1", lineNumber: 2 },
        { code: "UNMAPPED", message: "no mapping for UNIT DRUM from B2B_API", lineNumber: 3 },
        { code: "UNMAPPED", message: "no mapping for PRODUCT ZZ-9 from CUST-T1", lineNumber: 4 },
      ]);
      const invalid = await place({ idempotencyKey: "po-invalid", customerId: "CUST-T1", lines: [{ sku: "T-WIDGET", quantity: 0 }, { quantity: 1 }] });
      expect(invalid.reasons.map((x: any) => x.message)).toEqual(["lines[0].quantity: must be at least 1"]);
      expect(await db().order.count()).toBe(before);
    });

    it("holds an order whose credit is exceeded (no allocation), and accepts it when a credit manager releases it", async () => {
      const r = await place({ idempotencyKey: "po-big", customerId: "CUST-T2", lines: [{ sku: "T-WIDGET", quantity: 60 }] });
      expect(r.outcome).toBe("CREDIT_HOLD");
      expect(r.reasons).toEqual([
        {
          code: "CREDIT_NOT_APPROVED",
          message: "credit limit 100.00 USD exceeded by 20.00 USD (open invoices 0.00, other open orders 0.00, this order 120.00)",
          lineNumber: null,
        },
      ]);
      expect(r.order.capture.credit).toEqual({ approved: false, reason: expect.stringContaining("exceeded by 20.00"), available: "-20.00" });
      const recheck = await gqlOk(url, `mutation($id: ID!) { releaseOrderHold(id: $id, reason: "asked again") { status } }`, { id: r.order.id });
      expect(recheck.releaseOrderHold.status).toBe("CREDIT_HOLD");
      expect(await db().allocationRequest.count({ where: { orderId: r.order.id } })).toBe(0);
      const released = await gqlOk(url, `mutation($id: ID!) { releaseOrderHold(id: $id, reason: "approved by J. Doe", override: true) { status } }`, {
        id: r.order.id,
      });
      expect(released.releaseOrderHold.status).toBe("ACCEPTED");
      const done = await untilStatus(r.order.id, ["ALLOCATED"]);
      expect(done.statusHistory.map((h: any) => [h.from, h.to])).toEqual([
        [null, "CREDIT_HOLD"],
        ["CREDIT_HOLD", "ACCEPTED"],
        ["ACCEPTED", "ALLOCATED"],
      ]);
      expect(done.statusHistory[1].reason).toBe("credit hold released without a credit check (override): approved by J. Doe");

      const unknown = await place({ idempotencyKey: "po-who", customerId: "CUST-NOPE", lines: [{ sku: "T-WIDGET", quantity: 1 }] });
      expect(unknown).toMatchObject({
        outcome: "REJECTED",
        order: { status: "REJECTED" },
        reasons: [{ code: "UNKNOWN_CUSTOMER", message: "erp-finance has no customer CUST-NOPE" }],
      });
    });

    it("follows each customer's buyer price policy: a warning, or PRICE_HOLD until released", async () => {
      const warned = await place({ idempotencyKey: "po-price-1", customerId: "CUST-T1", lines: [{ sku: "T-WIDGET", quantity: 10, unitPrice: "1.50" }] });
      expect(warned.outcome).toBe("ACCEPTED");
      expect(warned.warnings).toEqual([
        { code: "PRICE_DIFFERENCE", message: "buyer price 1.50 USD per EA differs from ours, 1.9000 (customer price list): ours used", lineNumber: 1 },
      ]);
      expect(warned.order.lines[0]).toMatchObject({ unitPrice: "1.9", buyerUnitPrice: "1.5" });

      await gqlOk(
        url,
        `mutation { updateCustomerOrderSettings(customerId: "CUST-T3", settings: { buyerPricePolicy: HOLD, priceTolerancePercent: "5" }) { buyerPricePolicy } }`,
      );
      const within = await place({ idempotencyKey: "po-price-2", customerId: "CUST-T3", lines: [{ sku: "T-WIDGET", quantity: 10, unitPrice: "1.95" }] });
      expect(within).toMatchObject({ outcome: "ACCEPTED", warnings: [] });
      const held = await place({ idempotencyKey: "po-price-3", customerId: "CUST-T3", lines: [{ sku: "T-WIDGET", quantity: 10, unitPrice: "1.50" }] });
      expect(held.outcome).toBe("PRICE_HOLD");
      expect(held.reasons).toEqual([
        {
          code: "PRICE_DIFFERENCE",
          message: "buyer price 1.50 USD per EA differs from ours, 2.0000 (list price): held for review (customer policy HOLD)",
          lineNumber: 1,
        },
      ]);
      const released = await gqlOk(url, `mutation($id: ID!) { releaseOrderHold(id: $id, reason: "price confirmed with buyer") { status } }`, {
        id: held.order.id,
      });
      expect(released.releaseOrderHold.status).toBe("ACCEPTED");
      await untilStatus(held.order.id, ["ALLOCATED"]);
    });

    it("cancels an order and gives its stock back; the lifecycle refuses what it does not allow", async () => {
      const atlBefore = await position("T-WIDGET", "LOC-WH-ATL");
      const cancelled = await gqlOk(url, `mutation($id: ID!) { cancelOrder(id: $id, reason: "customer changed its mind") { status } }`, { id: firstOrderId });
      expect(cancelled.cancelOrder.status).toBe("CANCELLED");
      await waitFor(
        async () => ((p) => (p.allocated === atlBefore.allocated - 29 ? p : null))(await position("T-WIDGET", "LOC-WH-ATL")),
        "the widgets released",
      );
      await waitFor(async () => ((p) => (p.allocated === 0 ? p : null))(await position("T-GADGET", "LOC-WH-RNO")), "the gadgets released");
      const o = await waitFor(
        async () => ((x) => (x.lines.every((l: any) => l.quantityAllocated === 0) ? x : null))(await order(firstOrderId)),
        "lines released",
      );
      expect(o.status).toBe("CANCELLED");
      expect(o.statusHistory.at(-1)).toMatchObject({ from: "ALLOCATED", to: "CANCELLED", reason: "customer changed its mind", source: "api" });
      const again = await gql(url, `mutation($id: ID!) { updateOrderStatus(id: $id, status: SHIPPED) { status } }`, { id: firstOrderId });
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: "INVALID_STATUS_TRANSITION", from: "CANCELLED", to: "SHIPPED", allowed: [] });
    });

    it("backorders what is not in stock and fills it when stock arrives, oldest first", async () => {
      const r = await place({ idempotencyKey: "po-bo", customerId: "CUST-T1", lines: [{ sku: "T-GADGET", quantity: 16 }] });
      const partial = await untilStatus(r.order.id, ["PARTIALLY_ALLOCATED"]);
      expect(partial.lines[0]).toMatchObject({ quantityAllocated: 10, quantityBackordered: 6 });
      await receive("t-rcpt-5", "T-GADGET", "WH-CLT", 8);
      const full = await untilStatus(r.order.id, ["ALLOCATED"]);
      expect(full.lines[0]).toMatchObject({ quantityAllocated: 16, quantityBackordered: 0 });
      expect(full.statusHistory.at(-1)).toMatchObject({ from: "PARTIALLY_ALLOCATED", to: "ALLOCATED", source: "inventory" });
      expect(await position("T-GADGET", "LOC-WH-CLT")).toEqual({ onHand: 8, allocated: 6, available: 2 });
    });

    it("answers available to promise from stock now and expected receipts by date", async () => {
      await gqlOk(url, `mutation($r: [ExpectedReceiptInput!]!) { recordExpectedReceipts(receipts: $r) { reference quantity } }`, {
        r: [{ reference: "PO-77", sku: "T-GADGET", locationId: "LOC-WH-RNO", quantity: 40, expectedDate: "2030-01-15" }],
      });
      const today = new Date().toISOString().slice(0, 10);
      const atp = await gqlOk(
        url,
        `{ availableToPromise(sku: "T-GADGET", quantity: 30, requestedDate: "2030-01-01") {
        requestedQuantity availableNow inbound backordered promisableQuantity canPromiseInFull fullQuantityDate promises { locationId date quantity source reference location { code } } } }`,
      );
      expect(atp.availableToPromise).toEqual({
        requestedQuantity: 30,
        availableNow: 2,
        inbound: 40,
        backordered: 0,
        promisableQuantity: 2,
        canPromiseInFull: false,
        fullQuantityDate: "2030-01-15",
        promises: [
          { locationId: "LOC-WH-CLT", date: today, quantity: 2, source: "ON_HAND", reference: null, location: { code: "WH-CLT" } },
          { locationId: "LOC-WH-RNO", date: "2030-01-15", quantity: 28, source: "INBOUND", reference: "PO-77", location: { code: "WH-RNO" } },
        ],
      });
      const later = await gqlOk(
        url,
        `{ availableToPromise(sku: "T-GADGET", quantity: 30, requestedDate: "2030-02-01", locationIds: ["LOC-WH-RNO"]) { availableNow promisableQuantity canPromiseInFull } }`,
      );
      expect(later.availableToPromise).toEqual({ availableNow: 0, promisableQuantity: 30, canPromiseInFull: true });
      expect((await gqlOk(url, `{ inventoryPosition(sku: "T-GADGET", locationId: "LOC-WH-RNO") { inbound } }`)).inventoryPosition.inbound).toBe(40);
    });

    it("dead-letters a document naming unmapped values, all at once; mappings added by the API make its replay complete", async () => {
      const unknownA = withCheck("0061414188880");
      const unknownB = withCheck("0061414188881");
      const x12 = fs
        .readFileSync(new URL("../fixtures/x12-846-warehouse-snapshot.template.edi", import.meta.url), "utf8")
        .replace("N1*WH*ATLANTA DC*92*WH-ATL", "N1*WH*PARTNER DC*92*PARTNER-7")
        .replace("{sku1}", "T-WIDGET")
        .replace("{gtin2}", unknownA)
        .replace("LIN*3*SK*{sku3}", `LIN*3*UK*${unknownB}`)
        .replace("QTY*33*25*EA", "QTY*17*25*CA");
      const res = await post(base, "/ingest/x12", x12);
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP" });
      expect(res.json.error).toBe(
        `no mapping for LOCATION PARTNER-7 from X12 (at segment 4 (N1)); no mapping for PRODUCT ${unknownA} from GS1 (at segment 7 (LIN)); no mapping for PRODUCT ${unknownB} from GS1 (at segment 9 (LIN))`,
      );
      const fix = await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted warnings } }`, {
        r: [
          { kind: "LOCATION", system: "X12", externalValue: "PARTNER-7", canonicalId: "LOC-WH-RNO" },
          { kind: "PRODUCT", system: "GS1", externalValue: unknownA.slice(1), canonicalId: "T-GADGET" },
        ],
      });
      expect(fix.upsertCrossReferences).toEqual({ upserted: 2, warnings: [] });
      const stillMissing = await gqlOk(url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state error } }`, { id: res.json.messageId });
      // What is still missing, now that the GTIN resolves: T-GADGET has no case size, and one GTIN is unknown.
      expect(stillMissing.replayInboundMessage).toEqual({
        state: "DEAD_LETTER",
        error: `no conversion from CS to EA for product T-GADGET (known: EA) (at segment 8 (QTY)); no mapping for PRODUCT ${unknownB} from GS1 (at segment 9 (LIN))`,
      });
      const added = await gqlOk(url, `mutation($p: [ProductInput!]!) { upsertProducts(products: $p) { created updated } }`, {
        p: [
          { sku: "T-BOXED", description: "Boxed item", baseUnit: "EA", gtin: unknownB, conversions: [{ unit: "CS", factor: 6 }] },
          { sku: "T-GADGET", description: "Test gadget", baseUnit: "EA", gtin: GADGET_GTIN13, conversions: [{ unit: "CS", factor: 24 }] },
        ],
      });
      expect(added.upsertProducts).toEqual({ created: 1, updated: 1 });
      const replayed = await gqlOk(url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state error } }`, { id: res.json.messageId });
      expect(replayed.replayInboundMessage).toEqual({ state: "PROCESSED", error: null });
      expect((await position("T-BOXED", "LOC-WH-RNO")).onHand).toBe(25 * 6);
      expect((await position("T-WIDGET", "LOC-WH-RNO")).onHand).toBe(480);
      // The snapshot is older than the receipt of 10 gadgets earlier in this file: it is counted on top.
      expect((await position("T-GADGET", "LOC-WH-RNO")).onHand).toBe(12 * 24 + 10);
      const byGtin = await gqlOk(url, `{ a: productByGtin(gtin: "${unknownB.slice(1)}") { sku } b: productByGtin(gtin: "${unknownB}") { sku } }`);
      expect(byGtin).toEqual({ a: { sku: "T-BOXED" }, b: { sku: "T-BOXED" } });
      const refs = await gqlOk(url, `{ location(id: "LOC-WH-RNO") { externalRefs { system value } } }`);
      expect(refs.location.externalRefs).toContainEqual({ system: "X12", value: "PARTNER-7" });
    });

    it("captures a channel's order through the same command: dead letter naming all missing mappings, replay after adding them, resend deduplicated", async () => {
      // A stand-in channel format (JSON) built with the same factory the X12/EDIFACT/Shopify adapters use.
      interface Doc {
        po: string;
        partner: string;
        lines: { gtin?: string; buyerPart?: string; qty: number; uom?: string }[];
      }
      const registry = new HandlerRegistry();
      registry.register(
        orderChannelHandler<unknown, Doc>(
          {
            source: "test-channel",
            kind: "order-json",
            parse: (raw) => JSON.parse(raw.toString("utf8")),
            validate: (parsed) => parsed as Doc,
            toCommand: (d) => ({
              channel: "EDI",
              system: "X12",
              idempotencyKey: `${d.partner}:${d.po}`,
              customer: { references: [{ system: "X12", value: d.partner }] },
              customerPo: d.po,
              externalRefs: [{ system: "X12_850", value: `${d.partner}:${d.po}` }],
              lines: d.lines.map((l, i) => ({ lineNumber: i + 1, gtin: l.gtin, customerPartNumber: l.buyerPart, quantity: l.qty, unit: l.uom })),
            }),
          },
          t.app.host.orderCapture,
        ),
      );
      const gtin = withCheck("0061414166660");
      const doc: Doc = {
        po: "CH-1",
        partner: "ZZ:CHANNELTEST",
        lines: [
          { gtin, qty: 2, uom: "BX" },
          { buyerPart: "CH-P1", qty: 1 },
        ],
      };
      const deliver = async (key: string) => {
        const [received] = await receiveMessages(db(), [
          {
            source: "test-channel",
            kind: "order-json",
            idempotencyKey: key,
            correlationId: `corr-${key}`,
            contentType: "application/json",
            raw: Buffer.from(JSON.stringify(doc)),
          },
        ]);
        return (await processMessages(db(), registry, [received.message.id]))[0];
      };
      const first = await deliver("msg-1");
      expect(first).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP" });
      expect(first.error).toBe(`no mapping for CUSTOMER ZZ:CHANNELTEST from X12 (at customer); no mapping for PRODUCT ${gtin} from GS1 (at line 1)`);
      await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
        r: [
          { kind: "CUSTOMER", system: "X12", externalValue: "ZZ :CHANNELTEST  ", canonicalId: "CUST-T1" },
          { kind: "PRODUCT", system: "GS1", externalValue: gtin, canonicalId: "T-WIDGET" },
        ],
      });
      // Now the buyer and the GTIN are known: its part number can be looked up, and the unit is reached.
      expect(await replayMessage(db(), registry, first.id)).toMatchObject({
        state: "DEAD_LETTER",
        error: "no mapping for PRODUCT CH-P1 from CUST-T1 (at line 2); no mapping for UNIT BX from X12 (at line 1)",
      });
      await gqlOk(
        url,
        `mutation { upsertCrossReferences(references: [{ kind: PRODUCT, system: "CUST-T1", externalValue: "CH-P1", canonicalId: "T-GADGET" }, { kind: UNIT, system: "X12", externalValue: "BX", canonicalId: "CS" }]) { upserted } }`,
      );
      const done = await replayMessage(db(), registry, first.id);
      expect(done).toMatchObject({ state: "PROCESSED", result: { outcome: "ACCEPTED", created: true } });
      const orderId = (done.result as any).orderId;
      const captured = await gqlOk(
        url,
        `query($id: ID!) { order(id: $id) { channel customerPo customer { id } externalRefs { system value } lines { sku unit quantityOrdered inBaseUnit { ordered } } statusHistory { to source correlationId } } }`,
        { id: orderId },
      );
      expect(captured.order).toMatchObject({
        channel: "EDI",
        customerPo: "CH-1",
        customer: { id: "CUST-T1" },
        externalRefs: [{ system: "X12_850", value: "ZZ:CHANNELTEST:CH-1" }],
        lines: [
          { sku: "T-WIDGET", unit: "CS", quantityOrdered: 2, inBaseUnit: { ordered: 24 } },
          { sku: "T-GADGET", unit: "EA", quantityOrdered: 1, inBaseUnit: { ordered: 1 } },
        ],
      });
      expect(captured.order.statusHistory[0]).toEqual({ to: "ACCEPTED", source: "edi", correlationId: "corr-msg-1" });
      // The same PO in a new interchange (another message key): the order already captured, not a second one.
      const resent = await deliver("msg-2");
      expect(resent).toMatchObject({ state: "PROCESSED", result: { orderId, duplicateOfOrder: true } });
      expect(await db().order.count({ where: { idempotencyKey: "X12:ZZ:CHANNELTEST:CH-1" } })).toBe(1);
    });

    it("warns about a wrong GS1 check digit instead of rejecting it, and names a malformed value", async () => {
      const bad = `${"0061414177770"}${(gs1CheckDigit("0061414177770") + 1) % 10}`;
      const r = await gqlOk(
        url,
        `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted references { externalValue } warnings } }`,
        {
          r: [{ kind: "PRODUCT", system: "GS1", externalValue: bad, canonicalId: "T-GADGET" }],
        },
      );
      expect(r.upsertCrossReferences).toEqual({
        upserted: 1,
        references: [{ externalValue: bad }],
        warnings: [`references[0]: GTIN ${bad} has a wrong check digit (expected ${gs1CheckDigit(bad.slice(0, -1))})`],
      });
      const malformed = await gql(
        url,
        `mutation { upsertCrossReferences(references: [{ kind: LOCATION, system: "GS1", externalValue: "12AB", canonicalId: "LOC-WH-RNO" }]) { upserted } }`,
      );
      expect(malformed.errors?.[0]).toMatchObject({
        message: 'Argument "references[0]" externalValue: GLN "12AB" must be 13 digits',
        extensions: { code: "INVALID_ARGUMENT" },
      });
      const deleted = await gqlOk(url, `mutation { deleteCrossReference(kind: PRODUCT, system: "GS1", externalValue: "${bad.slice(1)}") { canonicalId } }`);
      expect(deleted.deleteCrossReference).toEqual({ canonicalId: "T-GADGET" });
    });

    it("imports and exports mappings as CSV through the ops CLI, losslessly, and refuses a bad file whole", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mappings-"));
      const rows = [
        ["kind", "system", "externalValue", "canonicalId"],
        ["PRODUCT", "CSV-TEST", "00012", "T-WIDGET"],
        ["PRODUCT", "CSV-TEST", 'Teil, Ünïcode "groß"', "T-GADGET"],
        ["LOCATION", "CSV-TEST", "DOCK 7", "LOC-WH-ATL"],
        ["UNIT", "CSV-TEST", "BAG", "CS"],
      ];
      const file = path.join(dir, "in.csv");
      fs.writeFileSync(file, "\uFEFF" + rows.map((r) => r.map((v) => (/[",\s]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",")).join("\r\n") + "\r\n");
      const imported = await runOps(url, ["mappings", "import", file]);
      expect(imported.stderr).toBe("");
      expect(imported.stdout).toContain(`4 row(s) read from ${file}, 4 cross-reference(s) written in 1 batch(es)`);
      const out = path.join(dir, "out.csv");
      const exported = await runOps(url, ["mappings", "export", "--system", "CSV-TEST", "--out", out]);
      expect(exported.stdout).toContain("4 cross-reference(s) written");
      const back = parse(fs.readFileSync(out), { bom: true });
      expect(back[0]).toEqual(rows[0]);
      expect(
        back
          .slice(1)
          .map((r: string[]) => r.join("|"))
          .sort(),
      ).toEqual(
        rows
          .slice(1)
          .map((r) => r.join("|"))
          .sort(),
      );

      const badFile = path.join(dir, "bad.csv");
      fs.writeFileSync(badFile, "kind,system,externalValue,canonicalId\nPRODUCT,CSV-BAD,1,T-WIDGET\nPRODUCTS,CSV-BAD,2,T-WIDGET\n");
      const refused = await runOps(url, ["mappings", "import", badFile]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('line 3: kind "PRODUCTS" is not one of PRODUCT, LOCATION, CUSTOMER, SUPPLIER, UNIT, STATUS, TIME_ZONE, DATE_QUALIFIER');
      expect(await db().crossReference.count({ where: { system: "CSV-BAD" } })).toBe(0);
    });

    it("pages crossReferences with first and after: every row once, in the order of one big page, a row added mid-way after the cursor included", async () => {
      const values = ["A-1", "A-10", "A-2", "a-3", "B 4", "Bäume", "C/5"];
      await gqlOk(url, `mutation($r: [CrossReferenceInput!]!) { upsertCrossReferences(references: $r) { upserted } }`, {
        r: values.map((v, i) => ({
          kind: i % 2 ? "LOCATION" : "PRODUCT",
          system: "PAGE-TEST",
          externalValue: v,
          canonicalId: i % 2 ? "LOC-WH-ATL" : "T-WIDGET",
        })),
      });
      const PAGE = `query($after: String, $first: Int) { crossReferences(filter: { system: "PAGE-TEST" }, first: $first, after: $after) {
        nodes { kind externalValue } pageInfo { hasNextPage endCursor } totalCount } }`;
      const pages: { nodes: { kind: string; externalValue: string }[] }[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await gqlOk(url, PAGE, { first: 3, after })).crossReferences;
        pages.push(page);
        expect(page.nodes.length).toBeLessThanOrEqual(3);
        if (pages.length === 1) {
          expect(page).toMatchObject({ totalCount: 7, pageInfo: { hasNextPage: true } });
          // Written while the client pages: sorts after everything, so the next pages must bring it.
          await gqlOk(
            url,
            `mutation { upsertCrossReferences(references: [{ kind: PRODUCT, system: "PAGE-TEST", externalValue: "ZZ-late", canonicalId: "T-GADGET" }]) { upserted } }`,
          );
        }
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
        expect(pages.length).toBeLessThan(10);
      }
      const paged = pages.flatMap((p) => p.nodes.map((n) => `${n.kind}|${n.externalValue}`));
      const whole = (await gqlOk(url, PAGE, { first: 500, after: null })).crossReferences;
      expect(whole.totalCount).toBe(8);
      expect(paged).toEqual(whole.nodes.map((n: any) => `${n.kind}|${n.externalValue}`));
      expect(new Set(paged).size).toBe(8);
      expect(paged).toContain("PRODUCT|ZZ-late");
      expect(pages.length).toBe(3);
      const bad = await gql(url, `{ crossReferences(after: "not-a-cursor") { totalCount } }`);
      expect(bad.errors?.[0]?.extensions?.code).toBe("INVALID_CURSOR");
    });

    it("takes an order from the portal: channel PORTAL, its own code and key namespace, history source portal", async () => {
      await gqlOk(
        url,
        `mutation { upsertCrossReferences(references: [{ kind: PRODUCT, system: "PORTAL", externalValue: "P-WIDGET", canonicalId: "T-WIDGET" }]) { upserted } }`,
      );
      const input = { idempotencyKey: "portal-1", customerId: "CUST-T1", channel: "PORTAL", customerPo: "WEB-77", lines: [{ sku: "P-WIDGET", quantity: 4 }] };
      const r = await place(input, { "x-correlation-id": "corr-portal-1" });
      expect(r).toMatchObject({ outcome: "ACCEPTED", replayed: false, reasons: [], order: { channel: "PORTAL", customerPo: "WEB-77", totalAmount: "7.60" } });
      expect(r.order.lines).toMatchObject([{ sku: "T-WIDGET", unit: "EA", quantityOrdered: 4, unitPrice: "1.9", priceSource: "CUSTOMER_PRICE_LIST" }]);
      const again = await place(input);
      expect(again).toMatchObject({ replayed: true, order: { id: r.order.id } });
      const o = await untilStatus(r.order.id, ["ALLOCATED"]);
      expect(o.statusHistory[0]).toEqual({ from: null, to: "ACCEPTED", source: "portal", reason: "accepted", correlationId: "corr-portal-1" });
      expect((await db().order.findUniqueOrThrow({ where: { id: r.order.id } })).idempotencyKey).toBe("PORTAL:CUST-T1:portal-1");
      // The portal's codes are its own: the B2B API does not know P-WIDGET, and its keys are apart.
      const viaApi = await place({ ...input, channel: "B2B_API" });
      expect(viaApi).toMatchObject({
        outcome: "REJECTED",
        order: null,
        reasons: [{ code: "UNMAPPED", message: "no mapping for PRODUCT P-WIDGET from B2B_API", lineNumber: 1 }],
      });
    });

    it("creates one order for concurrent resends of one idempotency key, and answers every resend with it", async () => {
      const input = { idempotencyKey: "po-race", customerId: "CUST-T1", lines: [{ sku: "T-WIDGET", quantity: 2 }] };
      const answers = await Promise.all(Array.from({ length: 12 }, () => place(input)));
      expect(answers.map((a) => a.outcome)).toEqual(Array(12).fill("ACCEPTED"));
      expect(new Set(answers.map((a) => a.order.id)).size).toBe(1);
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
      expect(await db().order.count({ where: { idempotencyKey: "B2B_API:CUST-T1:po-race" } })).toBe(1);
      const o = await untilStatus(answers[0].order.id, ["ALLOCATED"]);
      expect(o.lines).toEqual([{ lineNumber: 1, sku: "T-WIDGET", quantityOrdered: 2, quantityAllocated: 2, quantityBackordered: 0 }]);
      expect(o.statusHistory.map((h: any) => h.to)).toEqual(["ACCEPTED", "ALLOCATED"]);
      // One allocation for the one order: no second reservation of the same stock.
      expect(await db().allocationRequest.count({ where: { orderId: answers[0].order.id } })).toBe(1);
      expect(await db().creditReservation.count({ where: { orderKey: "B2B_API:CUST-T1:po-race" } })).toBe(0);
    });

    describe("with erp-finance behind a real proxy (slow, failing, unreachable)", () => {
      let proxy: FaultyProxy;
      let other: RunningApp;
      beforeAll(async () => {
        proxy = await startFaultyProxy(t.app.subgraphUrls["erp-finance"]);
        // A second process shape on the same store: this one reaches erp-finance over HTTP.
        // 3 s: ample for a real answer on a busy machine; the "slow" case holds the answer for good.
        other = await startEmbedded(
          t.database,
          testServerConfig,
          { consumers: false, erpFinanceUrl: proxy.url, creditCheckTimeoutMs: 3000 },
          undefined,
          undefined,
          testSecurity(),
        );
      });
      afterAll(async () => {
        await other?.close();
        await proxy?.close();
      });
      const input = (key: string) => ({ idempotencyKey: key, customerId: "CUST-T1", lines: [{ sku: "T-WIDGET", quantity: 1 }] });

      it("checks credit over HTTP with the caller's correlation id", async () => {
        const r = await place(input("http-1"), { "x-correlation-id": "corr-credit-http" }, other.url);
        expect(r).toMatchObject({ outcome: "ACCEPTED", order: { businessUnit: { id: "BU-EAST" } } });
        expect(proxy.correlationIds).toContain("corr-credit-http");
      });

      it("holds the order when erp-finance is slow, failing or down, saying why, and never approves it", async () => {
        proxy.mode = { kind: "hold" };
        const slow = await place(input("http-slow"), {}, other.url);
        expect(slow).toMatchObject({ outcome: "CREDIT_HOLD", order: { status: "CREDIT_HOLD", businessUnit: null, capture: { credit: { approved: null } } } });
        expect(slow.reasons).toEqual([
          {
            code: "CREDIT_CHECK_UNAVAILABLE",
            message: "credit check timed out: erp-finance did not answer within 3000 ms; the order waits in CREDIT_HOLD until credit is confirmed",
            lineNumber: null,
          },
        ]);
        proxy.mode = { kind: "fail" };
        const failing = await place(input("http-fail"), {}, other.url);
        expect(failing.outcome).toBe("CREDIT_HOLD");
        expect(failing.reasons[0].message).toMatch(/^credit check failed: erp-finance is unavailable \(.* answered HTTP 502/);
        await proxy.close();
        const down = await place(input("http-down"), {}, other.url);
        expect(down.outcome).toBe("CREDIT_HOLD");
        expect(down.reasons[0].message).toMatch(/^credit check failed: erp-finance is unavailable \(cannot reach .*ECONNREFUSED/);
        expect(await db().allocationRequest.count({ where: { orderId: { in: [slow.order.id, failing.order.id, down.order.id] } } })).toBe(0);
        // With erp-finance reachable again (in-process here), releasing the hold re-checks and accepts.
        const released = await gqlOk(url, `mutation($id: ID!) { releaseOrderHold(id: $id) { status businessUnit { id } } }`, { id: slow.order.id });
        expect(released.releaseOrderHold).toEqual({ status: "ACCEPTED", businessUnit: { id: "BU-EAST" } });
      });
    });
  });
}
