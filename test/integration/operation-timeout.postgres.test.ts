// OPERATION_TIMEOUT_MS cancels the work, not only the wait: in embedded mode the subgraphs'
// resolvers stop (no further SQL once the operation has timed out), in distributed mode the
// gateway's HTTP request to a hung subgraph is aborted.
import { testSecurity } from "../helpers/auth.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable } from "../helpers/databases.js";
import { startTestApp, testServerConfig, type TestApp } from "../helpers/embedded-app.js";
import { gql } from "../helpers/graphql.js";
import { startGateway } from "../../gateway/standalone.js";
import { startSubgraphServer } from "../../app/subgraph-process.js";
import { subscriptionSpecs } from "../../app/subscription-specs.js";
import { subscriptionOptionsFromEnv } from "../../app/config.js";
import { composeOwnSupergraph } from "../../app/supergraph.js";
import { closeServer, listen, serverUrl } from "../../platform/http/server.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";
import express from "express";

const limits = { timeoutMs: 400, maxResultItems: 50_000, maxResultBytes: 32 * 1024 * 1024 };

describe.runIf(postgresAvailable())("operation timeout", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("postgres", { serverConfig: { limits }, hostOptions: { consumers: false } });
  });
  afterAll(async () => t?.close());

  it("embedded: answers OPERATION_TIMEOUT and starts no further subgraph work once timed out", async () => {
    // Another session holds the orders table: the orders subgraph's root query waits on it.
    const locker = new pg.Client({ connectionString: t.database.url! });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`LOCK TABLE orders."Order" IN ACCESS EXCLUSIVE MODE`);
    t.database.statements.keepText = true;
    let released = false;
    try {
      const res = await gql(t.app.url, `{ orders(first: 5) { nodes { id lines { sku product { description positions { available } } } } } }`);
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0].extensions).toMatchObject({ code: "OPERATION_TIMEOUT", timeoutMs: 400 });
      expect(res.errors![0].message).toContain("OPERATION_TIMEOUT_MS");
      const sqlAtTimeout = t.database.statements.statements.length;
      await locker.query("COMMIT");
      released = true;
      // The root query now completes. Without cancellation its lines, then the products and
      // positions, would be read next; wait until the database is idle, then look.
      await waitFor(
        async () =>
          (
            await locker.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
            )
          ).rows[0].n === 0,
      );
      await gql(t.app.url, `{ __typename }`);
      const after = t.database.statements.statements.slice(sqlAtTimeout);
      expect(after.filter((s) => s.includes('"OrderLine"') || s.includes('"inventory"'))).toEqual([]);
    } finally {
      if (!released) await locker.query("ROLLBACK");
      await locker.end();
      t.database.statements.keepText = false;
    }
    // The process answers as usual afterwards. Its 400 ms budget can also run out on a machine
    // busy with other work: that is this limit doing its job, so only a different error fails.
    let answered = await gql(t.app.url, `{ orders(first: 2) { nodes { id lines { product { description } } } } }`);
    for (let i = 0; i < 20 && answered.errors?.every((e) => e.extensions?.code === "OPERATION_TIMEOUT"); i++) {
      answered = await gql(t.app.url, `{ orders(first: 2) { nodes { id lines { product { description } } } } }`);
    }
    expect(answered.errors).toBeUndefined();
    expect(answered.data.orders.nodes).toHaveLength(2);
  });

  it("distributed: aborts the gateway's request to a subgraph that never answers", async () => {
    // A subgraph that accepts the request and never answers, recording when the gateway hangs up.
    let hungUp = 0;
    let received = 0;
    const app = express();
    app.post("/graphql", (req) => {
      received++;
      req.socket.once("close", () => hungUp++);
    });
    const hung = await listen(app, 0, "127.0.0.1");
    const subgraphs = Object.fromEntries(
      await Promise.all(
        subgraphNames
          .filter((n) => n !== "shipments")
          .map(async (n) => [n, await startSubgraphServer(n, t.database, testServerConfig, { consumers: false })] as const),
      ),
    );
    const urls = { ...Object.fromEntries(Object.entries(subgraphs).map(([n, s]) => [n, s.url])), shipments: serverUrl(hung, "/graphql") } as Record<
      SubgraphName,
      string
    >;
    const gateway = await startGateway({
      supergraphSdl: composeOwnSupergraph(urls),
      config: { ...testServerConfig, limits },
      database: null,
      subscriptionSpecs,
      subscriptionOptions: subscriptionOptionsFromEnv({}),
      security: testSecurity({}, { MAX_COST: "1000000000" }),
    });
    try {
      const order = t.demo.orders[0];
      const res = await gql(gateway.url, `query($id: ID!) { order(id: $id) { id status shipments { id } } }`, { id: order.id });
      expect(res.errors?.[0]?.extensions?.code).toBe("OPERATION_TIMEOUT");
      expect(received).toBe(1);
      await waitFor(async () => hungUp === 1);
    } finally {
      await gateway.close();
      await Promise.all(Object.values(subgraphs).map((s) => s.close()));
      await closeServer(hung);
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
