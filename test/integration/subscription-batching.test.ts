// Batched follow-ups when a subscriber has a queue: the entities of the events waiting for one
// subscriber are fetched a full batch per query, not one query per event. (Issue 7 item 9: asking
// for "the next events' entities" on every delivery slid a window one event at a time, so after
// the first batch every query fetched a single entity and a subscriber with a queue fell ever
// further behind: 869 queries for 980 entities in the rate benchmark.)
// FOLLOW_UP_BATCH_SIZE is 10 here so a small burst spans several batches. The batching does not
// depend on the store: PGlite only, like subscription-caps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, type ExecutionResult } from "graphql";
import type { Client } from "graphql-ws";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { post } from "../helpers/ingest.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import { subscriptionOptionsFromEnv } from "../../app/config.js";
import { allScopes } from "../../platform/auth/scopes.js";

const BATCH = 10;
const SELECTION = `sequence after { onHand } position { sku available product { description } location { name } }`;

describe("batched follow-ups for a subscriber with a queue", () => {
  let t: TestApp;
  let client: Client;
  let n = 0;
  /** One request, one transaction: `count` receipts at WH-ATL spread over the skus. */
  const burst = async (skus: string[], count: number) => {
    const events = Array.from({ length: count }, (_, i) => ({
      eventId: `batching-${n++}`,
      type: "RECEIPT",
      sku: skus[i % skus.length],
      location: "WH-ATL",
      quantity: 1,
      occurredAt: new Date().toISOString(),
    }));
    const res = await post(t.app.url.replace(/\/graphql$/, "/"), "/ingest/wms/inventory", JSON.stringify(events));
    expect(res.status).toBe(200);
  };
  const counters = () => ({ executed: t.app.subscriptions.followUps.executed, fetched: t.app.subscriptions.followUps.fetched });
  /** The sku each event after `since` changed, from the log (aggregate ids are sku@location). */
  const skuBySequence = async (since: bigint) =>
    new Map(
      (await t.database.db.eventLog.findMany({ where: { type: "InventoryChanged", sequence: { gt: since } } })).map((e) => [
        String(e.sequence),
        e.aggregateId.split("@")[0],
      ]),
    );
  const head = async () => (await t.database.db.eventLog.aggregate({ _max: { sequence: true } }))._max.sequence ?? 0n;

  /** Every event delivered once, in log order, each with its own position (not a neighbour's). */
  const expectDelivered = async (
    events: { sequence: string; position: { sku: string; product: { description: string } } | null }[],
    since: bigint,
    count: number,
  ) => {
    const skus = await skuBySequence(since);
    expect(events.map((e) => e.sequence)).toEqual([...skus.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    expect(events).toHaveLength(count);
    for (const e of events) {
      expect(e.position?.sku).toBe(skus.get(e.sequence));
      expect(e.position?.product.description).toEqual(expect.any(String));
    }
  };

  beforeAll(async () => {
    t = await startTestApp("pglite", { subscriptionOptions: { ...subscriptionOptionsFromEnv({}), bufferLimit: 500, followUpBatchSize: BATCH } });
    client = wsClient(t.app.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await t?.close();
  });

  it("fetches a held-back subscriber's queue in full batches: N queued events cost ceil(N / FOLLOW_UP_BATCH_SIZE) queries", async () => {
    const skus = t.demo.products.slice(100, 106).map((p) => p.sku);
    const since = await head();
    // Called on the engine directly, so with the context graphql-ws would give it: a subscriber
    // with every scope (its follow-ups run as the subscriber).
    const contextValue = { correlationId: "batching-test", identity: { subject: "test", scopes: allScopes }, clientName: null };
    const iterator = (await t.app.subscriptions.engine.subscribe({
      schema: undefined as never,
      contextValue,
      document: parse(`subscription { inventoryChanged(locationId: "LOC-WH-ATL") { ${SELECTION} } }`),
    })) as AsyncIterableIterator<ExecutionResult>;
    // Nobody reads while three bursts arrive: 95 events wait in the subscriber's queue.
    for (const count of [30, 30, 35]) {
      await burst(skus, count);
      await t.app.subscriptions.follower!.poke();
    }
    expect(t.app.subscriptions.engine.maxBuffered).toBeGreaterThanOrEqual(94);
    const before = counters();
    const events = [];
    for (let i = 0; i < 95; i++) {
      // A consumer writing each result to a socket comes back on a later turn of the event loop,
      // as graphql-ws does: deliveries do not share one tick (where DataLoader would gather them).
      if (i) await new Promise((r) => setImmediate(r));
      const r = (await iterator.next()).value as ExecutionResult<any>;
      expect(r.errors).toBeUndefined();
      events.push(r.data!.inventoryChanged);
    }
    await iterator.return!();
    await expectDelivered(events, since, 95);
    const executed = counters().executed - before.executed;
    expect(executed).toBe(Math.ceil(95 / BATCH));
    // Six positions: a batch of ten events fetches each position once.
    expect(counters().fetched - before.fetched).toBeLessThanOrEqual(skus.length * executed);
  });

  it("batches a burst a real client is reading as it arrives, still one query per full batch", async () => {
    const skus = t.demo.products.slice(110, 114).map((p) => p.sku);
    await subscribed(t.app.subscriptions.follower, 0); // the previous test's subscription is released
    const sub = collect(client, `subscription { inventoryChanged(locationId: "LOC-WH-ATL") { ${SELECTION} } }`);
    await subscribed(t.app.subscriptions.follower, 1);
    const since = await head();
    const before = counters();
    await burst(skus, 45);
    await sub.waitFor(45);
    for (const r of sub.results) expect(r.errors).toBeUndefined();
    await expectDelivered(
      sub.results.map((r) => r.data!.inventoryChanged),
      since,
      45,
    );
    expect(counters().executed - before.executed).toBeLessThanOrEqual(Math.ceil(45 / BATCH));
    sub.stop();
  });
});
