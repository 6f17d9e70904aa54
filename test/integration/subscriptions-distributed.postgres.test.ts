// Subscriptions in scale-out: two gateway processes on one PostgreSQL see every change, whichever
// of them committed it; a subscription survives a subgraph restart.
import { bearer, testSecurity, TEST_GATEWAY_SECRET } from "../helpers/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../helpers/databases.js";
import { testServerConfig } from "../helpers/embedded-app.js";
import { gqlOk } from "../helpers/graphql.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import { startSubgraphServer, type RunningSubgraph } from "../../app/subgraph-process.js";
import { startGateway, type RunningGateway } from "../../gateway/standalone.js";
import { subscriptionSpecs } from "../../app/subscription-specs.js";
import { composeOwnSupergraph } from "../../app/supergraph.js";
import { generateDemoData } from "../../demo/generate.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";
import type { Client } from "graphql-ws";
import { subscriptionOptionsFromEnv } from "../../app/config.js";

describe.runIf(postgresAvailable())("subscriptions across two gateways on a PostgreSQL server", () => {
  let database: TestDatabase;
  let subgraphs: Record<SubgraphName, RunningSubgraph>;
  let gateways: RunningGateway[];
  let clients: Client[];
  const demo = generateDemoData();
  // The follower's fallback poll is beyond the test's time limit: delivery proves NOTIFY at work,
  // however long a loaded machine takes.
  const subscriptionOptions = { ...subscriptionOptionsFromEnv({}), pollIntervalMs: 60 * 60_000 };

  beforeAll(async () => {
    database = await createTestDatabase("postgres", { demo: true });
    const started = await Promise.all(
      subgraphNames.map((n) => startSubgraphServer(n, database, testServerConfig, {}, testSecurity({ gatewaySecret: TEST_GATEWAY_SECRET }))),
    );
    subgraphs = Object.fromEntries(started.map((s) => [s.name, s])) as Record<SubgraphName, RunningSubgraph>;
    const supergraph = composeOwnSupergraph(Object.fromEntries(started.map((s) => [s.name, s.url])) as Record<SubgraphName, string>);
    gateways = [
      await startGateway({
        supergraphSdl: supergraph,
        config: testServerConfig,
        database,
        subscriptionSpecs,
        subscriptionOptions,
        security: testSecurity({ gatewaySecret: TEST_GATEWAY_SECRET }),
      }),
      await startGateway({
        supergraphSdl: supergraph,
        config: testServerConfig,
        database,
        subscriptionSpecs,
        subscriptionOptions,
        security: testSecurity({ gatewaySecret: TEST_GATEWAY_SECRET }),
      }),
    ];
    clients = gateways.map((g) => wsClient(g.url));
  });
  afterAll(async () => {
    await Promise.all((clients ?? []).map((c) => c.dispose()));
    for (const g of gateways ?? []) await g.close();
    await Promise.all(Object.values(subgraphs ?? {}).map((s) => s.close()));
    await database?.close();
  });

  it("delivers a change committed through either gateway to subscribers on both", async () => {
    const orders = demo.orders.filter((o) => o.status === "ALLOCATED").slice(0, 2);
    const query = `subscription($ids: [OrderStatus!]) { orderStatusChanged(statuses: $ids) { newStatus order { id status } } }`;
    const subs = clients.map((c) => collect(c, query, { ids: ["RELEASED"] }));
    await Promise.all(gateways.map((g) => subscribed(g.subscriptions.follower, 1)));
    // One change through each gateway; each reaches the subscribers of both.
    await gqlOk(gateways[0].url, `mutation($id: ID!) { updateOrderStatus(id: $id, status: RELEASED) { id } }`, { id: orders[0].id });
    await gqlOk(gateways[1].url, `mutation($id: ID!) { updateOrderStatus(id: $id, status: RELEASED) { id } }`, { id: orders[1].id });
    await Promise.all(subs.map((s) => s.waitFor(2, 45_000)));
    for (const s of subs) {
      expect(s.results.map((r) => r.data.orderStatusChanged.order.id).sort()).toEqual(orders.map((o) => o.id).sort());
      expect(s.results.every((r) => r.data.orderStatusChanged.order.status === "RELEASED")).toBe(true);
      s.stop();
    }
  });

  it("keeps a subscription alive through a subgraph restart", async () => {
    const sku = demo.products[70].sku;
    const sub = collect(
      clients[0],
      `subscription($sku: String) { inventoryChanged(sku: $sku) { sequence after { onHand } position { product { description } } } }`,
      { sku },
    );
    await subscribed(gateways[0].subscriptions.follower, 1);
    const authorization = await bearer();
    const receipt = (id: string) =>
      fetch(gateways[1].url.replace(/\/graphql$/, "/ingest/wms/inventory"), {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify({ eventId: id, type: "RECEIPT", sku, location: "WH-ATL", quantity: 1, occurredAt: new Date().toISOString() }),
      }).then((r) => r.json());

    const inventory = subgraphs.inventory;
    const port = Number(new URL(inventory.url).port);
    await inventory.close();
    expect((await receipt("restart-1")).state).toBe("PROCESSED"); // ingestion lives in operations
    await sub.waitFor(1);
    expect(sub.results[0].errors?.[0]?.extensions?.code).toBe("SUBGRAPH_UNAVAILABLE");
    // The event itself survives the failed follow-up: its sequence is what a client resumes from.
    expect(sub.results[0].data?.inventoryChanged).toEqual({ sequence: expect.stringMatching(/^\d+$/), after: { onHand: expect.any(Number) }, position: null });

    subgraphs.inventory = await startSubgraphServer(
      "inventory",
      database,
      { ...testServerConfig, port },
      {},
      testSecurity({ gatewaySecret: TEST_GATEWAY_SECRET }),
    );
    await receipt("restart-2");
    await sub.waitFor(2);
    expect(sub.results[1].errors).toBeUndefined();
    expect(sub.results[1].data.inventoryChanged.position.product.description).toBe(demo.products[70].description);
    expect(BigInt(sub.results[1].data.inventoryChanged.sequence) > BigInt(sub.results[0].data?.inventoryChanged?.sequence ?? 0)).toBe(true);
    sub.stop();
  });
});
