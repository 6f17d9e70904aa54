// Fan-out of one event to many subscribers (issue 12 item 5): subscribers of one delivery group
// (same document, variables but `since`, and access) share one result per event, which the
// WebSocket transport serialises once; a burst's entities come from one batched follow-up.
// Raw WebSocket clients, so the test sees the bytes each socket received. The fan-out does not
// depend on the store: PGlite only, like subscription-batching.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { post } from "../helpers/ingest.js";
import { subscribed } from "../helpers/ws-client.js";
import { bearer } from "../helpers/auth.js";

/** A graphql-transport-ws subscriber on its own socket, keeping every `next` message as received. */
async function rawSubscriber(httpUrl: string, query: string, variables: Record<string, unknown>) {
  const socket = new WebSocket(httpUrl.replace(/^http/, "ws"), "graphql-transport-ws");
  const messages: string[] = [];
  socket.on("message", (data) => {
    const text = data.toString();
    const type = JSON.parse(text).type;
    if (type === "connection_ack") socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
    else if (type === "next") messages.push(text);
  });
  await new Promise((r) => socket.once("open", r));
  socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: await bearer() } }));
  return {
    messages,
    waitFor: async (n: number) => {
      for (const deadline = Date.now() + 30_000; messages.length < n; await new Promise((r) => setTimeout(r, 20)))
        if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${messages.length}`);
    },
    close: () => socket.close(),
  };
}

const DASHBOARD = `subscription($since: String) { inventoryChanged(locationId: "LOC-WH-ATL", since: $since) { sequence reason after { onHand }
  position { sku available product { description openDemand } location { name } } } }`;
const OTHER = `subscription { inventoryChanged(locationId: "LOC-WH-ATL") { sequence position { sku onHand } } }`;

describe("fan-out of one event to many subscribers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("pglite");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("computes and serialises each event's result once per delivery group, from one follow-up for the whole burst", async () => {
    const head = String((await t.database.db.eventLog.aggregate({ _max: { sequence: true } }))._max.sequence ?? 0n);
    // Three dashboards on one selection (one resuming with since: only where it starts differs) and one other selection.
    const dashboards = await Promise.all([
      rawSubscriber(t.app.url, DASHBOARD, { since: null }),
      rawSubscriber(t.app.url, DASHBOARD, { since: null }),
      rawSubscriber(t.app.url, DASHBOARD, { since: head }),
    ]);
    const other = await rawSubscriber(t.app.url, OTHER, {});
    await subscribed(t.app.subscriptions.follower, 4);
    const { engine, followUps } = t.app.subscriptions;
    const before = { computed: engine.results.computed, reused: engine.results.reused, executed: followUps.executed };

    const skus = t.demo.products.slice(120, 123).map((p) => p.sku);
    const K = 6;
    const events = Array.from({ length: K }, (_, i) => ({
      eventId: `fanout-${i}`,
      type: "RECEIPT",
      sku: skus[i % skus.length],
      location: "WH-ATL",
      quantity: i + 1,
      occurredAt: new Date().toISOString(),
    }));
    const res = await post(t.app.url.replace(/\/graphql$/, "/"), "/ingest/wms/inventory", JSON.stringify(events));
    expect(res.status).toBe(200);
    await Promise.all([...dashboards, other].map((s) => s.waitFor(K)));

    // Every dashboard got the same bytes: each event once, in log order, with its own position.
    const [first, ...rest] = dashboards;
    for (const s of rest) expect(s.messages).toEqual(first.messages);
    const delivered = first.messages.map((m) => JSON.parse(m).payload.data.inventoryChanged);
    const logged = await t.database.db.eventLog.findMany({ where: { type: "InventoryChanged", sequence: { gt: BigInt(head) } }, orderBy: { sequence: "asc" } });
    expect(delivered.map((e: any) => e.sequence)).toEqual(logged.map((e) => String(e.sequence)));
    expect(delivered.map((e: any) => e.position.sku)).toEqual(events.map((e) => e.sku));
    for (const e of delivered) {
      expect(e.position.product.description).toEqual(expect.any(String));
      expect(typeof e.position.product.openDemand).toBe("number"); // from the orders subgraph
    }
    const others = other.messages.map((m) => JSON.parse(m).payload.data.inventoryChanged);
    expect(others.map((e: any) => e.sequence)).toEqual(delivered.map((e: any) => e.sequence));
    expect(Object.keys(others[0].position)).toEqual(["sku", "onHand"]);

    // One result per event per group (two groups), the other two dashboards reuse it; one follow-up per selection for the burst.
    expect(engine.results.computed - before.computed).toBe(2 * K);
    expect(engine.results.reused - before.reused).toBe(2 * K);
    expect(followUps.executed - before.executed).toBe(2);
    for (const s of [...dashboards, other]) s.close();
  });
});
