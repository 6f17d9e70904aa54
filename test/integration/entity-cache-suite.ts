// The gateway's entity cache (GATEWAY_CACHE, issue 12 item 2), on either store: repeated views
// answered without subgraph fetches and byte for byte as without the cache; an event in the log
// (stock ingested, an order cancelled) evicts exactly the answers showing what it touched, on
// every replica (two all-in-one replicas on PostgreSQL); a mutation's caller reads its own write
// at once; answers the log cannot keep fresh, or for another caller's access, are not shared.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbedded, type RunningApp } from "../../app/embedded.js";
import { openDatabase, type Database } from "../../platform/db/index.js";
import { registry } from "../../platform/telemetry/metrics.js";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/databases.js";
import { TEST_NOW, testServerConfig } from "../helpers/embedded-app.js";
import { bearer, signTestToken, testSecurity } from "../helpers/auth.js";
import { gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { waitFor } from "../helpers/wait.js";
import { generateDemoData } from "../../demo/generate.js";

const VIEW = `query View($id: ID!) { order(id: $id) { orderNumber status lines { lineNumber quantityOrdered product { description availableQuantity positions { onHand location { id name } } } } } }`;

/** POSTs a query and returns the body exactly as sent, with how the cache took part. */
async function ask(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: await bearer(token) },
    body: JSON.stringify({ query, variables }),
  });
  return { text: await res.text(), cache: res.headers.get("x-entity-cache") };
}

async function subgraphFetches(): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === "gateway_subgraph_fetch_seconds");
  const values = (metric?.values ?? []) as { metricName?: string; value: number }[];
  return values.filter((v) => v.metricName === "gateway_subgraph_fetch_seconds_count").reduce((sum, v) => sum + v.value, 0);
}

