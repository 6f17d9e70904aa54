// OpenTelemetry tracing with W3C propagation across processes' HTTP hops: the gateway and every
// subgraph as their own HTTP servers (in this process, on one store), spans kept in memory.
// Tracing is process-global once started, so this file has a process (worker) of its own.
import { testSecurity } from "../helpers/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { testServerConfig } from "../helpers/embedded-app.js";
import { gql } from "../helpers/graphql.js";
import { startSubgraphServer, type RunningSubgraph } from "../../app/subgraph-process.js";
import { startGateway, type RunningGateway } from "../../gateway/standalone.js";
import { subscriptionSpecs } from "../../app/subscription-specs.js";
import { subscriptionOptionsFromEnv, tracingOptionsFromEnv } from "../../app/config.js";
import { composeOwnSupergraph } from "../../app/supergraph.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";
import { startTracing, tracingEnabled } from "../../platform/telemetry/tracing.js";

describe("OpenTelemetry tracing", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: { shutdown(): Promise<void> };
  let database: TestDatabase;
  let subgraphs: RunningSubgraph[];
  let gateway: RunningGateway;

  beforeAll(async () => {
    expect(tracingOptionsFromEnv("gateway", {})).toBeNull(); // off unless asked for
    expect(tracingOptionsFromEnv("gateway", { OTEL_TRACING: "on" })).toEqual({ serviceName: "distribution-graph-gateway", endpoint: undefined });
    expect(() => tracingOptionsFromEnv("gateway", { OTEL_TRACING: "yes" })).toThrow(/OTEL_TRACING must be on or off/);
    expect(tracingEnabled()).toBe(false);
    tracing = startTracing({ serviceName: "test", exporter });
    database = await createTestDatabase("pglite", { demo: true });
    subgraphs = await Promise.all(subgraphNames.map((n) => startSubgraphServer(n, database, testServerConfig, { consumers: false })));
    const supergraph = composeOwnSupergraph(Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) as Record<SubgraphName, string>);
    gateway = await startGateway({
      supergraphSdl: supergraph,
      config: testServerConfig,
      database,
      subscriptionSpecs,
      subscriptionOptions: subscriptionOptionsFromEnv({}),
      security: testSecurity(),
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all((subgraphs ?? []).map((s) => s.close()));
    await database?.close();
    await tracing?.shutdown();
  });

  it("continues the caller's trace through the gateway into each subgraph it fetches from, over HTTP", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const callerSpan = "b7ad6b7169203331";
    const res = await gql(gateway.url, `{ orders(first: 1) { nodes { id shipments { id } invoices { id } } } }`, undefined, {
      traceparent: `00-${traceId}-${callerSpan}-01`,
    });
    expect(res.errors).toBeUndefined();
    expect(res.headers.get("x-correlation-id")).toBe(traceId);
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const port = (url: string) => Number(new URL(url).port);
    const serverSpanOn = (url: string) => spans.find((s) => s.attributes["server.port"] === port(url));
    const gatewaySpan = serverSpanOn(gateway.url);
    expect(gatewaySpan?.parentSpanId).toBe(callerSpan);
    expect(gatewaySpan?.attributes["correlation.id"]).toBe(traceId);
    for (const name of ["orders", "shipments", "erp-finance"] as const) {
      const span = serverSpanOn(subgraphs.find((s) => s.name === name)!.url);
      expect(span, `a server span in ${name}`).toBeDefined();
      // Parented under the gateway's side of the trace (its fetch span), not the caller's span directly.
      const parent = spans.find((s) => s.spanContext().spanId === span!.parentSpanId);
      expect(parent, `${name}'s parent span is in the trace`).toBeDefined();
      expect(parent!.attributes["server.port"]).not.toBe(port(subgraphs.find((s) => s.name === name)!.url));
    }
    // @apollo/gateway's own spans (planning, fetches) are part of the same trace.
    expect(spans.some((s) => s.name.startsWith("gateway."))).toBe(true);
  });

  it("starts a new trace when the caller sends none, still across the subgraph hop", async () => {
    exporter.reset();
    const res = await gql(gateway.url, `{ orders(first: 1) { nodes { id invoices { id } } } }`);
    expect(res.errors).toBeUndefined();
    const gatewaySpan = exporter.getFinishedSpans().find((s) => s.attributes["server.port"] === Number(new URL(gateway.url).port));
    expect(gatewaySpan?.parentSpanId).toBeUndefined();
    const financePort = Number(new URL(subgraphs.find((s) => s.name === "erp-finance")!.url).port);
    const finance = exporter.getFinishedSpans().find((s) => s.attributes["server.port"] === financePort);
    expect(finance?.spanContext().traceId).toBe(gatewaySpan!.spanContext().traceId);
  });
});
