// WebSocket caps, each refused with a code that says why: sockets past WS_MAX_CONNECTIONS are
// closed with 1013, an operation past WS_MAX_SUBSCRIPTIONS_PER_SOCKET gets
// SUBSCRIPTION_LIMIT_REACHED (the socket's others go on), a message over BODY_LIMIT closes the
// socket with 1009 before it is buffered whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createClient } from "graphql-ws";
import { bearer } from "../helpers/auth.js";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { subscriptionOptionsFromEnv } from "../../app/config.js";

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
const opened = (ws: WebSocket) => new Promise<void>((resolve, reject) => (ws.once("open", () => resolve()), ws.once("error", reject)));

describe("WebSocket caps", () => {
  let t: TestApp;
  let wsUrl: string;
  beforeAll(async () => {
    t = await startTestApp("pglite", {
      demo: false,
      subscriptionOptions: { ...subscriptionOptionsFromEnv({}), maxConnections: 3, maxSubscriptionsPerSocket: 2 },
    });
    wsUrl = t.app.url.replace(/^http/, "ws");
  });
  afterAll(async () => t?.close());

  /** Waits until the server holds n sockets. */
  const serverSockets = async (n: number) => {
    for (const deadline = Date.now() + 5000; t.app.subscriptions.ws.wss.clients.size !== n;) {
      if (Date.now() > deadline) throw new Error(`server holds ${t.app.subscriptions.ws.wss.clients.size} sockets, expected ${n}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  /** A socket through connection_ack. */
  const initialised = async () => {
    const ws = new WebSocket(wsUrl, "graphql-transport-ws");
    await opened(ws);
    const acked = new Promise<void>((resolve) => ws.on("message", (m) => JSON.parse(String(m)).type === "connection_ack" && resolve()));
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: await bearer() } }));
    await acked;
    return ws;
  };

  it("closes sockets past WS_MAX_CONNECTIONS with 1013, and accepts again once one is gone", async () => {
    const sockets = [await initialised(), await initialised(), await initialised()];
    const extra = new WebSocket(wsUrl, "graphql-transport-ws");
    const refused = await closed(extra);
    expect(refused.code).toBe(1013);
    expect(refused.reason).toContain("WS_MAX_CONNECTIONS=3");
    const gone = closed(sockets[0]);
    sockets[0].close();
    await gone;
    await serverSockets(2);
    const again = await initialised();
    await Promise.all([again, ...sockets.slice(1)].map((s) => (s.close(), closed(s))));
    await serverSockets(0);
  });

  it("refuses an operation past WS_MAX_SUBSCRIPTIONS_PER_SOCKET, keeping the socket's others", async () => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: async () => ({ authorization: await bearer() }),
    });
    try {
      const query = `subscription { inventoryChanged(sku: "NONE") { sequence } }`;
      const noop = { next: () => {}, error: () => {}, complete: () => {} };
      client.subscribe({ query }, noop);
      client.subscribe({ query }, noop);
      const follower = t.app.subscriptions.follower!;
      for (const deadline = Date.now() + 5000; follower.listenerCount < 2 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
      const refused = await new Promise<readonly { message: string; extensions?: Record<string, unknown> }[]>((resolve) =>
        client.subscribe({ query }, { next: () => {}, complete: () => {}, error: (e) => resolve(e as never) }),
      );
      expect(refused[0].extensions).toMatchObject({ code: "SUBSCRIPTION_LIMIT_REACHED", maxSubscriptionsPerSocket: 2 });
      expect(refused[0].message).toContain("WS_MAX_SUBSCRIPTIONS_PER_SOCKET");
      expect(follower.listenerCount).toBe(2);
    } finally {
      await client.dispose();
    }
  });

  it("closes a socket whose message is larger than BODY_LIMIT with 1009", async () => {
    const ws = await initialised();
    const done = closed(ws);
    ws.send(
      JSON.stringify({
        id: "1",
        type: "subscribe",
        payload: { query: `subscription { inventoryChanged { sequence } }`, variables: { pad: "x".repeat(2 * 1024 * 1024) } },
      }),
    );
    expect((await done).code).toBe(1009);
  });
});
