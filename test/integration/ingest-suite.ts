// Ingestion through the gateway's port, on each store: states, idempotency, reconciliation of
// stale levels, dead letters with their raw bytes, replay after a fix, and drift reconciliation.
import { adminToken } from "../helpers/auth.js";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { post, stockState } from "../helpers/ingest.js";
import type { StoreKind } from "../helpers/databases.js";
import { execFile } from "node:child_process";
import { compiledEntry } from "../helpers/compiled.js";

/** Runs the ops CLI without blocking this process, which also hosts the server it talks to. */
async function runOps(gatewayUrl: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const token = await adminToken();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [compiledEntry("scripts/ops.ts"), ...args],
      { env: { ...process.env, GATEWAY_URL: gatewayUrl, GATEWAY_TOKEN: token }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
import { SHOPIFY_ITEM, SHOPIFY_LOCATION } from "../../subgraphs/inventory/sources/shopify-inventory-levels.js";

const samples = new URL("../fixtures/samples/", import.meta.url);
const shopifyEvents = fs.readFileSync(new URL("shopify-inventory_levels-update-events.jsonl", samples), "utf8").trim().split("\n");
const x12Template = fs.readFileSync(new URL("../fixtures/x12-846-warehouse-snapshot.template.edi", import.meta.url), "utf8");

const MESSAGE = `query($id: ID!) { inboundMessage(id: $id) { id state source kind idempotencyKey correlationId failedStep error rawBase64 sizeBytes result duplicateOf { id } } }`;

export function ingestSuite(kind: StoreKind) {
  describe(`ingestion on ${kind}`, () => {
    let t: TestApp;
    let base: string;
    let url: string;
    const sku = "SKU-10001";
    const location = "WH-ATL";
    const locationId = "LOC-WH-ATL";
    const position = async () =>
      gqlOk(url, `{ inventoryPosition(sku: "${sku}", locationId: "${locationId}") { onHand available version asOf } }`).then((d) => d.inventoryPosition);
    const drainConsumers = () => Promise.all(t.app.host.consumers.map((c) => c.drain()));

    beforeAll(async () => {
      t = await startTestApp(kind, { hostOptions: { pollIntervalMs: 60_000 } });
      url = t.app.url;
      base = url.replace(/\/graphql$/, "/");
    });
    afterAll(async () => t?.close());

    it("applies a WMS receipt once, reports it, and ignores a repeat of the same event id", async () => {
      const before = await position();
      const event = { eventId: "wms-rcpt-1", type: "RECEIPT", sku, location, quantity: 2, unit: "CS", occurredAt: "2026-11-28T10:00:00Z" };
      const conversion = t.demo.unitConversions.find((c) => c.sku === sku && c.unit === "CS")!;
      const res = await post(base, "/ingest/wms/inventory", JSON.stringify(event), { "x-correlation-id": "corr-rcpt-1" });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ state: "PROCESSED", correlationId: "corr-rcpt-1" });
      const after = await position();
      expect(after.onHand).toBe((before?.onHand ?? 0) + 2 * conversion.factor);
      expect(after.version).toBe((before?.version ?? 0) + 1);

      const msg = (await gqlOk(url, MESSAGE, { id: res.json.messageId })).inboundMessage;
      expect(msg).toMatchObject({ state: "PROCESSED", source: "wms", kind: "inventory-event", idempotencyKey: "wms-rcpt-1", correlationId: "corr-rcpt-1" });
      expect(JSON.parse(Buffer.from(msg.rawBase64, "base64").toString())).toEqual(event);

      const events = await gqlOk(
        url,
        `{ events(types: ["InventoryChanged"], aggregateId: "${sku}@${locationId}") { aggregateVersion correlationId payload } }`,
      );
      expect(events.events).toHaveLength(1);
      expect(events.events[0]).toMatchObject({ aggregateVersion: after.version, correlationId: "corr-rcpt-1" });
      expect(events.events[0].payload.after.onHand - events.events[0].payload.before.onHand).toBe(2 * conversion.factor);

      const stateBefore = await stockState(t.database.db);
      const repeat = await post(base, "/ingest/wms/inventory", JSON.stringify(event));
      expect(repeat.status).toBe(200);
      expect(repeat.json).toMatchObject({ state: "DUPLICATE", duplicateOf: res.json.messageId });
      expect(await stockState(t.database.db)).toEqual(stateBefore);

      await drainConsumers();
      const projected = await t.database.db.stockAvailability.findUnique({ where: { sku_locationId: { sku, locationId } } });
      expect(projected?.available).toBe(after.available);
    });

    it("applies a batch in order and answers per message, with duplicates inside the batch", async () => {
      const batch = [
        { eventId: "b-1", type: "RECEIPT", sku, location, quantity: 10, occurredAt: "2026-11-28T11:00:00Z" },
        { eventId: "b-2", type: "PICK", sku, location, quantity: 4, occurredAt: "2026-11-28T11:01:00Z" },
        { eventId: "b-1", type: "RECEIPT", sku, location, quantity: 10, occurredAt: "2026-11-28T11:00:00Z" },
        { eventId: "b-3", type: "MOVE", sku, location, toLocation: "WH-CLT", quantity: 1, occurredAt: "2026-11-28T11:02:00Z" },
      ];
      const before = await position();
      const res = await post(base, "/ingest/wms/inventory", JSON.stringify(batch));
      expect(res.status).toBe(200);
      expect(res.json.messages.map((m: any) => m.state)).toEqual(["PROCESSED", "PROCESSED", "DUPLICATE", "PROCESSED"]);
      expect((await position()).onHand).toBe(before.onHand + 10 - 4 - 1);
    });

    it("lets the later Shopify updated_at win when the two sample events arrive out of order", async () => {
      const target = t.demo.products[5];
      const shopLocation = t.demo.locations.find((l) => l.kind === "WAREHOUSE" && l.code === "WH-RNO")!;
      const [older, newer] = shopifyEvents.map((l) => JSON.parse(l));
      // Mapping data, not code: the sample's Shopify ids as cross-references.
      await t.database.db.crossReference.createMany({
        data: [
          { kind: "PRODUCT", system: SHOPIFY_ITEM, externalValue: String(older.inventory_item_id), canonicalId: target.sku },
          { kind: "LOCATION", system: SHOPIFY_LOCATION, externalValue: String(older.location_id), canonicalId: shopLocation.id },
        ],
      });
      const eventsBefore = await t.database.db.eventLog.count({ where: { aggregateId: `${target.sku}@${shopLocation.id}` } });

      const first = await post(base, "/ingest/shopify/inventory_levels/update", shopifyEvents[1], { "x-shopify-webhook-id": "wh-newer" });
      const second = await post(base, "/ingest/shopify/inventory_levels/update", shopifyEvents[0], { "x-shopify-webhook-id": "wh-older" });
      expect(first.json.state).toBe("PROCESSED");
      expect(second.status).toBe(200);
      expect(second.json.state).toBe("RECONCILED");
      const p = await gqlOk(url, `{ inventoryPosition(sku: "${target.sku}", locationId: "${shopLocation.id}") { available asOf } }`);
      expect(p.inventoryPosition.available).toBe(newer.available);
      expect(new Date(p.inventoryPosition.asOf).getTime()).toBe(new Date(newer.updated_at).getTime());
      expect(await t.database.db.eventLog.count({ where: { aggregateId: `${target.sku}@${shopLocation.id}` } })).toBe(eventsBefore + 1);
    });

    it("applies an X12 846 snapshot as levels per position and records the drift", async () => {
      const [p1, p2, p3] = [t.demo.products[20], t.demo.products[21], t.demo.products[22]];
      const edi = x12Template.replace("{sku1}", p1.sku).replace("{gtin2}", p2.gtin!).replace("{sku3}", p3.sku);
      const res = await post(base, "/ingest/x12", edi, { "content-type": "application/edi-x12" });
      expect(res.status).toBe(200);
      expect(res.json.state).toBe("PROCESSED");
      const caseFactor = t.demo.unitConversions.find((c) => c.sku === p2.sku && c.unit === "CS")!.factor;
      const data = await gqlOk(
        url,
        `{ a: inventoryPosition(sku: "${p1.sku}", locationId: "${locationId}") { onHand } b: inventoryPosition(sku: "${p2.sku}", locationId: "${locationId}") { onHand } c: inventoryPosition(sku: "${p3.sku}", locationId: "${locationId}") { available } }`,
      );
      expect(data.a.onHand).toBe(480);
      expect(data.b.onHand).toBe(12 * caseFactor);
      expect(data.c.available).toBe(25);
      const msg = (await gqlOk(url, MESSAGE, { id: res.json.messageId })).inboundMessage;
      expect(msg.kind).toBe("846");
      expect(msg.idempotencyKey).toBe("ZZ:ACMEWMS/ZZ:DISTGRAPH/000000101/101/846/0001");
      expect(msg.result.drift.length).toBeGreaterThan(0);

      const again = await post(base, "/ingest/x12", edi);
      expect(again.json.state).toBe("DUPLICATE");
    });

    it("dead-letters each kind of malformed input with a 4xx and its raw bytes, and changes nothing else", async () => {
      const cases: { name: string; path: string; body: string | Buffer; headers?: Record<string, string>; status: number; step: string; error: RegExp }[] = [
        { name: "bad JSON", path: "/ingest/wms/inventory", body: '{"eventId": "x", ', status: 400, step: "PARSE", error: /not valid JSON/ },
        {
          name: "wrong types",
          path: "/ingest/wms/inventory",
          body: JSON.stringify({ eventId: "t1", type: "RECEIPT", sku, location, quantity: "ten", occurredAt: "2026-11-28T12:00:00Z" }),
          status: 422,
          step: "VALIDATE",
          error: /quantity/,
        },
        {
          name: "fractional quantity",
          path: "/ingest/wms/inventory",
          body: JSON.stringify({ eventId: "t2", type: "RECEIPT", sku, location, quantity: 1.5, occurredAt: "2026-11-28T12:00:00Z" }),
          status: 422,
          step: "VALIDATE",
          error: /whole number/,
        },
        {
          name: "negative receipt",
          path: "/ingest/wms/inventory",
          body: JSON.stringify({ eventId: "t3", type: "RECEIPT", sku, location, quantity: -5, occurredAt: "2026-11-28T12:00:00Z" }),
          status: 422,
          step: "VALIDATE",
          error: /positive/,
        },
        {
          name: "negative count",
          path: "/ingest/wms/inventory",
          body: JSON.stringify({ eventId: "t4", type: "COUNT", sku, location, quantity: -1, occurredAt: "2026-11-28T12:00:00Z" }),
          status: 422,
          step: "VALIDATE",
          error: /negative/,
        },
        {
          name: "unknown SKU",
          path: "/ingest/wms/inventory",
          body: JSON.stringify({ eventId: "t5", type: "RECEIPT", sku: "SKU-NOPE", location, quantity: 5, occurredAt: "2026-11-28T12:00:00Z" }),
          status: 422,
          step: "MAP",
          error: /no mapping for PRODUCT SKU-NOPE from WMS/,
        },
        {
          name: "unknown location",
          path: "/ingest/wms/inventory",
          body: JSON.stringify({ eventId: "t6", type: "RECEIPT", sku, location: "WH-NOWHERE", quantity: 5, occurredAt: "2026-11-28T12:00:00Z" }),
          status: 422,
          step: "MAP",
          error: /no mapping for LOCATION WH-NOWHERE from WMS/,
        },
        {
          name: "unknown unit",
          path: "/ingest/wms/inventory",
          body: JSON.stringify({ eventId: "t7", type: "RECEIPT", sku, location, quantity: 5, unit: "DRUM", occurredAt: "2026-11-28T12:00:00Z" }),
          status: 422,
          step: "MAP",
          error: /no mapping for UNIT DRUM from WMS/,
        },
        { name: "truncated EDI", path: "/ingest/x12", body: x12Template.slice(0, 300), status: 400, step: "PARSE", error: /truncated/ },
        { name: "not EDI", path: "/ingest/x12", body: "hello", status: 400, step: "PARSE", error: /must start with an ISA/ },
        {
          name: "oversized body",
          path: "/ingest/wms/inventory",
          body: Buffer.alloc(300 * 1024, 0x20),
          status: 413,
          step: "RECEIVE",
          error: /exceeds the limit/,
        },
        {
          name: "missing webhook id",
          path: "/ingest/shopify/inventory_levels/update",
          body: shopifyEvents[0],
          status: 422,
          step: "VALIDATE",
          error: /X-Shopify-Webhook-Id/,
        },
        {
          name: "untracked Shopify level",
          path: "/ingest/shopify/inventory_levels/update",
          body: JSON.stringify({ inventory_item_id: 1, location_id: 2, available: null, updated_at: "2026-11-28T12:00:00Z" }),
          headers: { "x-shopify-webhook-id": "wh-null" },
          status: 422,
          step: "VALIDATE",
          error: /available/,
        },
      ];
      for (const c of cases) {
        const before = await stockState(t.database.db);
        const res = await post(base, c.path, c.body, c.headers);
        expect(res.status, c.name).toBe(c.status);
        expect(res.json, c.name).toMatchObject({ state: "DEAD_LETTER", failedStep: c.step });
        expect(res.json.error, c.name).toMatch(c.error);
        const msg = (await gqlOk(url, MESSAGE, { id: res.json.messageId })).inboundMessage;
        expect(msg.state, c.name).toBe("DEAD_LETTER");
        const sent = Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body);
        const kept = Buffer.from(msg.rawBase64, "base64");
        if (c.status === 413) expect(sent.subarray(0, kept.length).equals(kept), c.name).toBe(true);
        else if (c.path !== "/ingest/wms/inventory" || c.step === "PARSE") expect(kept.equals(sent), c.name).toBe(true);
        else expect(JSON.parse(kept.toString()), c.name).toEqual(JSON.parse(sent.toString()));
        expect(await stockState(t.database.db), c.name).toEqual(before);
      }
      const dead = await gqlOk(url, `{ inboundMessages(filter: { state: [DEAD_LETTER], source: "wms" }, first: 100) { totalCount nodes { state source } } }`);
      expect(dead.inboundMessages.totalCount).toBe(cases.filter((c) => c.path === "/ingest/wms/inventory").length);
      expect(dead.inboundMessages.nodes.every((m: any) => m.state === "DEAD_LETTER" && m.source === "wms")).toBe(true);
    });

    it("replays a dead letter after the mapping is fixed, with the same result as a first-time success", async () => {
      const event = { eventId: "late-item-1", type: "RECEIPT", sku: "SKU-NEW-1", location, quantity: 7, occurredAt: "2026-11-28T13:00:00Z" };
      const res = await post(base, "/ingest/wms/inventory", JSON.stringify(event));
      expect(res.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "MAP" });
      await t.database.db.product.create({ data: { sku: "SKU-NEW-1", description: "Newly onboarded item", baseUnit: "EA" } });
      const replay = await gqlOk(url, `mutation($id: ID!) { replayInboundMessage(id: $id) { id state error attempts } }`, { id: res.json.messageId });
      expect(replay.replayInboundMessage).toMatchObject({ state: "PROCESSED", error: null });
      const again = await gqlOk(url, `mutation($id: ID!) { replayInboundMessage(id: $id) { state } }`, { id: res.json.messageId });
      expect(again.replayInboundMessage.state).toBe("PROCESSED");
      const p = await gqlOk(url, `{ inventoryPosition(sku: "SKU-NEW-1", locationId: "${locationId}") { onHand version } }`);
      expect(p.inventoryPosition).toEqual({ onHand: 7, version: 1 });
      expect(await t.database.db.eventLog.count({ where: { aggregateId: `SKU-NEW-1@${locationId}` } })).toBe(1);
      const missing = await gql(url, `mutation { replayInboundMessage(id: "nope") { id } }`);
      expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    });

    it("lists and replays dead letters from the command line (npm run ops)", async () => {
      const bad = await post(
        base,
        "/ingest/wms/inventory",
        JSON.stringify({ eventId: "cli-1", type: "RECEIPT", sku: "SKU-CLI", location, quantity: 3, occurredAt: "2026-11-28T14:00:00Z" }),
      );
      expect(bad.json.state).toBe("DEAD_LETTER");
      const list = await runOps(url, ["dead-letters", "--source", "wms", "--first", "200"]);
      expect(list.status).toBe(0);
      expect(list.stdout).toMatch(/^\d+ dead letter\(s\)/);
      expect(list.stdout).toContain(bad.json.messageId);
      expect(list.stdout).toContain("no mapping for PRODUCT SKU-CLI from WMS");

      const stillBroken = await runOps(url, ["replay", bad.json.messageId]);
      expect(stillBroken.status).toBe(1);
      expect(stillBroken.stdout).toContain("DEAD_LETTER [MAP]");

      await t.database.db.product.create({ data: { sku: "SKU-CLI", description: "Onboarded for the CLI test", baseUnit: "EA" } });
      const fixed = await runOps(url, ["replay", bad.json.messageId]);
      expect(fixed.status).toBe(0);
      expect(fixed.stdout).toContain(`${bad.json.messageId}: PROCESSED`);
      expect((await runOps(url, ["consumers"])).stdout).toMatch(/orders\.stock-availability: at \d+/);
      const unreachable = await runOps("http://127.0.0.1:1/graphql", ["consumers"]);
      expect(unreachable.status).toBe(1);
      expect(unreachable.stderr).toMatch(/cannot reach the gateway/);
    });

    it("reports drift against a full snapshot without applying, then applies it", async () => {
      const zone = "LOC-WH-CLT-B";
      const current = await t.database.db.inventoryPosition.findMany({ where: { locationId: zone }, orderBy: { sku: "asc" } });
      expect(current.length).toBeGreaterThan(2);
      // A full count (asked for explicitly): it agrees on all but two positions and leaves one out (counts as 0).
      const positions = current.slice(1).map((p, i) => ({ sku: p.sku, locationId: zone, onHand: i < 2 ? p.onHand + 5 : p.onHand }));
      const snapshot = { asOf: "2026-11-28T20:00:00Z", full: true, positions };
      const mutation = `mutation($s: InventorySnapshotInput!, $apply: Boolean) { reconcileInventory(snapshot: $s, apply: $apply) {
        applied positionsCompared positionsWithDrift totalAbsoluteDrift byLocation { locationId positionsWithDrift } lines { sku current snapshot drift outcome } } }`;
      const before = await stockState(t.database.db);
      const report = (await gqlOk(url, mutation, { s: snapshot, apply: false })).reconcileInventory;
      expect(report).toMatchObject({ applied: false, positionsCompared: current.length, positionsWithDrift: 3, totalAbsoluteDrift: 10 + current[0].onHand });
      expect(report.lines.every((l: any) => l.outcome === "NOT_APPLIED")).toBe(true);
      expect(await stockState(t.database.db)).toEqual(before);

      const applied = (await gqlOk(url, mutation, { s: snapshot, apply: true })).reconcileInventory;
      expect(applied.lines.every((l: any) => l.outcome === "APPLIED")).toBe(true);
      const after = await t.database.db.inventoryPosition.findMany({ where: { locationId: zone }, orderBy: { sku: "asc" } });
      expect(after[0].onHand).toBe(0);
      expect(after.slice(1).map((p) => p.onHand)).toEqual(positions.map((p) => p.onHand));
      expect((await stockState(t.database.db)).events).toBe(before.events + 3);
    });
  });
}