export function entityCacheSuite(kind: StoreKind) {
  let database: TestDatabase;
  let second: Database | null = null;
  let replicas: RunningApp[];
  const demo = generateDemoData();
  const config = { ...testServerConfig, entityCache: { enabled: true, ttlMs: 60_000, maxEntries: 1000, maxBytes: 16 * 1024 * 1024 } };
  const hostOptions = { autoRelease: false, ingest: { now: () => TEST_NOW } };
  const allocated = demo.orders.filter((o) => o.status === "ALLOCATED");
  const last = () => replicas[replicas.length - 1]!;

  beforeAll(async () => {
    database = await createTestDatabase(kind, { demo: true });
    replicas = [await startEmbedded(database, config, hostOptions, undefined, "graphiql", testSecurity())];
    if (kind === "postgres") {
      // A second replica with its own pool and its own cache, as a second process would have.
      second = await openDatabase({ kind: "postgres", url: database.url! }, { migrate: false });
      replicas.push(await startEmbedded(second, config, hostOptions, undefined, "graphiql", testSecurity()));
    }
  });
  afterAll(async () => {
    for (const r of replicas ?? []) await r.close();
    await second?.close();
    await database?.close();
  });

  it("answers a repeated view from the cache, without a subgraph fetch, byte for byte as the first time", async () => {
    const id = allocated[0]!.id;
    const first = await ask(replicas[0]!.url, VIEW, { id });
    expect(first.cache).toBe("miss");
    expect(JSON.parse(first.text).data.order.lines.length).toBeGreaterThan(0);
    const fetches = await subgraphFetches();
    const again = await ask(replicas[0]!.url, VIEW, { id });
    expect(again.cache).toBe("hit");
    expect(again.text).toBe(first.text);
    expect(await subgraphFetches()).toBe(fetches);
    // The fields the cache adds to name the entities never reach the client.
    expect(first.text).not.toContain("_entityCache");
  });

  it("evicts the views showing a product when its stock changes, on every replica", async () => {
    const order = allocated[1]!;
    const linesOf = (orderId: string) => demo.orderLines.filter((l) => l.orderId === orderId);
    const sku = linesOf(order.id).find((l) => l.lineNumber === 1)!.sku;
    // A stock position of that product, and the location code a WMS names it by.
    const locationId = demo.inventoryPositions.find((p) => p.sku === sku)!.locationId;
    const locationCode = demo.locations.find((l) => l.id === locationId)!.code;
    const onHandThere = (text: string) =>
      JSON.parse(text)
        .data.order.lines.find((l: { lineNumber: number }) => l.lineNumber === 1)
        .product.positions.find((p: { location: { id: string } }) => p.location.id === locationId)?.onHand as number;
    for (const r of replicas) await ask(r.url, VIEW, { id: order.id });
    const cached = await ask(last().url, VIEW, { id: order.id });
    expect(cached.cache).toBe("hit");
    const before = onHandThere(cached.text);
    expect(before).toBeTypeOf("number");
    // An unrelated order's view stays cached through the change.
    const other = allocated.find((o) => linesOf(o.id).every((l) => l.sku !== sku))!;
    await ask(last().url, VIEW, { id: other.id });

    const base = replicas[0]!.url.replace(/\/graphql$/, "/");
    const receipt = JSON.stringify({
      eventId: `cache-receipt-${kind}`,
      type: "RECEIPT",
      sku,
      location: locationCode,
      quantity: 7,
      occurredAt: "2026-11-28T10:00:00Z",
    });
    expect((await post(base, "/ingest/wms/inventory", receipt)).status).toBe(200);
    // Each replica reads the InventoryChanged from the log and drops the view that shows it.
    for (const r of replicas) {
      await waitFor(async () => onHandThere((await ask(r.url, VIEW, { id: order.id })).text) === before + 7, "the new stock on a replica", 20_000);
    }
    expect((await ask(last().url, VIEW, { id: order.id })).cache).toBe("hit");
    expect((await ask(last().url, VIEW, { id: other.id })).cache).toBe("hit");
  });

  it("lets a mutation's caller read its own write at once, and evicts lists of the changed type", async () => {
    const order = allocated[2]!;
    const page = `query { orders(first: 5, filter: { status: [CANCELLED] }) { totalCount } }`;
    const cancelledBefore = JSON.parse((await ask(replicas[0]!.url, page, {})).text).data.orders.totalCount as number;
    expect((await ask(replicas[0]!.url, page, {})).cache).toBe("hit");
    expect(JSON.parse((await ask(replicas[0]!.url, VIEW, { id: order.id })).text).data.order.status).toBe("ALLOCATED");
    expect((await ask(replicas[0]!.url, VIEW, { id: order.id })).cache).toBe("hit");

    await gqlOk(replicas[0]!.url, `mutation($id: ID!) { cancelOrder(id: $id, reason: "cache test") { id status } }`, { id: order.id });
    // No wait: the mutation's answer came after this replica had read the events it wrote.
    const after = await ask(replicas[0]!.url, VIEW, { id: order.id });
    expect(JSON.parse(after.text).data.order.status).toBe("CANCELLED");
    expect(after.cache).toBe("miss");
    expect(JSON.parse((await ask(replicas[0]!.url, page, {})).text).data.orders.totalCount).toBe(cancelledBefore + 1);
  });

  it("does not cache what the log does not announce, nor share an answer between two callers' access", async () => {
    const id = allocated[3]!.id;
    const withCustomer = `query($id: ID!) { order(id: $id) { id customer { id name } } }`;
    await ask(replicas[0]!.url, withCustomer, { id });
    expect((await ask(replicas[0]!.url, withCustomer, { id })).cache).toBe("bypass");
    await ask(replicas[0]!.url, `query { __schema { queryType { name } } }`, {});
    expect((await ask(replicas[0]!.url, `query { __schema { queryType { name } } }`, {})).cache).toBe("bypass");

    // A customer's token sees only its own orders: the admin's cached answer is not its answer.
    const owner = allocated[3]!.customerId;
    const stranger = demo.customers.find((c) => c.id !== owner)!.id;
    const admin = await ask(replicas[0]!.url, VIEW, { id });
    expect(JSON.parse(admin.text).data.order).not.toBeNull();
    const token = await signTestToken({ sub: "cache-customer", customerId: stranger });
    const theirs = await ask(replicas[0]!.url, VIEW, { id }, token);
    expect(theirs.cache).toBe("miss");
    expect(JSON.parse(theirs.text).data.order).toBeNull();
  });
}
