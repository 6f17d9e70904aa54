// Metrics at GET /metrics (prom-client) and structured logs (pino) with the correlation id, which
// may come from a W3C traceparent: through the embedded app's real HTTP server and GraphQL clients.
import { bearer } from "../helpers/auth.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { StoreKind } from "../helpers/databases.js";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import { setLogLevel } from "../../platform/telemetry/log.js";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

/** The value of one sample in Prometheus text format (0 when absent). */
/** The sum of every series of a metric whose labels include these (PromQL's sum over a selector). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? "").split(",").filter(Boolean);
    if (wanted.every((w) => have.includes(w))) sum += Number(m[3]);
  }
  return sum;
}

export function telemetrySuite(kind: StoreKind) {
  describe(`metrics and logs on ${kind}`, () => {
    let t: TestApp;
    let base: string;
    const metrics = async () => {
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      return res.text();
    };
    beforeAll(async () => {
      t = await startTestApp(kind, { demo: false });
      base = t.app.url.replace(/\/graphql$/, "");
    });
    afterAll(async () => t?.close());

    it("counts GraphQL operations by name and outcome at the gateway and the subgraphs, and times subgraph fetches", async () => {
      const before = await metrics();
      await gqlOk(t.app.url, `query KpiProbe { kpis(from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z") { ordersReceived exceptions { opened } } }`);
      const failed = await gql(t.app.url, `query BadProbe { kpis(from: "2026-10-02T00:00:00Z", to: "2026-10-01T00:00:00Z") { ordersReceived } }`);
      expect(failed.errors?.[0]?.extensions?.code).toBe("INVALID_DATE_RANGE");
      const after = await metrics();
      const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta("graphql_requests_total", { server: "gateway", operation: "KpiProbe", outcome: "ok" })).toBe(1);
      expect(delta("graphql_requests_total", { server: "gateway", operation: "BadProbe", outcome: "error" })).toBe(1);
      // the window's fields came from operations (the root) and orders (an entity fetch)
      expect(delta("gateway_subgraph_fetch_duration_seconds_count", { subgraph: "orders", outcome: "ok" })).toBe(1);
      expect(delta("gateway_subgraph_fetch_duration_seconds_count", { subgraph: "operations", outcome: "ok" })).toBe(1);
      expect(delta("graphql_requests_total", { server: "orders", outcome: "ok" })).toBeGreaterThanOrEqual(1);
      expect(delta("http_request_duration_seconds_count", { method: "POST", route: "graphql", status: "2xx" })).toBe(2);
      expect(sample(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
    });

    it("reports ingestion by source and state and each consumer's lag from the database", async () => {
      const res = await fetch(`${base}/ingest/wms/inventory`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: await bearer() },
        body: '{"eventId": "bad-1", "type": "RECEIPT"',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const text = await metrics();
      expect(sample(text, "ingest_messages", { source: "wms", state: "DEAD_LETTER" })).toBe(1);
      const consumers = await t.database.db.consumerOffset.findMany();
      expect(consumers.length).toBeGreaterThan(0);
      for (const c of consumers) expect(text).toContain(`event_consumer_lag_events{consumer="${c.consumer}"}`);
    });

    it("counts the subscriptions being served", async () => {
      const client = wsClient(t.app.url);
      const sub = collect(client, `subscription { orderStatusChanged { newStatus } }`);
      try {
        await subscribed(t.app.subscriptions.follower, 1);
        expect(sample(await metrics(), "graphql_subscriptions_active")).toBe(1);
      } finally {
        sub.stop();
        await client.dispose();
      }
      await subscribed(t.app.subscriptions.follower, 0);
      expect(sample(await metrics(), "graphql_subscriptions_active")).toBe(0);
    });

    it("takes the correlation id from a W3C traceparent, returns it, logs it on JSON lines and stores it with an inbound message", async () => {
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const lines: string[] = [];
      const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
      setLogLevel("info");
      try {
        const res = await fetch(`${base}/ingest/wms/inventory`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: await bearer(), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
          body: JSON.stringify({ eventId: "traced-1", type: "RECEIPT", sku: "NOPE", location: "NOWHERE", quantity: 1, occurredAt: "2026-11-28T10:00:00Z" }),
        });
        expect(res.headers.get("x-correlation-id")).toBe(traceId);
        await res.text();
        // A caller's own x-correlation-id wins over the traceparent; a malformed traceparent is ignored.
        const own = await gql(t.app.url, "{ __typename }", undefined, { "x-correlation-id": "mine-1", traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
        expect(own.headers.get("x-correlation-id")).toBe("mine-1");
        const bad = await gql(t.app.url, "{ __typename }", undefined, { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" });
        expect(bad.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
      } finally {
        setLogLevel("warn");
        spy.mockRestore();
      }
      const stored = await t.database.db.inboundMessage.findFirst({ where: { idempotencyKey: { contains: "traced-1" } } });
      expect(stored?.correlationId).toBe(traceId);
      const json = lines
        .flatMap((l) => l.split("\n"))
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      const access = json.find((l) => l.msg === "http request" && l.path === "/ingest/wms/inventory");
      expect(access).toMatchObject({ level: "info", correlationId: traceId, method: "POST", status: expect.any(Number) });
      expect(json.find((l) => l.correlationId === "mine-1")).toMatchObject({ msg: "http request", path: "/graphql" });
      expect(typeof access.time).toBe("string");
    });

    it("keeps a WebSocket client's correlation id (connectionParams) on what its operations write", async () => {
      await t.database.db.order.create({
        data: {
          id: "WS-1",
          orderNumber: "SO-WS-1",
          customerId: "C1",
          channel: "B2B_API",
          status: "ACCEPTED",
          currency: "USD",
          placedAt: new Date("2026-11-01T00:00:00Z"),
        },
      });
      const client = createClient({
        url: t.app.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        connectionParams: { correlationId: "ws-corr-1", authorization: await bearer() },
      });
      try {
        const result = await new Promise<unknown>((resolve, reject) => {
          let value: unknown;
          client.subscribe(
            { query: `mutation { updateOrderStatus(id: "WS-1", status: CANCELLED, reason: "test") { status } }` },
            { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
          );
        });
        expect(result).toEqual({ data: { updateOrderStatus: { status: "CANCELLED" } } });
      } finally {
        await client.dispose();
      }
      const history = await t.database.db.orderStatusChange.findFirst({ where: { orderId: "WS-1", toStatus: "CANCELLED" } });
      expect(history?.correlationId).toBe("ws-corr-1");
      const event = await t.database.db.eventLog.findFirst({ where: { aggregateId: "WS-1", type: "OrderStatusChanged" } });
      expect(event?.correlationId).toBe("ws-corr-1");
    });
  });
}
