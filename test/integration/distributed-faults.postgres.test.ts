// Distributed mode under faults, on one PostgreSQL database with each subgraph its own HTTP server:
// - each subgraph's server goes down in turn: the gateway still answers with everything the others
//   resolve, names the missing subgraph (SUBGRAPH_UNAVAILABLE), and reports not ready on
//   /health/ready until it is back;
// - the gateway's requests to subgraphs carry entity representations and planned queries, so they
//   outgrow the client's BODY_LIMIT: subgraphs accept SUBGRAPH_BODY_LIMIT, the limit the gateway
//   holds itself to, and a limit hit is reported as what it is (SUBGRAPH_REQUEST_TOO_LARGE), never
//   as an unavailable subgraph.
import { testSecurity } from "../helpers/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../helpers/databases.js";
import { testServerConfig } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { post } from "../helpers/ingest.js";
import { expectSurvivors, outageCases } from "../helpers/outage-cases.js";
import { startSubgraphServer, type RunningSubgraph } from "../../app/subgraph-process.js";
import { startGateway, type RunningGateway } from "../../gateway/standalone.js";
import { subscriptionSpecs } from "../../app/subscription-specs.js";
import { subscriptionOptionsFromEnv, type ServerConfig } from "../../app/config.js";
import { composeOwnSupergraph } from "../../app/supergraph.js";
import { loadDemoData } from "../../demo/load.js";
import { generateDemoData } from "../../demo/generate.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";

// 1,800 order lines: the gateway sends about 78 KB of product representations to inventory.
const LINES_WITH_PRODUCTS = `{ orders(first: 500) { nodes { id lines { sku product { description } } } } }`;

