// Scale-out shape: each subgraph its own HTTP server on one PostgreSQL database, a standalone
// gateway federating them over HTTP, and the gateway process started from a supergraph file.
import { encodeIdentity, GATEWAY_SECRET_HEADER } from "../../platform/auth/gateway-credential.js";
import { bearer, testSecurity, TEST_AUTH_SECRET, TEST_GATEWAY_SECRET } from "../helpers/auth.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../helpers/databases.js";
import { testServerConfig } from "../helpers/embedded-app.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { startSubgraphServer, type RunningSubgraph } from "../../app/subgraph-process.js";
import { startGateway, type RunningGateway } from "../../gateway/standalone.js";
import { subscriptionSpecs } from "../../app/subscription-specs.js";
import { subscriptionOptionsFromEnv } from "../../app/config.js";
import { composeOwnSupergraph } from "../../app/supergraph.js";
import { generateDemoData } from "../../demo/generate.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";
import { compiledEntry } from "../helpers/compiled.js";
import { x12 } from "../helpers/x12.js";
import { waitFor } from "../helpers/wait.js";
import { exportOwners, exportScopes } from "../../app/export-datasets.js";
import { startFaultyProxy } from "../helpers/faulty-proxy.js";
import { signTestToken } from "../helpers/auth.js";
import { subgraphFetchesShared } from "../../platform/telemetry/metrics.js";

const unifiedOrderView = fs.readFileSync(new URL("../../examples/unified-order-view.graphql", import.meta.url), "utf8");

