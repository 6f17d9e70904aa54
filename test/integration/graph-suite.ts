// The graph's behaviour through the gateway, run once per store (PGlite and PostgreSQL server).
import { testSecurity } from "../helpers/auth.js";
import { bearer } from "../helpers/auth.js";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subgraphRepresentationsSaved } from "../../platform/telemetry/metrics.js";
import { gql, gqlOk } from "../helpers/graphql.js";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import type { StoreKind } from "../helpers/databases.js";
import { subscriptionOptionsFromEnv } from "../../app/config.js";
import { subgraphOutageTests } from "./outage-suite.js";
import { operationLimitTests } from "./operation-limits-suite.js";
import { inFlightSharingTests } from "./in-flight-sharing-suite.js";
import { subgraphNames } from "../../subgraphs/catalog.js";

const unifiedOrderView = fs.readFileSync(new URL("../../examples/unified-order-view.graphql", import.meta.url), "utf8");
const ordersPage = fs.readFileSync(new URL("../../examples/orders-page.graphql", import.meta.url), "utf8");

export function graphSuite(kind: StoreKind) {
  describe(`the federated graph on ${kind}`, () => {
    let t: TestApp;
    let url: string;
    beforeAll(async () => {
      // No background readers (consumers, the subscription follower's poll) that would add to the
      // statement counts the batching test takes.
      // The runaway-query tests exercise the result caps at run time: the estimated-cost limit,
      // which would refuse that query before it runs (security suite), is raised here, and the
      // per-subgraph endpoints are on for the direct-call test.
      t = await startTestApp(kind, {
        hostOptions: { consumers: false },
        subscriptionOptions: { ...subscriptionOptionsFromEnv({}), pollIntervalMs: 600_000 },
        security: testSecurity({}, { MAX_COST: "1000000000000000", SUBGRAPH_DEBUG_ENDPOINTS: "true" }),
      });
      url = t.app.url;
    });
    afterAll(async () => t?.close());

    it("answers the unified order view from all four subgraphs, consistent with the stored data", async () => {
      const shipped = t.demo.orders.find((o) => o.status === "INVOICED")!;
      const data = await gqlOk(url, unifiedOrderView, { id: shipped.id });
      const order = data.order;
      expect(order.id).toBe(shipped.id);
      expect(order.status).toBe("INVOICED");
      const lines = t.demo.orderLines.filter((l) => l.orderId === shipped.id);
      expect(order.lines.map((l: any) => l.product.sku)).toEqual(lines.sort((a, b) => a.lineNumber - b.lineNumber).map((l) => l.sku));
      // inventory: positions come from the inventory subgraph and match the stored rows
      const firstSku = order.lines[0].product.sku;
      const stored = t.demo.inventoryPositions.filter((p) => p.sku === firstSku);
      expect(order.lines[0].product.positions).toHaveLength(stored.length);
      const avail = stored.reduce((s, p) => s + p.onHand - p.allocated - p.reserved - p.damaged - p.qualityHold - p.safetyStock, 0);
      expect(order.lines[0].product.availableQuantity).toBe(avail);
      // shipments subgraph
      const shipments = t.demo.shipments.filter((s) => s.orderId === shipped.id);
      expect(order.shipments.map((s: any) => s.id).sort()).toEqual(shipments.map((s) => s.id).sort());
      expect(order.shipments[0].packages.length).toBeGreaterThan(0);
      expect(order.shipments[0].packages[0].sscc).toMatch(/^\d{18}$/);
      expect(order.shipments[0].milestones.length).toBeGreaterThan(0);
      // erp-finance subgraph
      const invoices = t.demo.invoices.filter((i) => i.orderId === shipped.id);
      expect(order.invoices.map((i: any) => i.id).sort()).toEqual(invoices.map((i) => i.id).sort());
      expect(order.invoices[0].total).toBe(String(invoices.find((i) => i.id === order.invoices[0].id)!.total));
      expect(order.invoices[0].lines.length).toBeGreaterThan(0);
    });

    it("returns null without an error for a missing entity", async () => {
      const res = await gql(
        url,
        `{ order(id: "ORD-NOPE") { id } product(sku: "NOPE") { sku } shipment(id: "X") { id } invoice(id: "X") { id } customer(id: "X") { id } location(id: "X") { id } }`,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ order: null, product: null, shipment: null, invoice: null, customer: null, location: null });
    });

    it("pages through orders newest first without overlap, and totalCount follows the filter", async () => {
      const first = await gqlOk(url, `{ orders(first: 7) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id placedAt } } } }`);
      expect(first.orders.totalCount).toBe(t.demo.orders.length);
      expect(first.orders.edges).toHaveLength(7);
      const second = await gqlOk(url, `query($after: String) { orders(first: 7, after: $after) { nodes { id placedAt } } }`, {
        after: first.orders.pageInfo.endCursor,
      });
      const all = [...first.orders.edges.map((e: any) => e.node), ...second.orders.nodes];
      expect(new Set(all.map((o: any) => o.id)).size).toBe(14);
      const expected = [...t.demo.orders]
        .sort((a, b) => +new Date(b.placedAt) - +new Date(a.placedAt) || (a.id < b.id ? 1 : -1))
        .slice(0, 14)
        .map((o) => o.id);
      expect(all.map((o: any) => o.id)).toEqual(expected);
    });

    it("pages backward with last/before: the same rows as forward, in the same order, with Relay page info", async () => {
      const byTime = (a: { placedAt: string | Date; id: string }, b: { placedAt: string | Date; id: string }) =>
        +new Date(b.placedAt) - +new Date(a.placedAt) || (a.id < b.id ? 1 : -1);
      const expected = [...t.demo.orders].sort(byTime).map((o) => o.id);
      const page = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id }`;
      // The last 5 orders of the whole list (the oldest five), still newest first within the page.
      const tail = await gqlOk(url, `{ orders(last: 5) { ${page} } }`);
      expect(tail.orders.nodes.map((o: any) => o.id)).toEqual(expected.slice(-5));
      expect(tail.orders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      // Walk backward from there to the start: every order once, in forward order, and the first
      // page reached says nothing is before it.
      const seen: string[][] = [tail.orders.nodes.map((o: any) => o.id)];
      let before = tail.orders.pageInfo.startCursor;
      for (let more = true; more;) {
        const prev = await gqlOk(url, `query($b: String) { orders(last: 40, before: $b) { ${page} } }`, { b: before });
        expect(prev.orders.pageInfo.hasNextPage).toBe(true);
        seen.unshift(prev.orders.nodes.map((o: any) => o.id));
        before = prev.orders.pageInfo.startCursor;
        more = prev.orders.pageInfo.hasPreviousPage;
      }
      expect(seen.flat()).toEqual(expected);
      // Forward page info: a page after a cursor has a previous page and its own start cursor.
      const forward = await gqlOk(url, `query($a: String) { orders(first: 3, after: $a) { ${page} } }`, { a: tail.orders.pageInfo.startCursor });
      expect(forward.orders.nodes.map((o: any) => o.id)).toEqual(expected.slice(-4, -1));
      expect(forward.orders.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
      expect(forward.orders.pageInfo.startCursor).not.toBeNull();
      // Other connections ordered ascending (products by sku) page backward the same way.
      const products = await gqlOk(url, `{ products(last: 2) { nodes { sku } pageInfo { hasNextPage hasPreviousPage } } }`);
      const skus = t.demo.products.map((p) => p.sku).sort();
      expect(products.products.nodes.map((p: any) => p.sku)).toEqual(skus.slice(-2));
      expect(products.products.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: skus.length > 2 });
      // Mixing directions is refused, naming the arguments.
      const mixed = await gql(url, `{ shipments(first: 2, before: "x") { totalCount } }`);
      expect(mixed.errors?.[0].extensions?.code).toBe("INVALID_PAGE_ARGUMENTS");
      expect(mixed.errors?.[0].message).toContain("first, before");
      const badBefore = await gql(url, `{ invoices(last: 2, before: "nope") { totalCount } }`);
      expect(badBefore.errors?.[0].extensions?.code).toBe("INVALID_CURSOR");
      expect(badBefore.errors?.[0].message).toContain('Argument "before"');
    });

    it("runs a batch of operations in one request up to GRAPHQL_BATCH_MAX, and refuses a longer one before running any", async () => {
      const authorization = await bearer();
      const post = (body: unknown) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify(body) });
      // An order the lifecycle would let this batch cancel, so a batch that ran would show.
      const id = t.demo.orders.find((o) => o.status === "CREDIT_HOLD")!.id;
      const ok = await post([{ query: `query($id: ID!) { order(id: $id) { id } }`, variables: { id } }, { query: `{ products(first: 1) { nodes { sku } } }` }]);
      expect(ok.status).toBe(200);
      const answers = await ok.json();
      expect(answers).toHaveLength(2);
      expect(answers[0].data.order.id).toBe(id);
      expect(answers[1].data.products.nodes).toHaveLength(1);
      // 11 > the default 10: a 400 naming both figures, and not one operation ran (a mutation in it did not apply).
      const before = await gqlOk(url, `query($id: ID!) { order(id: $id) { status statusHistory { to at } } }`, { id });
      const tooMany = await post([
        { query: `mutation($id: ID!) { cancelOrder(id: $id, reason: "batch test") { id status } }`, variables: { id } },
        ...Array.from({ length: 10 }, () => ({ query: `{ __typename }` })),
      ]);
      expect(tooMany.status).toBe(400);
      const refused = await tooMany.json();
      expect(refused.errors[0].extensions).toMatchObject({ code: "BATCH_TOO_LARGE", limit: 10, value: 11 });
      expect(refused.errors[0].message).toContain("11 operations; at most 10");
      const after = await gqlOk(url, `query($id: ID!) { order(id: $id) { status statusHistory { to at } } }`, { id });
      expect(after.order).toEqual(before.order);
    });

    it("answers a plain GET query from a tool, and still refuses a browser's GET from another site (CSRF)", async () => {
      const authorization = await bearer();
      const query = encodeURIComponent(`{ products(first: 2) { nodes { sku } } }`);
      const tool = await fetch(`${url}?query=${query}`, { headers: { authorization } });
      expect(tool.status).toBe(200);
      expect((await tool.json()).data.products.nodes).toHaveLength(2);
      const crossSite = await fetch(`${url}?query=${query}`, { headers: { authorization, "sec-fetch-site": "cross-site", origin: "https://evil.example" } });
      expect(crossSite.status).toBe(400);
      expect(await crossSite.text()).toContain("Cross-Site Request Forgery");
      const oldBrowserOtherOrigin = await fetch(`${url}?query=${query}`, { headers: { authorization, origin: "https://evil.example" } });
      expect(oldBrowserOtherOrigin.status).toBe(400);
      const sameOrigin = await fetch(`${url}?query=${query}`, { headers: { authorization, "sec-fetch-site": "same-origin" } });
      expect(sameOrigin.status).toBe(200);
      // Mutations never run over GET, whoever sends them.
      const mutation = await fetch(`${url}?query=${encodeURIComponent(`mutation { cancelOrder(id: "${t.demo.orders[0].id}", reason: "get") { id } }`)}`, {
        headers: { authorization },
      });
      expect(mutation.status).toBe(405);
    });

    it("filters orders by status, channel, customer, PO, external reference and placed date range", async () => {
      const sample = t.demo.orders.find((o) => o.channel === "COMMERCE")!;
      const shopifyRef = t.demo.orderExternalRefs.find((r) => r.orderId === sample.id && r.system === "SHOPIFY")!;
      expect(BigInt(shopifyRef.value) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      const byRef = await gqlOk(url, `query($v: String) { orders(filter: { externalRef: $v }) { totalCount nodes { id externalRefs { system value } } } }`, {
        v: shopifyRef.value,
      });
      expect(byRef.orders.nodes.map((o: any) => o.id)).toEqual([sample.id]);
      expect(byRef.orders.nodes[0].externalRefs).toContainEqual({ system: "SHOPIFY", value: shopifyRef.value });

      const status = await gqlOk(
        url,
        `{ orders(filter: { status: [CREDIT_HOLD, CANCELLED], channel: [EDI] }, first: 500) { totalCount nodes { status channel } } }`,
      );
      const expected = t.demo.orders.filter((o) => ["CREDIT_HOLD", "CANCELLED"].includes(o.status) && o.channel === "EDI").length;
      expect(status.orders.totalCount).toBe(expected);
      expect(status.orders.nodes.every((o: any) => ["CREDIT_HOLD", "CANCELLED"].includes(o.status) && o.channel === "EDI")).toBe(true);

      const edi = t.demo.orders.find((o) => o.channel === "EDI" && o.customerPo)!;
      const byPo = await gqlOk(url, `query($po: String, $c: ID) { orders(filter: { customerPo: $po, customerId: $c }) { nodes { id customer { id } } } }`, {
        po: edi.customerPo,
        c: edi.customerId,
      });
      expect(byPo.orders.nodes.map((o: any) => o.id)).toContain(edi.id);
      expect(byPo.orders.nodes.every((o: any) => o.customer.id === edi.customerId)).toBe(true);

      const from = "2026-10-01T00:00:00.000Z";
      const to = "2026-10-08T00:00:00.000Z";
      const range = await gqlOk(
        url,
        `query($f: DateTime, $t: DateTime) { orders(filter: { placedFrom: $f, placedTo: $t }, first: 500) { totalCount nodes { placedAt } } }`,
        { f: from, t: to },
      );
      const inRange = t.demo.orders.filter((o) => new Date(o.placedAt) >= new Date(from) && new Date(o.placedAt) < new Date(to)).length;
      expect(range.orders.totalCount).toBe(inRange);
      expect(range.orders.nodes.every((o: any) => o.placedAt >= from && o.placedAt < to)).toBe(true);
    });

    it("rejects bad arguments with stable error codes", async () => {
      const cases: [string, string][] = [
        [`{ orders(first: 0) { totalCount } }`, "PAGE_SIZE_OUT_OF_RANGE"],
        [`{ orders(first: 501) { totalCount } }`, "PAGE_SIZE_OUT_OF_RANGE"],
        [`{ orders(after: "not-a-cursor") { totalCount } }`, "INVALID_CURSOR"],
        [`{ orders(filter: { placedFrom: "2026-11-01T00:00:00Z", placedTo: "2026-10-01T00:00:00Z" }) { totalCount } }`, "INVALID_DATE_RANGE"],
        [`{ shipments(filter: { sscc: "123" }) { totalCount } }`, "INVALID_ARGUMENT"],
        [`{ inventoryPositions(filter: { locationId: "LOC-NOWHERE" }) { totalCount } }`, "INVALID_ARGUMENT"],
        [`{ orders { nope } }`, "GRAPHQL_VALIDATION_FAILED"],
      ];
      for (const [query, code] of cases) {
        const res = await gql(url, query);
        expect(res.errors?.[0]?.extensions?.code, query).toBe(code);
      }
      const badDate = await gql(url, `query($f: DateTime) { orders(filter: { placedFrom: $f }) { totalCount } }`, { f: "yesterday" });
      expect(badDate.errors?.[0]?.message).toMatch(/DateTime/);
    });

    it("resolves cross-domain fields through entity references", async () => {
      const customer = t.demo.customers[3];
      const data = await gqlOk(
        url,
        `query($id: ID!) { customer(id: $id) { id name businessUnit { erpSystem } creditLimit creditExposure availableCredit paymentTerms { code netDays }
            orders(first: 3) { totalCount nodes { id customer { id } } } invoices { id customer { id } } } }`,
        { id: customer.id },
      );
      expect(data.customer.orders.totalCount).toBe(t.demo.orders.filter((o) => o.customerId === customer.id).length);
      expect(data.customer.orders.nodes.every((o: any) => o.customer.id === customer.id)).toBe(true);
      const open = t.demo.invoices.filter((i) => i.customerId === customer.id && i.status === "OPEN");
      const exposure = open.reduce((s, i) => s + Math.round(Number(i.total) * 100) - Math.round(Number(i.amountPaid ?? 0) * 100), 0);
      expect(Math.round(Number(data.customer.creditExposure) * 100)).toBe(exposure);

      const pkg = t.demo.packages[0];
      const byS = await gqlOk(
        url,
        `query($s: String) { shipments(filter: { sscc: $s }) { nodes { id order { id status } invoice { id } shipFrom { name kind } } } }`,
        { s: pkg.sscc },
      );
      expect(byS.shipments.nodes.map((s: any) => s.id)).toEqual([pkg.shipmentId]);
      expect(byS.shipments.nodes[0].shipFrom.kind).toBe("WAREHOUSE");

      const warehouse = t.demo.locations.find((l) => l.kind === "WAREHOUSE")!;
      const low = await gqlOk(
        url,
        `query($l: ID) { inventoryPositions(filter: { locationId: $l, belowAvailable: 10 }, first: 500) { totalCount nodes { available location { id ancestors { id } } product { sku openDemand } } } }`,
        { l: warehouse.id },
      );
      expect(low.inventoryPositions.nodes.length).toBeGreaterThan(0);
      for (const p of low.inventoryPositions.nodes) {
        expect(p.available).toBeLessThan(10);
        expect([p.location.id, ...p.location.ancestors.map((a: any) => a.id)]).toContain(warehouse.id);
      }
    });

    it("issues the same small number of SQL statements for 10 and for 100 orders with nested fields", async () => {
      const count = async (first: number) => {
        const before = t.database.statements.count;
        // Shipped and invoiced orders, so every nested list has rows to fetch.
        const data = await gqlOk(url, ordersPage, { first, filter: { status: ["SHIPPED", "INVOICED"] } });
        expect(data.orders.nodes.every((o: any) => o.shipments.length > 0)).toBe(true);
        expect(data.orders.nodes).toHaveLength(first);
        return t.database.statements.count - before;
      };
      // The counter sees every statement on the database, the event consumers' fallback polls too
      // (one per consumer per EVENT_POLL_MS): the fewer of two runs is the request's own.
      const ten = Math.min(await count(10), await count(10));
      const hundred = Math.min(await count(100), await count(100));
      // orders page, count, lines, products, positions, locations, shipments, packages,
      // invoices, invoice lines: one statement each, whatever the page size.
      expect(hundred).toBe(ten);
      expect(ten).toBe(10);
    });

    it("asks for each repeated product once in a page's entity fetch, and answers as if every repeat had been sent", async () => {
      const saved = async () => (await subgraphRepresentationsSaved.get()).values.reduce((n, v) => n + v.value, 0);
      const before = await saved();
      const page = await gqlOk(url, ordersPage, { first: 50 });
      // The demo's orders share products across lines: the planner repeats their representations.
      expect((await saved()) - before).toBeGreaterThan(0);
      // Each order asked alone (no repeats across orders to drop) with the page's selection: the same answer.
      const oneOrder = `query($id: ID!) { order(id: $id) { id status
        lines { sku quantityOrdered product { sku description positions { available location { name } } } }
        shipments { id packages { sscc } } invoices { id total lines { amount } } } }`;
      for (const order of page.orders.nodes.slice(0, 15)) expect((await gqlOk(url, oneOrder, { id: order.id })).order, order.id).toEqual(order);
    });

    subgraphOutageTests(() => t);
    operationLimitTests(() => t);
    inFlightSharingTests(() => t);

    it("reports ready on /health, with the ingestion wait", async () => {
      const res = await fetch(url.replace(/\/graphql$/, "/health"));
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.status).toBe("ready");
      expect(body.checks).toEqual({
        supergraph: true,
        database: true,
        databaseWrites: true,
        memory: true,
        ...Object.fromEntries(subgraphNames.map((n) => [`subgraph:${n}`, true])),
      });
      expect(body.ingestion).toEqual({ pending: 0, failed: 0, oldestPendingSeconds: null });
    });
  });
}