describe.runIf(postgresAvailable())("distributed mode under faults", () => {
  let database: TestDatabase;
  const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
  const gateways: RunningGateway[] = [];
  let gateway: RunningGateway;
  const demo = generateDemoData();
  // The item cap is raised because the request-size tests need large results (operation-limits
  // tests the cap); every other setting is the documented default, readiness checks shortened.
  const config: ServerConfig = { ...testServerConfig, healthCheckTimeoutMs: 1000, limits: { ...testServerConfig.limits, maxResultItems: 200_000 } };
  const urls = () => Object.fromEntries(subgraphNames.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string>;
  const startOne = async (subgraphUrls: Record<SubgraphName, string>, gatewayConfig: ServerConfig, withDatabase = false) => {
    const g = await startGateway({
      supergraphSdl: composeOwnSupergraph(subgraphUrls),
      config: gatewayConfig,
      database: withDatabase ? database : null,
      subscriptionSpecs,
      subscriptionOptions: subscriptionOptionsFromEnv({}),
      security: testSecurity({}, { MAX_COST: "1000000000" }),
    });
    gateways.push(g);
    return g;
  };
  const ready = async () => {
    const res = await fetch(gateway.url.replace(/\/graphql$/, "/health/ready"));
    return { status: res.status, body: await res.json() };
  };
  const stop = async (name: SubgraphName) => subgraphs[name].close();
  const restart = async (name: SubgraphName) => {
    const port = Number(new URL(subgraphs[name].url).port);
    subgraphs[name] = await startSubgraphServer(name, database, { ...config, port }, { consumers: false });
  };

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    await loadDemoData(database.db, demo);
    for (const s of await Promise.all(subgraphNames.map((n) => startSubgraphServer(n, database, config, { consumers: false })))) subgraphs[s.name] = s;
    gateway = await startOne(urls(), config, true);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await Promise.all(Object.values(subgraphs).map((s) => s.close()));
    await database?.close();
  });

  it("is ready while every subgraph answers", async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    for (const n of subgraphNames) expect(res.body.checks[`subgraph:${n}`]).toBe(true);
  });

  for (const c of outageCases(demo)) {
    it(`answers without ${c.down}, naming it, and is not ready until it is back`, async () => {
      await stop(c.down);
      try {
        const errors = await expectSurvivors(gateway.url, c);
        expect(errors.some((e) => e.extensions?.code === "SUBGRAPH_UNAVAILABLE" && e.message.includes(`The ${c.down} subgraph is unavailable`))).toBe(true);
        const health = await ready();
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({ code: "NOT_READY", checks: { [`subgraph:${c.down}`]: false } });
        expect(health.body.message).toContain(`subgraph:${c.down}`);
        for (const other of subgraphNames.filter((n) => n !== c.down)) expect(health.body.checks[`subgraph:${other}`]).toBe(true);
      } finally {
        await restart(c.down);
      }
      expect((await ready()).status).toBe(200);
      expect((await gql(gateway.url, c.query, c.variables)).errors).toBeUndefined();
    });
  }

  it("answers queries and refuses ingestion with a JSON 502 while operations is down", async () => {
    await stop("operations");
    try {
      const order = demo.orders[0];
      expect((await gqlOk(gateway.url, `query($id: ID!) { order(id: $id) { id status } }`, { id: order.id })).order).toEqual({
        id: order.id,
        status: order.status,
      });
      const res = await post(
        gateway.url.replace(/\/graphql$/, "/"),
        "/ingest/wms/inventory",
        JSON.stringify({ eventId: "down-1", type: "RECEIPT", sku: demo.products[0].sku, location: "WH-ATL", quantity: 1, occurredAt: "2026-11-28T10:00:00Z" }),
      );
      expect(res.status).toBe(502);
      expect(res.json).toMatchObject({ code: "SUBGRAPH_UNAVAILABLE", message: expect.stringContaining("retry later"), correlationId: expect.any(String) });
      expect((await ready()).body.checks["subgraph:operations"]).toBe(false);
    } finally {
      await restart("operations");
    }
  });

  it("leaves a subgraph that is down out of the exception queue and the trace, naming it, and keeps the rest", async () => {
    // operations reads erp-finance's and shipments' exceptions at their URLs (<NAME>_URL in a deployment).
    const port = Number(new URL(subgraphs.operations.url).port);
    await subgraphs.operations.close();
    // With the test's token keys, so the ingestion below is authenticated as in the other suites.
    subgraphs.operations = await startSubgraphServer("operations", database, { ...config, port }, { consumers: false, subgraphUrls: urls() }, testSecurity());
    const correlationId = "faults-exception-1";
    const dead = await post(
      gateway.url.replace(/\/graphql$/, "/"),
      "/ingest/wms/inventory",
      JSON.stringify({ eventId: "faults-dead-1", type: "RECEIPT", sku: "NO-SUCH-SKU", location: "WH-ATL", quantity: 1, occurredAt: "2026-11-28T10:00:00Z" }),
      { "x-correlation-id": correlationId },
    );
    expect(dead.json).toMatchObject({ state: "DEAD_LETTER" });
    const queue = `{ exceptions(filter: { state: [OPEN] }, first: 500) { totalCount unavailableDomains nodes { id } } }`;
    const all = (await gqlOk(gateway.url, queue)).exceptions;
    expect(all.unavailableDomains).toEqual([]);
    expect(all.nodes.map((n: { id: string }) => n.id)).toContain(`DEAD_LETTER:${dead.json.messageId}`);
    const trace = `query($c: String!) { trace(correlationId: $c) { steps { subgraph kind } operationSteps { kind } orderSteps { kind } shipmentSteps { kind } } }`;
    expect((await gqlOk(gateway.url, trace, { c: correlationId })).trace).toEqual({
      // Parsed, then refused at MAP (the SKU is unknown): no MAPPED step.
      steps: [
        { subgraph: "operations", kind: "RECEIVED" },
        { subgraph: "operations", kind: "PARSED" },
        { subgraph: "operations", kind: "ERROR" },
      ],
      operationSteps: [{ kind: "RECEIVED" }, { kind: "PARSED" }, { kind: "ERROR" }],
      orderSteps: [],
      shipmentSteps: [],
    });
    await stop("shipments");
    try {
      const partial = (await gqlOk(gateway.url, queue)).exceptions;
      expect(partial.unavailableDomains).toEqual(["shipments"]);
      expect(partial.nodes.map((n: { id: string }) => n.id)).toContain(`DEAD_LETTER:${dead.json.messageId}`);
      const res = await gql(gateway.url, trace, { c: correlationId });
      expect(res.errors?.some((e) => e.extensions?.code === "SUBGRAPH_UNAVAILABLE" && e.message.includes("shipments"))).toBe(true);
      // Merging needs every subgraph's steps: steps is null, what the others answered stays.
      expect(res.data.trace).toEqual({
        steps: null,
        operationSteps: [{ kind: "RECEIVED" }, { kind: "PARSED" }, { kind: "ERROR" }],
        orderSteps: [],
        shipmentSteps: null,
      });
    } finally {
      await restart("shipments");
    }
  });

  it("with the defaults, a query whose request to a subgraph exceeds 1 MB is answered", async () => {
    // 36,000 order lines through customers' orders: about 1.5 MB of product representations for
    // inventory, where the subgraphs used to accept 1 MB (BODY_LIMIT).
    const g = await startOne(urls(), config);
    const res = await gql(g.url, `{ orders(first: 500) { nodes { customer { orders(first: 50) { nodes { lines { product { description } } } } } } } }`);
    expect(res.errors).toBeUndefined();
    const lines = res.data.orders.nodes.flatMap((o: any) => o.customer.orders.nodes.flatMap((n: any) => n.lines));
    expect(lines.length).toBeGreaterThan(25_000);
    for (const l of lines) expect(l.product.description).toEqual(expect.any(String));
  });

  it("a subgraph's 413 is SUBGRAPH_REQUEST_TOO_LARGE naming the subgraph and the limit, and the rest of the answer stays", async () => {
    // 4 KB: under the entity request for 500 orders' products even with each distinct product sent once (~10 KB).
    const small = await startSubgraphServer("inventory", database, { ...config, subgraphBodyLimit: "4kb" }, { consumers: false });
    try {
      const g = await startOne({ ...urls(), inventory: small.url }, config);
      const res = await gql(g.url, LINES_WITH_PRODUCTS);
      expect(res.errors?.length).toBeGreaterThan(0);
      for (const e of res.errors!) expect(e.extensions?.code).not.toBe("SUBGRAPH_UNAVAILABLE");
      expect(res.errors![0].extensions).toMatchObject({ code: "SUBGRAPH_REQUEST_TOO_LARGE", subgraph: "inventory", status: 413 });
      expect(res.errors![0].message).toMatch(/inventory subgraph refused .* as too large \(HTTP 413\).*SUBGRAPH_BODY_LIMIT/);
      expect(res.data.orders.nodes).toHaveLength(500);
      expect(res.data.orders.nodes[0].lines[0]).toEqual({ sku: expect.any(String), product: null });
    } finally {
      await small.close();
    }
  });

  it("a request over the gateway's own SUBGRAPH_BODY_LIMIT is not sent, and the error says how large it was", async () => {
    const g = await startOne(urls(), { ...config, subgraphBodyLimit: "4kb" });
    const res = await gql(g.url, LINES_WITH_PRODUCTS);
    expect(res.errors![0].extensions).toMatchObject({ code: "SUBGRAPH_REQUEST_TOO_LARGE", subgraph: "inventory", maxBytes: 4 * 1024 });
    expect(res.errors![0].message).toMatch(/request to the inventory subgraph would be \d+(\.\d)? KB, over 4 KB \(SUBGRAPH_BODY_LIMIT\)/);
    expect(res.data.orders.nodes).toHaveLength(500);
  });
});