describe.runIf(postgresAvailable())("distributed mode on a PostgreSQL server", () => {
  let database: TestDatabase;
  let subgraphs: Record<SubgraphName, RunningSubgraph>;
  let gateway: RunningGateway;
  let supergraph: string;
  const demo = generateDemoData();
  const security = testSecurity({ gatewaySecret: TEST_GATEWAY_SECRET });
  const order = demo.orders.find((o) => o.status === "INVOICED")!;

  beforeAll(async () => {
    database = await createTestDatabase("postgres", { demo: true });
    // Order capture in the orders process reaches erp-finance over HTTP, as ERP_FINANCE_URL says.
    const finance = await startSubgraphServer("erp-finance", database, testServerConfig, {}, security);
    const rest = await Promise.all(
      subgraphNames.filter((n) => n !== "erp-finance").map((n) => startSubgraphServer(n, database, testServerConfig, { erpFinanceUrl: finance.url }, security)),
    );
    const started = [finance, ...rest];
    await database.db.customer.create({
      data: {
        id: "CUST-D1",
        name: "Distributed Buyer",
        businessUnitId: "BU-EAST",
        creditLimit: "100000.00",
        currency: "USD",
        paymentTerms: "NET30",
        termsDays: 30,
      },
    });
    subgraphs = Object.fromEntries(started.map((s) => [s.name, s])) as Record<SubgraphName, RunningSubgraph>;
    supergraph = composeOwnSupergraph(Object.fromEntries(started.map((s) => [s.name, s.url])) as Record<SubgraphName, string>);
    gateway = await startGateway({
      supergraphSdl: supergraph,
      config: testServerConfig,
      database,
      subscriptionSpecs,
      subscriptionOptions: subscriptionOptionsFromEnv({}),
      exportOwners,
      exportScopes,
      security,
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(Object.values(subgraphs ?? {}).map((s) => s.close()));
    await database?.close();
  });

  it("federates the unified order view over HTTP", async () => {
    const data = await gqlOk(gateway.url, unifiedOrderView, { id: order.id });
    expect(data.order.id).toBe(order.id);
    expect(data.order.lines.length).toBe(demo.orderLines.filter((l) => l.orderId === order.id).length);
    expect(data.order.shipments.length).toBeGreaterThan(0);
    expect(data.order.invoices.length).toBeGreaterThan(0);
  });

  it("forwards GET /export/<dataset> to the owning subgraph's process, cursor headers and all", async () => {
    const base = gateway.url.replace(/\/graphql$/, "");
    const auth = { authorization: await bearer() };
    const res = await fetch(`${base}/export/positions?limit=3&format=csv`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split("\n");
    expect(lines[0]).toMatch(/^sku,locationId,onHand/);
    expect(lines).toHaveLength(4);
    // The subgraph process serves its export only to the gateway (its secret).
    const bare = await fetch(`${subgraphs.inventory.url.replace(/\/graphql$/, "")}/export/positions?limit=3&format=csv`);
    expect(bare.status).toBe(401);
    const direct = await fetch(`${subgraphs.inventory.url.replace(/\/graphql$/, "")}/export/positions?limit=3&format=csv`, {
      headers: { [GATEWAY_SECRET_HEADER]: TEST_GATEWAY_SECRET },
    });
    expect(res.headers.get("x-next-cursor")).toBe(direct.headers.get("x-next-cursor"));
    expect((await fetch(`${base}/export/nothing`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/export/positions?limit=3`)).status).toBe(401);
  });

  it("answers a KPI window with fields from every subgraph's own process", async () => {
    const { kpis } = await gqlOk(
      gateway.url,
      `{ kpis(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { ordersReceived inventoryFreshness { positions } invoicePostingAccuracy { invoices } shipmentsShipped exceptions { opened } } }`,
    );
    expect(kpis.ordersReceived).toBe(await database.db.orderStatusChange.groupBy({ by: ["orderId"] }).then((g) => g.length));
    expect(kpis.inventoryFreshness.positions).toBe(await database.db.inventoryPosition.count());
    expect(kpis.invoicePostingAccuracy.invoices).toBe(await database.db.invoice.count({ where: { status: { not: "VOID" } } }));
    expect(kpis.shipmentsShipped).toBe(await database.db.shipment.count({ where: { shippedAt: { not: null } } }));
  });

  it("refuses a direct call to a subgraph without the gateway's credential, and honours the forwarded identity with it", async () => {
    const direct = (headers: Record<string, string>) =>
      fetch(subgraphs.orders.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query: `{ orders(first: 500) { totalCount } }` }),
      });
    const without = await direct({});
    expect(without.status).toBe(401);
    expect(((await without.json()) as any).errors[0].message).toContain("x-gateway-secret");
    expect((await direct({ "x-gateway-secret": "wrong-secret-of-the-right-length-000000" })).status).toBe(401);
    const ok = await direct({ "x-gateway-secret": TEST_GATEWAY_SECRET });
    expect(((await ok.json()) as any).data.orders.totalCount).toBe(demo.orders.length);
    // Row-level rules hold in the subgraph too: a forwarded customer identity sees its own orders only.
    const customer = demo.orders[0].customerId;
    const identity = encodeIdentity({ subject: "c", scopes: ["orders:read"], customerId: customer });
    const scoped = await direct({ "x-gateway-secret": TEST_GATEWAY_SECRET, "x-graph-identity": identity });
    expect(((await scoped.json()) as any).data.orders.totalCount).toBe(demo.orders.filter((o) => o.customerId === customer).length);
  });

  it("forwards the caller's correlation id and returns it", async () => {
    const res = await gql(gateway.url, `{ order(id: "${order.id}") { id } }`, undefined, { "x-correlation-id": "test-corr-123" });
    expect(res.headers.get("x-correlation-id")).toBe("test-corr-123");
  });

  it("starts as its own process from a supergraph file (SUPERGRAPH_FILE) and serves the same answer", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "supergraph-")), "supergraph.graphql");
    fs.writeFileSync(file, supergraph);
    const child = spawn(process.execPath, [compiledEntry("app/start-gateway.ts")], {
      env: {
        ...process.env,
        SUPERGRAPH_FILE: file,
        PORT: "0",
        DATABASE_URL: "",
        AUTH_HS256_SECRET: TEST_AUTH_SECRET,
        GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d) => {
          out += d;
          const m = out.match(/(http:\/\/\S+\/graphql)/);
          if (m) resolve(m[1]);
        });
        child.stderr!.on("data", (d) => (out += d));
        child.once("exit", (code) => reject(new Error(`gateway exited with ${code}: ${out}`)));
      });
      const viaProcess = await gqlOk(url, unifiedOrderView, { id: order.id });
      const viaInProcess = await gqlOk(gateway.url, unifiedOrderView, { id: order.id });
      expect(viaProcess).toEqual(viaInProcess);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("keeps answering from live subgraphs when one is down, with an error naming the failed part", async () => {
    await subgraphs.shipments.close();
    const partial = await gql(gateway.url, `query($id: ID!) { order(id: $id) { id status invoices { id } } }`, { id: order.id });
    expect(partial.errors).toBeUndefined();
    expect(partial.data.order.invoices.length).toBeGreaterThan(0);

    const res = await gql(gateway.url, `query($id: ID!) { order(id: $id) { id shipments { id } } }`, { id: order.id });
    expect(res.errors?.[0]?.extensions?.code).toBe("SUBGRAPH_UNAVAILABLE");
    expect(res.errors?.[0]?.message).toMatch(/The shipments subgraph is unavailable/);
  });

  const place = (key: string) =>
    gqlOk(
      gateway.url,
      `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome reasons { code message } order { id status businessUnit { id } } } }`,
      {
        i: { idempotencyKey: key, customerId: "CUST-D1", lines: [{ sku: "SKU-10001", quantity: 1 }] },
      },
    ).then((d) => d.placeOrder);

  it("sends identical queries in flight at once for one caller as one subgraph request, never across callers", async () => {
    // orders behind a proxy that holds requests until released: the overlap is made, not hoped for.
    const proxy = await startFaultyProxy(subgraphs.orders.url);
    const urls = Object.fromEntries(subgraphNames.map((n) => [n, n === "orders" ? proxy.url : subgraphs[n].url])) as Record<SubgraphName, string>;
    const g = await startGateway({
      supergraphSdl: composeOwnSupergraph(urls),
      config: testServerConfig,
      database: null,
      subscriptionSpecs,
      subscriptionOptions: subscriptionOptionsFromEnv({}),
      security,
    });
    const shared = async () => (await subgraphFetchesShared.get()).values.find((v) => v.labels.subgraph === "orders")?.value ?? 0;
    const query = `{ orders(first: 5, filter: { status: [INVOICED] }) { nodes { id status customerPo } } }`;
    try {
      proxy.mode = { kind: "hold" };
      const before = await shared();
      const token = await signTestToken({ sub: "dashboard" });
      const same = Array.from({ length: 8 }, () => gql(g.url, query, undefined, { authorization: `Bearer ${token}` }));
      await waitFor(async () => (await shared()) - before === 7 || null, "seven of the eight to join the first request");
      expect(proxy.requests).toBe(1);
      proxy.release();
      const answers = await Promise.all(same);
      for (const a of answers) expect(a.errors).toBeUndefined();
      expect(new Set(answers.map((a) => JSON.stringify(a.data))).size).toBe(1);
      expect(answers[0].data.orders.nodes).toHaveLength(5);
      expect(proxy.requests).toBe(1);

      // Two callers asking the same thing each get their own request (row rules apply per identity).
      const [alice, bob] = await Promise.all([signTestToken({ sub: "alice" }), signTestToken({ sub: "bob" })]);
      const two = [alice, bob].map((t) => gql(g.url, query, undefined, { authorization: `Bearer ${t}` }));
      await waitFor(async () => proxy.held === 2 || null, "both callers' requests at the subgraph");
      proxy.release();
      for (const a of await Promise.all(two)) expect(a.data.orders.nodes).toHaveLength(5);
      expect(proxy.requests).toBe(3);
    } finally {
      proxy.release();
      await g.close();
      await proxy.close();
    }
  });

  it("captures an order with the credit check answered by the erp-finance process over HTTP", async () => {
    const r = await place("dist-1");
    expect(r).toMatchObject({ outcome: "ACCEPTED", order: { status: "ACCEPTED", businessUnit: { id: "BU-EAST" } } });
  });

  it("captures an 850 posted to the gateway in the operations process, and serves its 855 through the gateway once the inventory and orders processes have allocated it", async () => {
    await gqlOk(
      gateway.url,
      `mutation { upsertCrossReferences(references: [{ kind: CUSTOMER, system: "X12", externalValue: "ZZ:DISTBUYER", canonicalId: "CUST-D1" }]) { upserted } }`,
    );
    const body = x12({
      sender: ["ZZ", "DISTBUYER"],
      receiver: ["ZZ", "DISTGRAPH"],
      control: "000000901",
      groups: [
        {
          control: "901",
          functionalId: "PO",
          sets: [{ id: "850", control: "0001", segments: ["BEG*00*SA*DIST-PO-1**20261127", "PO1*1*1*EA*2.50*PE*VN*SKU-10001"] }],
        },
      ],
    });
    const base = gateway.url.replace(/\/graphql$/, "");
    const res = await fetch(`${base}/ingest/x12`, { method: "POST", body, headers: { authorization: await bearer() } });
    const answer = await res.json();
    expect(res.status).toBe(200);
    const { data } = await gql(gateway.url, `query($id: ID!) { inboundMessage(id: $id) { result } }`, { id: answer.messageId });
    const orderId = data.inboundMessage.result.orderId;
    const docs = await waitFor(async () => {
      const d = await gqlOk(gateway.url, `query($id: ID!) { order(id: $id) { status documents { id type } } }`, { id: orderId });
      return d.order.documents.some((x: { type: string }) => x.type === "855") ? d.order.documents : null;
    }, "the 855");
    const doc = await fetch(`${base}/documents/${docs.find((x: { type: string }) => x.type === "855").id}`, { headers: { authorization: await bearer() } });
    expect(doc.status).toBe(200);
    expect(doc.headers.get("x-document-type")).toBe("855");
    expect(await doc.text()).toMatch(/^ISA\*00\*.*\nST\*855\*0001~\nBAK\*00\*A[DC]\*DIST-PO-1\*20261127/s);
  });

  it("holds the order when the erp-finance process is down, instead of approving it", async () => {
    await subgraphs["erp-finance"].close();
    const r = await place("dist-2");
    expect(r.outcome).toBe("CREDIT_HOLD");
    expect(r.order).toMatchObject({ status: "CREDIT_HOLD", businessUnit: null });
    expect(r.reasons).toEqual([
      {
        code: "CREDIT_CHECK_UNAVAILABLE",
        message: expect.stringMatching(/^credit check failed: erp-finance is unavailable \(cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\)\)/),
      },
    ]);
  });
});
