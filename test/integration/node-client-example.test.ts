// The Node.js client example (examples/node-client) against a real gateway: it receives stock
// changes over graphql-ws with the `ws` implementation, and after its connection is cut it
// resubscribes from the last sequence it handled, so changes made while it was away arrive once.
import { adminToken } from "../helpers/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { createStockFixture, locationIdOf } from "../helpers/stock-fixture.js";
import { post } from "../helpers/ingest.js";
import { subscribed } from "../helpers/ws-client.js";
import { followStock, type StockChange, type StockFeed } from "../../examples/node-client/stock-dashboard.js";

async function until(condition: () => boolean, what: () => string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("the Node.js subscription client example", () => {
  let t: TestApp;
  let feed: StockFeed | null = null;
  const receipt = (eventId: string, sku: string, quantity: number) =>
    post(
      t.app.url,
      "/ingest/wms/inventory",
      JSON.stringify({ eventId, type: "RECEIPT", sku, location: "FX-WH-A", quantity, occurredAt: new Date().toISOString() }),
    );

  beforeAll(async () => {
    t = await startTestApp("pglite", { demo: false });
    await createStockFixture(t.database.db);
  });
  afterAll(async () => {
    await feed?.stop();
    await t?.close();
  });

  it("follows stock changes and resumes after a dropped connection without losing or repeating one", async () => {
    const changes: StockChange[] = [];
    const errors: unknown[] = [];
    feed = followStock({
      url: t.app.url,
      token: await adminToken(),
      locationId: locationIdOf("FX-WH-A"),
      belowAvailable: 1_000_000,
      onChange: (c) => changes.push(c),
      onError: (e) => errors.push(e),
      retryDelayMs: 300, // both changes below are committed while it waits: they come from the replay
    });
    await subscribed(t.app.subscriptions.follower, 1); // in place before the first change

    expect((await receipt("nc-1", "FX-1", 5)).status).toBe(200);
    expect((await receipt("nc-2", "FX-2", 7)).status).toBe(200);
    await until(
      () => changes.length === 2,
      () => `2 changes, got ${changes.length}`,
    );
    expect(changes.map((c) => [c.position?.sku, c.reason, c.after.onHand])).toEqual([
      ["FX-1", "RECEIPT", 5],
      ["FX-2", "RECEIPT", 7],
    ]);
    expect(changes[0].position?.location.name).toBe("FX-WH-A"); // resolved by a follow-up through the gateway
    expect(feed.lastSequence()).toBe(changes[1].sequence);

    // The network drops the socket; two changes are committed while the client is away.
    for (const socket of t.app.subscriptions.ws.wss.clients) socket.terminate();
    expect((await receipt("nc-3", "FX-1", 1)).status).toBe(200);
    expect((await receipt("nc-4", "FX-3", 2)).status).toBe(200);
    await until(
      () => changes.length >= 4,
      () => `4 changes, got ${changes.length}`,
    );
    await subscribed(t.app.subscriptions.follower, 1);
    await new Promise((r) => setTimeout(r, 300)); // a repeat would arrive now

    expect(errors.length).toBeGreaterThanOrEqual(1); // it saw the drop
    expect(changes.map((c) => [c.position?.sku, c.after.onHand])).toEqual([
      ["FX-1", 5],
      ["FX-2", 7],
      ["FX-1", 6],
      ["FX-3", 2],
    ]);
    const sequences = changes.map((c) => BigInt(c.sequence));
    expect(sequences.every((s, i) => i === 0 || s > sequences[i - 1])).toBe(true);

    await feed.stop();
    feed = null;
    await until(
      () => t.app.subscriptions.ws.wss.clients.size === 0,
      () => "the socket to close after stop()",
    );
  });
});
