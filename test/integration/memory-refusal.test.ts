// Near the heap limit (MEMORY_LIMIT_FRACTION), new work is refused with 503 SERVER_OVERLOADED and
// the process says it is not ready, while staying live. (What one operation may cost is tested in
// operation-limits-suite.ts, inside the graph suite.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { post } from "../helpers/ingest.js";
import WebSocket from "ws";

describe("memory-aware refusal", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Any heap is "near the limit" at this fraction: every new request is refused.
    t = await startTestApp("pglite", { demo: false, serverConfig: { memoryLimitFraction: 0.001 } });
  });
  afterAll(async () => t?.close());

  it("refuses new GraphQL and ingestion work with 503 SERVER_OVERLOADED, and says not ready, while staying live", async () => {
    const res = await fetch(t.app.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    const body = await res.json();
    expect(body.errors[0]).toMatchObject({ extensions: { code: "SERVER_OVERLOADED" }, message: expect.stringContaining("MEMORY_LIMIT_FRACTION") });

    const ingest = await post(t.app.url.replace(/\/graphql$/, "/"), "/ingest/wms/inventory", "{}");
    expect(ingest.status).toBe(503);
    expect(ingest.json).toMatchObject({ code: "SERVER_OVERLOADED", correlationId: expect.any(String) });

    const base = t.app.url.replace(/\/graphql$/, "");
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).checks.memory).toBe(false);

    // And new WebSockets: closed with 1013 (try again later).
    const ws = new WebSocket(t.app.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const [code, reason] = await new Promise<[number, string]>((resolve) => ws.once("close", (c, r) => resolve([c, r.toString()])));
    expect(code).toBe(1013);
    expect(reason).toContain("memory");
  });
});
