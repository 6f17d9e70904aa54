// The all-in-one process as a scaling unit (issue 12 item 7): two copies of the embedded app
// (gateway and every subgraph in one process, in-process calls) on one PostgreSQL, as N replicas
// behind a load balancer would run. A sender's events land on either replica, resends included,
// and each is applied exactly once; a subscriber on
// one replica sees every change, whichever replica stored it; an order placed on one is read on
// the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbedded, type RunningApp } from "../../app/embedded.js";
import { openDatabase, type Database } from "../../platform/db/index.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../helpers/databases.js";
import { TEST_NOW, testServerConfig } from "../helpers/embedded-app.js";
import { testSecurity } from "../helpers/auth.js";
import { gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import { generateDemoData } from "../../demo/generate.js";
import type { Client } from "graphql-ws";

describe.runIf(postgresAvailable())("all-in-one replicas on one PostgreSQL", () => {
  let database: TestDatabase;
  let second: Database;
  let replicas: RunningApp[];
  let client: Client;
  const demo = generateDemoData();
  const hostOptions = { autoRelease: false, pollIntervalMs: 200, ingest: { now: () => TEST_NOW } };

  beforeAll(async () => {
    database = await createTestDatabase("postgres", { demo: true });
    // Each replica with its own connection pool, as two processes would have.
    second = await openDatabase({ kind: "postgres", url: database.url! }, { migrate: false });
    replicas = [
      await startEmbedded(database, testServerConfig, hostOptions, undefined, "graphiql", testSecurity()),
      await startEmbedded(second, testServerConfig, hostOptions, undefined, "graphiql", testSecurity()),
    ];
    client = wsClient(replicas[0]!.url);
  });
  afterAll(async () => {
    await client?.dispose();
    for (const r of replicas ?? []) await r.close();
    await second?.close();
    await database?.close();
  });

  it("applies events sent to either replica (resends included) exactly once, and a subscriber on one sees those stored by the other", async () => {
    const { sku } = (await database.db.inventoryPosition.findFirst({ where: { locationId: "LOC-WH-ATL" }, orderBy: { sku: "asc" }, skip: 40 }))!;
    const description = demo.products.find((p) => p.sku === sku)!.description;
    const onHand = async () => (await database.db.inventoryPosition.findUnique({ where: { sku_locationId: { sku, locationId: "LOC-WH-ATL" } } }))!.onHand;
    const before = await onHand();
    const sub = collect(
      client,
      `subscription($sku: String) { inventoryChanged(sku: $sku) { sequence after { onHand } position { product { description } } } }`,
      { sku },
    );
    await subscribed(replicas[0]!.subscriptions.follower, 1);

    const event = (i: number) =>
      JSON.stringify({ eventId: `replica-${i}`, type: "RECEIPT", sku, location: "WH-ATL", quantity: i + 1, occurredAt: "2026-11-28T10:00:00Z" });
    const base = (r: number) => replicas[r]!.url.replace(/\/graphql$/, "/");
    // 20 events, each sent to one replica and resent at the same time to the other.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => [
        post(base(i % 2), "/ingest/wms/inventory", event(i)),
        post(base((i + 1) % 2), "/ingest/wms/inventory", event(i)),
      ]).flat(),
    );
    // One of each pair applied it (200 PROCESSED); the other is a duplicate of it: 200 with the
    // first outcome, or 202 while the first was still being applied.
    const outcomes = answers.map((a) => `${a.status} ${a.json.state}`);
    expect(outcomes.filter((o) => o === "200 PROCESSED")).toHaveLength(20);
    expect(outcomes.filter((o) => o === "200 DUPLICATE" || o === "202 DUPLICATE")).toHaveLength(20);
    const expected = Array.from({ length: 20 }, (_, i) => i + 1).reduce((a, b) => a + b, 0);
    expect(await onHand()).toBe(before + expected);
    expect(await database.db.stockMovement.count({ where: { sku, locationId: "LOC-WH-ATL", sourceEventId: { contains: "replica-" } } })).toBe(20);

    // Every change reaches the subscriber on replica 0, once each and in the log's order.
    await sub.waitFor(20, 60_000);
    const sequences = sub.results.map((r) => BigInt(r.data!.inventoryChanged.sequence));
    expect(new Set(sequences).size).toBe(20);
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
    expect(sub.results.at(-1)!.data!.inventoryChanged.after.onHand).toBe(before + expected);
    expect(sub.results.every((r) => r.data!.inventoryChanged.position.product.description === description)).toBe(true);
    sub.stop();

    // Both replicas' consumers ran on these events (the consumers suite proves they share the
    // work without doubling it): none of them parked one.
    expect(await database.db.parkedEvent.count({ where: { resolvedAt: null } })).toBe(0);
  });

  it("reads on one replica an order placed through the other", async () => {
    const customer = demo.customers.find((c) => c.businessUnitId)!;
    const product = demo.products[41]!;
    const placed = await gqlOk(replicas[1]!.url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome order { id } } }`, {
      i: { idempotencyKey: "replica-order-1", customerId: customer.id, lines: [{ sku: product.sku, quantity: 1 }] },
    });
    const id = placed.placeOrder.order.id;
    const read = await gqlOk(replicas[0]!.url, `query($id: ID!) { order(id: $id) { id customer { id } lines { sku } } }`, { id });
    expect(read.order).toEqual({ id, customer: { id: customer.id }, lines: [{ sku: product.sku }] });
    // The same key on the other replica answers with the first order, not a second one.
    const again = await gqlOk(replicas[0]!.url, `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { replayed order { id } } }`, {
      i: { idempotencyKey: "replica-order-1", customerId: customer.id, lines: [{ sku: product.sku, quantity: 1 }] },
    });
    expect(again.placeOrder).toEqual({ replayed: true, order: { id } });
  });
});
