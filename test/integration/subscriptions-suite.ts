// Subscriptions through the gateway with a real graphql-ws client: filters, selections that
// cross subgraphs (aliases and fragments included), shared and batched follow-ups, since-replay
// without gap or duplicate, many replays at once paced, slow subscribers, released listeners and
// the connection_init timeout.
import { bearer } from "../helpers/auth.js";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import WebSocket from "ws";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import type { StoreKind } from "../helpers/databases.js";
import type { Client } from "graphql-ws";
import { subscriptionOptionsFromEnv } from "../../app/config.js";

export function subscriptionsSuite(kind: StoreKind) {
  describe(`subscriptions on ${kind}`, () => {
    let t: TestApp;
    let client: Client;
    let n = 0;
    const receipt = (sku: string, location = "WH-ATL", quantity = 1) =>
      post(
        t.app.url.replace(/\/graphql$/, "/"),
        "/ingest/wms/inventory",
        JSON.stringify({ eventId: `sub-${kind}-${n++}`, type: "RECEIPT", sku, location, quantity, occurredAt: new Date().toISOString() }),
      );
    /** One request, one transaction: `count` receipts spread over the skus. */
    const burst = async (skus: string[], count: number) => {
      const events = Array.from({ length: count }, (_, i) => ({
        eventId: `burst-${kind}-${n++}`,
        type: "RECEIPT",
        sku: skus[i % skus.length],
        location: "WH-ATL",
        quantity: 1,
        occurredAt: new Date().toISOString(),
      }));
      const res = await post(t.app.url.replace(/\/graphql$/, "/"), "/ingest/wms/inventory", JSON.stringify(events));
      expect(res.status).toBe(200);
    };
    const headSequence = async () => String((await t.database.db.eventLog.aggregate({ _max: { sequence: true } }))._max.sequence ?? 0n);

    beforeAll(async () => {
      t = await startTestApp(kind, {
        subscriptionOptions: { ...subscriptionOptionsFromEnv({}), bufferLimit: 50, replayPageSize: 50, connectionInitWaitTimeout: 500 },
      });
      client = wsClient(t.app.url);
    });
    afterAll(async () => {
      await client?.dispose();
      await t?.close();
    });

    it("delivers inventoryChanged for the filtered sku with fields from other subgraphs", async () => {
      const [a, b] = [t.demo.products[30].sku, t.demo.products[31].sku];
      await subscribed(t.app.subscriptions.follower, 0); // the previous test's subscriptions are released
      const sub = collect(
        client,
        `subscription($sku: String) { inventoryChanged(sku: $sku) { sequence reason before { onHand } after { onHand available }
          position { available locationId product { sku description openDemand } location { name kind } } } }`,
        { sku: a },
      );
      await subscribed(t.app.subscriptions.follower, 1);
      await receipt(b, "WH-ATL", 3);
      await receipt(a, "WH-ATL", 4);
      await sub.waitFor(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(sub.results).toHaveLength(1);
      const e = sub.results[0].data!.inventoryChanged;
      expect(sub.results[0].errors).toBeUndefined();
      expect(e.reason).toBe("RECEIPT");
      expect(e.after.onHand - e.before.onHand).toBe(4);
      expect(e.position.product.sku).toBe(a);
      expect(e.position.product.description).toBe(t.demo.products[30].description);
      expect(typeof e.position.product.openDemand).toBe("number"); // resolved by the orders subgraph
      expect(e.position.location).toEqual({ name: expect.stringContaining("Atlanta"), kind: "WAREHOUSE" });
      expect(e.position.available).toBe(e.after.available);
      sub.stop();
    });

    it("follows aliases and fragments (named, inline, on the event and inside the entity) in the entity selection", async () => {
      // A query through the gateway first, as in any running server: Apollo Server then wraps the
      // schema's resolvers, which is when aliases inside the entity used to come back null.
      await gqlOk(t.app.url, `{ products(first: 1) { nodes { sku } } }`);
      const sku = t.demo.products[33].sku;
      const query = `subscription($sku: String) { inventoryChanged(sku: $sku) {
          seq: sequence after { available }
          position { avail: available onHand }
          p: position { ...Pos }
          ... on InventoryChangedEvent { inline: position { ... on InventoryPosition { available } } }
          ...Ev
        } }
        fragment Pos on InventoryPosition { a: available product { s: sku } }
        fragment Ev on InventoryChangedEvent { fromFragment: position { locationId } }`;
      const sub = collect(client, query, { sku });
      await new Promise((r) => setTimeout(r, 200));
      await receipt(sku, "WH-ATL", 2);
      await sub.waitFor(1);
      expect(sub.results[0].errors).toBeUndefined();
      const e = sub.results[0].data!.inventoryChanged;
      const available = e.after.available;
      expect(e.seq).toMatch(/^\d+$/);
      expect(e.position).toEqual({ avail: available, onHand: expect.any(Number) });
      expect(e.p).toEqual({ a: available, product: { s: sku } });
      expect(e.inline).toEqual({ available });
      expect(e.fromFragment).toEqual({ locationId: "LOC-WH-ATL" });
      sub.stop();
    });

    it("filters orderStatusChanged by statuses and resolves the order across subgraphs", async () => {
      const order = t.demo.orders.find((o) => o.status === "ALLOCATED")!;
      await subscribed(t.app.subscriptions.follower, 0); // the previous test's subscriptions are released
      const sub = collect(
        client,
        `subscription($id: ID) { orderStatusChanged(orderId: $id, statuses: [CANCELLED]) { previousStatus newStatus order { id status customer { id name } } } }`,
        { id: order.id },
      );
      await subscribed(t.app.subscriptions.follower, 1);
      await gqlOk(t.app.url, `mutation($id: ID!) { updateOrderStatus(id: $id, status: RELEASED) { status } }`, { id: order.id });
      await gqlOk(t.app.url, `mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED, reason: "customer request") { status } }`, { id: order.id });
      await sub.waitFor(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(sub.results).toHaveLength(1);
      expect(sub.results[0].data!.orderStatusChanged).toEqual({
        previousStatus: "RELEASED",
        newStatus: "CANCELLED",
        order: { id: order.id, status: "CANCELLED", customer: { id: order.customerId, name: t.demo.customers.find((c) => c.id === order.customerId)!.name } },
      });
      sub.stop();
    });

    it("delivers shipmentMilestoneRecorded with the milestone and the shipment's new status", async () => {
      const shipment = t.demo.shipments.find((s) => s.status === "IN_TRANSIT") ?? t.demo.shipments.find((s) => s.status !== "DELIVERED")!;
      await subscribed(t.app.subscriptions.follower, 0); // the previous test's subscriptions are released
      const sub = collect(
        client,
        `subscription($s: ID) { shipmentMilestoneRecorded(shipmentId: $s) { milestone { code location } newStatus shipment { id status order { id } invoice { id } } } }`,
        { s: shipment.id },
      );
      await subscribed(t.app.subscriptions.follower, 1);
      await gqlOk(t.app.url, `mutation($i: MilestoneInput!) { recordShipmentMilestone(input: $i) { status } }`, {
        i: { shipmentId: shipment.id, code: "DELIVERED", occurredAt: new Date().toISOString(), location: "Solon, OH", source: "carrier" },
      });
      await sub.waitFor(1);
      const e = sub.results[0].data!.shipmentMilestoneRecorded;
      expect(e.milestone).toEqual({ code: "DELIVERED", location: "Solon, OH" });
      expect(e.newStatus).toBe("DELIVERED");
      expect(e.shipment).toMatchObject({ id: shipment.id, status: "DELIVERED", order: { id: shipment.orderId } });
      sub.stop();
    });

    it("rejects a transition the order lifecycle does not allow", async () => {
      const order = t.demo.orders.find((o) => o.status === "INVOICED")!;
      const res = await fetch(t.app.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: await bearer() },
        body: JSON.stringify({ query: `mutation($id: ID!) { updateOrderStatus(id: $id, status: ACCEPTED) { id } }`, variables: { id: order.id } }),
      }).then((r) => r.json());
      expect(res.errors[0].extensions.code).toBe("INVALID_STATUS_TRANSITION");
    });

    it("replays since a sequence, then goes live, with no gap and no duplicate", async () => {
      const sku = t.demo.products[40].sku;
      const since = await headSequence();
      for (let i = 0; i < 3; i++) await receipt(sku);
      const sub = collect(client, `subscription($sku: String, $since: String) { inventoryChanged(sku: $sku, since: $since) { sequence after { onHand } } }`, {
        sku,
        since,
      });
      await sub.waitFor(3);
      for (let i = 0; i < 3; i++) await receipt(sku);
      await sub.waitFor(6);
      await new Promise((r) => setTimeout(r, 300));
      const seqs = sub.results.map((r) => BigInt(r.data!.inventoryChanged.sequence));
      const expected = (
        await t.database.db.eventLog.findMany({
          where: { type: "InventoryChanged", sequence: { gt: BigInt(since) }, aggregateId: { startsWith: `${sku}@` } },
          orderBy: { sequence: "asc" },
        })
      ).map((e) => e.sequence);
      expect(seqs).toEqual(expected);
      expect(seqs).toHaveLength(6);
      const onHands = sub.results.map((r) => r.data!.inventoryChanged.after.onHand);
      expect(onHands).toEqual(onHands.map((_, i) => onHands[0] + i));
      sub.stop();
    });

    it("shares one follow-up per event among subscribers with the same selection", async () => {
      const sku = t.demo.products[50].sku;
      const query = `subscription($sku: String) { inventoryChanged(sku: $sku) { sequence position { onHand product { description } } } }`;
      await subscribed(t.app.subscriptions.follower, 0); // the previous test's subscriptions are released
      const subs = Array.from({ length: 5 }, () => collect(client, query, { sku }));
      const other = collect(client, `subscription($sku: String) { inventoryChanged(sku: $sku) { position { available } } }`, { sku });
      await subscribed(t.app.subscriptions.follower, 6);
      const before = t.app.subscriptions.followUps.executed;
      await receipt(sku);
      await Promise.all([...subs, other].map((s) => s.waitFor(1)));
      expect(t.app.subscriptions.followUps.executed - before).toBe(2);
      expect(new Set(subs.map((s) => JSON.stringify(s.results[0]))).size).toBe(1);
      for (const s of [...subs, other]) s.stop();
    });

    it("cuts off a subscriber that falls behind with a SUBSCRIBER_TOO_SLOW naming where to resume", async () => {
      const sku = t.demo.products[60].sku;
      const since = await headSequence();
      const document = (await import("graphql")).parse(`subscription($sku: String) { inventoryChanged(sku: $sku) { sequence } }`);
      const iterator = (await t.app.subscriptions.engine.subscribe({
        schema: undefined as never,
        document,
        variableValues: { sku },
      })) as AsyncIterableIterator<any>;
      await burst([sku], 60); // nobody reads: more than the buffer of 50
      await t.app.subscriptions.follower!.poke();
      const first = await iterator.next();
      expect(first.value.errors[0].extensions).toMatchObject({ code: "SUBSCRIBER_TOO_SLOW", lastSequence: null });
      expect((await iterator.next()).done).toBe(true);
      expect(t.app.subscriptions.follower!.listenerCount).toBe(0);
      // Resuming from the last sequence it had (here: before the test) loses nothing.
      const resumed = collect(client, `subscription($sku: String, $since: String) { inventoryChanged(sku: $sku, since: $since) { sequence } }`, { sku, since });
      await resumed.waitFor(60);
      expect(resumed.results).toHaveLength(60);
      resumed.stop();
    });

    it("fetches a burst's entities in a few batched follow-ups and delivers every event in order", async () => {
      const skus = t.demo.products.slice(80, 84).map((p) => p.sku);
      const sub = collect(
        client,
        `subscription { inventoryChanged(locationId: "LOC-WH-ATL") { sequence after { onHand } position { sku available product { description openDemand } } } }`,
      );
      await new Promise((r) => setTimeout(r, 300));
      const before = { executed: t.app.subscriptions.followUps.executed, fetched: t.app.subscriptions.followUps.fetched };
      await burst(skus, 40);
      await sub.waitFor(40);
      const events = sub.results.map((r) => {
        expect(r.errors).toBeUndefined();
        return r.data!.inventoryChanged;
      });
      const sequences = events.map((e) => BigInt(e.sequence));
      expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : 1)));
      for (const e of events) {
        expect(skus).toContain(e.position.sku);
        expect(e.position.product.description).toEqual(expect.any(String));
      }
      // One follow-up per event used to be the ceiling on a subscriber's rate: here 40 events on 4
      // positions cost a few queries fetching 4 entities each.
      const executed = t.app.subscriptions.followUps.executed - before.executed;
      expect(executed).toBeGreaterThanOrEqual(1);
      expect(executed).toBeLessThanOrEqual(3);
      expect(t.app.subscriptions.followUps.fetched - before.fetched).toBeLessThanOrEqual(4 * executed);
      sub.stop();
    });

    it('paces twenty since-"0" replays on one socket: complete, in order, one page at a time, other clients answered meanwhile', async () => {
      const skus = t.demo.products.slice(90, 96).map((p) => p.sku);
      for (let i = 0; i < 12; i++) await burst(skus, 60);
      const expected = (
        await t.database.db.eventLog.findMany({ where: { type: "InventoryChanged" }, orderBy: { sequence: "asc" }, select: { sequence: true } })
      ).map((e) => String(e.sequence));
      expect(expected.length).toBeGreaterThanOrEqual(760);

      const query = `subscription { inventoryChanged(since: "0") { sequence position { available product { description } location { name } } } }`;
      const subs = Array.from({ length: 20 }, () => collect(client, query));
      // Stopped even when an assertion fails, so the next test does not count these listeners.
      onTestFinished(() => subs.forEach((s) => s.stop()));
      // Once the replays are under way, hold their lane: a machine fast enough to finish 20 replays
      // before five queries would otherwise prove nothing. If queries queued behind replays, they
      // would now wait forever and the test would time out.
      await subs[0].waitFor(1, 60_000);
      const release = t.app.subscriptions.pacer.holdReplays();
      const order = t.demo.orders[11];
      try {
        for (let i = 0; i < 5; i++) {
          const data = await gqlOk(t.app.url, `query($id: ID!) { order(id: $id) { id status lines { product { description } } } }`, { id: order.id });
          expect(data.order.id).toBe(order.id);
        }
      } finally {
        release();
      }
      // A replay step is one page of 100 events, so none of the 20 can have had its 760 yet.
      const stillReplaying = subs.filter((s) => s.results.length < expected.length).length;
      await Promise.all(subs.map((s) => s.waitFor(expected.length, 120_000)));
      for (const s of subs) {
        expect(s.results.map((r) => r.data!.inventoryChanged.sequence)).toEqual(expected);
        for (const r of s.results) expect(r.errors).toBeUndefined();
      }
      // The other client's five queries were answered before the replays were done.
      expect(stillReplaying).toBe(20);
      expect(t.app.subscriptions.pacer.maxReplayRunning).toBe(1);
      for (const s of subs) s.stop();
    });
    it("releases every listener after 1,000 subscribe/unsubscribe cycles, with flat memory", async () => {
      const query = `subscription { inventoryChanged(sku: "NOPE") { sequence } }`;
      const follower = t.app.subscriptions.follower!;
      const waitListeners = async (n: number) => {
        const deadline = Date.now() + 5_000;
        while (follower.listenerCount !== n && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        expect(follower.listenerCount).toBe(n);
      };
      const cycle = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const stop = client.subscribe({ query }, { next: () => {}, error: () => {}, complete: () => {} });
          await waitListeners(1); // really subscribed on the server
          stop();
          await waitListeners(0); // and really released
        }
        const ok = await (async () => {
          const deadline = Date.now() + 10_000;
          while (follower.listenerCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          return follower.listenerCount === 0;
        })();
        expect(ok).toBe(true);
      };
      await cycle(100); // warm up
      expect(typeof globalThis.gc).toBe("function");
      globalThis.gc!();
      const heapBefore = process.memoryUsage().heapUsed;
      await cycle(1000);
      globalThis.gc!();
      const growth = process.memoryUsage().heapUsed - heapBefore;
      expect(follower.listenerCount).toBe(0);
      expect(growth).toBeLessThan(20 * 1024 * 1024);
    });

    it("closes a socket that sends no connection_init within the timeout (4408)", async () => {
      const ws = new WebSocket(t.app.url.replace(/^http/, "ws"), "graphql-transport-ws");
      const code = await new Promise<number>((resolve) => ws.on("close", (c) => resolve(c)));
      expect(code).toBe(4408);
    });

    it("rejects a malformed since with INVALID_ARGUMENT", async () => {
      const sub = collect(client, `subscription { inventoryChanged(since: "yesterday") { sequence } }`);
      await sub.waitFor(1);
      expect(sub.results[0].errors?.[0]?.extensions?.code).toBe("INVALID_ARGUMENT");
    });
  });
}
