// Security through the real gateway, run once per store: authentication on HTTP and WebSocket,
// authorization declared in the schema (denied fields never reach their subgraph), row-level
// rules for customer and business-unit tokens (every other customer's row tried: zero leaks, also
// through subscriptions), operation limits with zero subgraph fetches, and ingestion access.
import { subscriptionOptionsFromEnv } from "../../app/config.js";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { gql, gqlOk } from "../helpers/graphql.js";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import type { StoreKind } from "../helpers/databases.js";
import { collect, subscribed, wsClient } from "../helpers/ws-client.js";
import { post } from "../helpers/ingest.js";
import { bearer, signTestToken, TEST_AUTH_SECRET } from "../helpers/auth.js";
import { signHs256Token } from "../../platform/auth/tokens.js";
import { subgraphNames, type SubgraphName } from "../../subgraphs/catalog.js";
import { testSecurity } from "../helpers/auth.js";

export function securitySuite(kind: StoreKind) {
  describe(`security on ${kind}`, () => {
    let t: TestApp;
    let url: string;
    const fetches = {} as Record<SubgraphName, MockInstance>;
    const fetchCount = () => Object.values(fetches).reduce((n, s) => n + s.mock.calls.length, 0);
    const resetFetches = () => Object.values(fetches).forEach((s) => s.mockClear());

    beforeAll(async () => {
      t = await startTestApp(kind, {
        security: testSecurity({}, { INGEST_API_KEYS: "wms:wms-key-0123456789abcdef" }),
        subscriptionOptions: { ...subscriptionOptionsFromEnv({}), pollIntervalMs: 100 },
      });
      url = t.app.url;
      // Count every request the gateway makes to each subgraph (the real servers still answer).
      for (const name of subgraphNames) fetches[name] = vi.spyOn(t.app.host.subgraphs[name]!.server, "executeOperation");
    });
    afterAll(async () => t?.close());

    describe("authentication", () => {
      it("refuses a request without a token, with a bad signature, or expired: 401 naming why, nothing fetched", async () => {
        resetFetches();
        const none = await gql(url, "{ orders(first: 1) { totalCount } }", undefined, { authorization: "" });
        expect(none.status).toBe(401);
        expect(none.errors![0].extensions!.code).toBe("UNAUTHENTICATED");
        expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
        const forged = await signHs256Token("another-secret-of-at-least-32-characters!!", { sub: "x", scopes: ["orders:read"] });
        const bad = await gql(url, "{ orders(first: 1) { totalCount } }", undefined, { authorization: `Bearer ${forged}` });
        expect(bad.status).toBe(401);
        expect(bad.errors![0].message).toContain("signature");
        const expired = await signTestToken({ expiresIn: -60 });
        const old = await gql(url, "{ orders(first: 1) { totalCount } }", undefined, { authorization: `Bearer ${expired}` });
        expect(old.status).toBe(401);
        expect(old.errors![0].message).toContain("expired");
        const malformed = await gql(url, "{ orders(first: 1) { totalCount } }", undefined, { authorization: "Basic abc" });
        expect(malformed.status).toBe(401);
        expect(fetchCount()).toBe(0);
      });

      it("closes a WebSocket whose connection_init has no valid token (4401)", async () => {
        const client = wsClient(url, null);
        const sub = collect(client, "subscription { inventoryChanged { sequence } }");
        await expect(sub.done).rejects.toMatchObject({ code: 4401 });
        await client.dispose();
      });

      it("closes a subscription when its token expires (4401)", async () => {
        const token = await signTestToken({ expiresIn: 2 });
        const client = wsClient(url, token);
        const sub = collect(client, "subscription { inventoryChanged { sequence } }");
        // The close comes from the token's expiry (the reason says so), not from a timeout of ours.
        await expect(sub.done).rejects.toMatchObject({ code: 4401, reason: "token expired" });
        await client.dispose();
      });
    });

    describe("authorization declared in the schema", () => {
      it("answers a denied field with null and an error naming the missing scope, without asking its subgraph", async () => {
        const order = t.demo.orders.find((o) => o.status === "INVOICED")!;
        const token = await signTestToken({ scopes: ["orders:read", "shipments:read"] });
        resetFetches();
        const invoice = t.demo.invoices.find((i) => i.orderId === order.id)!;
        const res = await gql(
          url,
          `query($id: ID!, $inv: ID!) { order(id: $id) { id status shipments { id } } invoice(id: $inv) { id total } }`,
          { id: order.id, inv: invoice.id },
          { authorization: `Bearer ${token}` },
        );
        expect(res.status).toBe(200);
        expect(res.data.order.id).toBe(order.id);
        expect(res.data.order.shipments.length).toBeGreaterThan(0);
        expect(res.data.invoice).toBeNull();
        expect(res.errors).toHaveLength(1);
        expect(res.errors![0]).toMatchObject({ path: ["invoice"], extensions: { code: "FORBIDDEN", missingScopes: ["finance:read"] } });
        expect(res.errors![0].message).toContain("finance:read");
        expect(fetches["erp-finance"].mock.calls.length).toBe(0);
        expect(fetches.orders.mock.calls.length).toBeGreaterThan(0);
      });

      it("denies operations mutations without an operations scope, and changes nothing", async () => {
        const order = t.demo.orders.find((o) => o.status === "ACCEPTED" || o.status === "ALLOCATED")!;
        const token = await signTestToken({ scopes: ["orders:read", "orders:write"] });
        resetFetches();
        const res = await gql(
          url,
          `mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED, reason: "x") { id status } }`,
          { id: order.id },
          { authorization: `Bearer ${token}` },
        );
        expect(res.data).toBeNull();
        expect(res.errors![0].extensions).toMatchObject({ code: "FORBIDDEN", missingScopes: ["operations:write"] });
        expect(fetches.orders.mock.calls.length).toBe(0);
        expect((await t.database.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe(order.status);
        const replay = await gql(url, `mutation { replayDeadLetters { replayed } }`, undefined, { authorization: `Bearer ${token}` });
        expect(replay.errors![0].extensions).toMatchObject({ code: "FORBIDDEN", missingScopes: ["operations:write"] });
      });

      it("hides credit from a token without finance:read on a customer reached through an order", async () => {
        const order = t.demo.orders[0];
        const token = await signTestToken({ scopes: ["orders:read"] });
        const res = await gql(
          url,
          `query($id: ID!) { order(id: $id) { id customer { id name creditLimit availableCredit } } }`,
          { id: order.id },
          { authorization: `Bearer ${token}` },
        );
        // creditLimit is non-null: its denial nulls its nearest nullable parent, as GraphQL's null propagation says.
        expect(JSON.stringify(res.data)).not.toMatch(/creditLimit|availableCredit/);
        expect(res.errors!.map((e) => e.extensions!.field)).toEqual(expect.arrayContaining(["Customer.creditLimit"]));
        const allowed = await gql(
          url,
          `query($id: ID!) { order(id: $id) { id customer { id name } } }`,
          { id: order.id },
          { authorization: `Bearer ${token}` },
        );
        expect(allowed.data.order.customer).toEqual({ id: order.customerId, name: expect.any(String) });
      });
    });

    describe("row-level access", () => {
      const customerScopes = ["orders:read", "shipments:read", "finance:read"];

      it("a customer's token gets nothing of any other customer: every order, shipment, invoice and customer tried, zero leaks", async () => {
        const own = t.demo.orders[0].customerId;
        const token = await signTestToken({ sub: "buyer", scopes: customerScopes, customerId: own });
        const auth = { authorization: `Bearer ${token}` };
        let attempts = 0;
        let leaks = 0;
        const others = t.demo.orders.filter((o) => o.customerId !== own);
        const ordersOf = (ids: string[]) =>
          `{ ${ids.map((id, i) => `o${i}: order(id: "${id}") { id customer { id } shipments { id } invoices { id } }`).join(" ")} }`;
        for (let i = 0; i < others.length; i += 20) {
          const chunk = others.slice(i, i + 20).map((o) => o.id);
          const res = await gql(url, ordersOf(chunk), undefined, auth);
          expect(res.data).toBeTruthy();
          attempts += chunk.length;
          leaks += Object.values(res.data ?? {}).filter((v) => v !== null).length;
        }
        const otherInvoices = t.demo.invoices.filter((inv) => inv.customerId !== own);
        for (let i = 0; i < otherInvoices.length; i += 20) {
          const chunk = otherInvoices.slice(i, i + 20);
          const res = await gql(url, `{ ${chunk.map((inv, j) => `i${j}: invoice(id: "${inv.id}") { id }`).join(" ")} }`, undefined, auth);
          expect(res.data).toBeTruthy();
          attempts += chunk.length;
          leaks += Object.values(res.data ?? {}).filter((v) => v !== null).length;
        }
        const otherCustomers = t.demo.customers.filter((c) => c.id !== own);
        const cres: any = await gql(
          url,
          `{ ${otherCustomers
            .slice(0, 20)
            .map((c, j) => `c${j}: customer(id: "${c.id}") { id }`)
            .join(" ")} }`,
          undefined,
          auth,
        );
        expect(cres.data).toBeTruthy();
        attempts += Math.min(20, otherCustomers.length);
        leaks += Object.values(cres.data ?? {}).filter((v) => v !== null).length;
        // Shipments are read through the customer's orders only.
        for (const s of t.demo.shipments.filter((s) => t.demo.orders.find((o) => o.id === s.orderId)!.customerId !== own).slice(0, 20)) {
          const res = await gql(url, `{ shipment(id: "${s.id}") { id } }`, undefined, auth);
          expect(res.errors?.[0].extensions?.code).toBe("FORBIDDEN");
          attempts++;
          if (res.data?.shipment) leaks++;
        }
        // Lists: filtered to the token's customer whatever the filter asks.
        const lists: any = await gql(
          url,
          `{ orders(first: 500, filter: { customerId: "${otherCustomers[0].id}" }) { nodes { id } } invoices(first: 500) { nodes { customer { id } } } customers(first: 500) { nodes { id } } }`,
          undefined,
          auth,
        );
        expect(lists.errors).toBeUndefined();
        attempts += 3;
        leaks +=
          lists.data.orders.nodes.length +
          lists.data.invoices.nodes.filter((n: any) => n.customer.id !== own).length +
          lists.data.customers.nodes.filter((n: any) => n.id !== own).length;
        expect(attempts).toBeGreaterThan(others.length);
        expect(leaks).toBe(0);

        // Its own data is all there.
        const mine = await gqlOk(url, `{ orders(first: 500) { totalCount } customer(id: "${own}") { id } }`, undefined);
        const ownRes = await gql(url, `{ orders(first: 500) { totalCount } customer(id: "${own}") { id creditLimit } }`, undefined, auth);
        expect(ownRes.data.orders.totalCount).toBe(t.demo.orders.filter((o) => o.customerId === own).length);
        expect(ownRes.data.customer.id).toBe(own);
        expect(mine.orders.totalCount).toBe(t.demo.orders.length);
      });

      it("a business unit's token lists only that unit's customers and invoices", async () => {
        const unit = t.demo.businessUnits[0].id;
        const token = await signTestToken({ scopes: customerScopes, businessUnitId: unit });
        const res = await gql(
          url,
          `{ customers(first: 500) { nodes { businessUnit { id } } } invoices(first: 500) { nodes { businessUnit { id } } } }`,
          undefined,
          { authorization: `Bearer ${token}` },
        );
        expect(res.data.customers.nodes.length).toBe(t.demo.customers.filter((c) => c.businessUnitId === unit).length);
        expect(res.data.customers.nodes.every((c: any) => c.businessUnit.id === unit)).toBe(true);
        expect(res.data.invoices.nodes.every((i: any) => i.businessUnit.id === unit)).toBe(true);
      });

      it("a customer's subscription delivers only its own orders' changes, follow-ups included", async () => {
        const mineOrder = t.demo.orders.find((o) => o.status === "ACCEPTED")!;
        const own = mineOrder.customerId;
        const otherOrder = t.demo.orders.find((o) => o.customerId !== own && o.status === "ACCEPTED")!;
        const token = await signTestToken({ scopes: customerScopes, customerId: own });
        const client = wsClient(url, token);
        const admin = wsClient(url);
        const listeners = t.app.subscriptions.follower!.listenerCount;
        const sub = collect(client, `subscription { orderStatusChanged { newStatus order { id customer { id } } } }`);
        const all = collect(admin, `subscription { orderStatusChanged { newStatus order { id } } }`);
        await subscribed(t.app.subscriptions.follower, listeners + 2);
        for (const id of [otherOrder.id, mineOrder.id]) {
          await gqlOk(url, `mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED, reason: "security test") { id } }`, { id });
        }
        await all.waitFor(2);
        await sub.waitFor(1);
        // The admin saw both; the customer only its own, and nothing after it.
        expect(all.results.map((r) => r.data.orderStatusChanged.order.id)).toEqual([otherOrder.id, mineOrder.id]);
        expect(sub.results).toHaveLength(1);
        expect(sub.results[0].data.orderStatusChanged.order).toEqual({ id: mineOrder.id, customer: { id: own } });
        sub.stop();
        all.stop();
        await client.dispose();
        await admin.dispose();
      });
    });

    describe("operation limits, before any subgraph fetch", () => {
      const refused = async (query: string, limit: string, body?: unknown, code = "OPERATION_LIMIT_EXCEEDED") => {
        resetFetches();
        const res = body
          ? await fetch(url, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: await bearer() },
              body: JSON.stringify(body),
            }).then(async (r) => ({ status: r.status, ...((await r.json()) as any) }))
          : await gql(url, query);
        expect(res.status).toBe(400);
        expect(res.errors[0].extensions).toMatchObject({ code, ...(code === "OPERATION_LIMIT_EXCEEDED" && { limit }) });
        expect(res.errors[0].message).toContain(limit);
        expect(fetchCount()).toBe(0);
        return res.errors[0].extensions;
      };

      it("refuses a deep query, an alias bomb, a cost bomb, a root-field flood, a token bomb and a batch bomb with zero fetches", async () => {
        const deep = `{ orders(first: 1) { nodes { ${"customer { orders(first: 1) { nodes { ".repeat(6)}id${" } } }".repeat(6)} } } }`;
        expect((await refused(deep, "MAX_DEPTH")).value).toBeGreaterThan(15);
        const aliases = `{ orders(first: 1) { nodes { ${Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(" ")} } } }`;
        expect((await refused(aliases, "MAX_ALIASES")).value).toBe(40);
        const cost = `{ orders(first: 500) { nodes { customer { orders(first: 500) { nodes { lines { sku } } } } } } }`;
        expect((await refused(cost, "MAX_COST")).value).toBeGreaterThan(200_000);
        const roots = `{ ${Array.from({ length: 21 }, (_, i) => `r${i}: orders(first: 1) { totalCount }`).join(" ")} }`;
        await refused(roots, "MAX_ROOT_FIELDS");
        const tokens = `{ orders(first: 1) { ${"totalCount ".repeat(6000)} } }`;
        await refused(tokens, "MAX_TOKENS");
        // The batch size limit is GRAPHQL_BATCH_MAX's (platform/http/graphql-requests.ts).
        const batch = Array.from({ length: 1000 }, () => ({ query: "{ orders(first: 1) { totalCount } }" }));
        await refused("", "GRAPHQL_BATCH_MAX", batch, "BATCH_TOO_LARGE");
      });

      it("runs a batch within the limit", async () => {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: await bearer() },
          body: JSON.stringify([{ query: "{ orders(first: 1) { totalCount } }" }, { query: "{ products(first: 1) { totalCount } }" }]),
        });
        const body = (await res.json()) as any[];
        expect(body.map((b) => Object.keys(b.data)[0])).toEqual(["orders", "products"]);
      });
    });

    describe("ingestion access", () => {
      const event = (id: string) =>
        JSON.stringify({ eventId: id, type: "RECEIPT", sku: "SKU-10001", location: "WH-ATL", quantity: 1, occurredAt: "2026-11-28T10:00:00Z" });
      const stored = () => t.database.db.inboundMessage.count();

      it("refuses a wrong API key, a token without the ingest scope and a cross-origin browser post, storing nothing", async () => {
        const before = await stored();
        const wrongKey = await post(url, "/ingest/wms/inventory", event("sec-1"), { "x-api-key": "not-the-key-0123456789" });
        expect(wrongKey.status).toBe(401);
        const keyOfOtherSource = await post(url, "/ingest/x12", "ISA*00*", { "x-api-key": "wms-key-0123456789abcdef", "content-type": "application/edi-x12" });
        expect(keyOfOtherSource.status).toBe(401);
        const readOnly = await signTestToken({ scopes: ["orders:read"] });
        const noScope = await post(url, "/ingest/wms/inventory", event("sec-2"), { authorization: `Bearer ${readOnly}` });
        expect(noScope.status).toBe(403);
        expect(noScope.json.error).toContain("ingest");
        const anonymous = await post(url, "/ingest/wms/inventory", event("sec-3"), { authorization: "" });
        expect(anonymous.status).toBe(401);
        // What a page on another origin can send without a preflight: text/plain, no credentials.
        const browser = await post(url, "/ingest/wms/inventory", event("sec-4"), { "content-type": "text/plain", origin: "https://evil.example" });
        expect(browser.status).toBe(403);
        expect(await stored()).toBe(before);
      });

      it("accepts the source's API key and a token with the ingest scope", async () => {
        const withKey = await post(url, "/ingest/wms/inventory", event("sec-5"), { "x-api-key": "wms-key-0123456789abcdef" });
        expect(withKey.status).toBeLessThan(300);
        const ingestToken = await signTestToken({ scopes: ["ingest"] });
        const withToken = await post(url, "/ingest/wms/inventory", event("sec-6"), { authorization: `Bearer ${ingestToken}` });
        expect(withToken.status).toBeLessThan(300);
      });
    });

    describe("REST routes (bulk export, outbound documents)", () => {
      const get = async (path: string, authorization: string) => {
        const res = await fetch(url.replace(/\/graphql$/, path), { headers: authorization ? { authorization } : {} });
        return { status: res.status, headers: res.headers, text: await res.text() };
      };

      it("refuses an export without a token (401), without the dataset's scope (403 naming it), and to a customer's token; serves it with the scope", async () => {
        const none = await get("/export/invoices?limit=1", "");
        expect(none.status).toBe(401);
        expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
        const ordersOnly = `Bearer ${await signTestToken({ scopes: ["orders:read"] })}`;
        const noScope = await get("/export/invoices?limit=1", ordersOnly);
        expect(noScope.status).toBe(403);
        expect(JSON.parse(noScope.text)).toMatchObject({ code: "FORBIDDEN", missingScopes: ["finance:read"] });
        expect((await get("/export/orders?limit=1", ordersOnly)).status).toBe(200);
        const customer = t.demo.customers[0]!;
        const customerToken = `Bearer ${await signTestToken({ scopes: ["orders:read", "finance:read"], customerId: customer.id })}`;
        const rowScoped = await get("/export/orders?limit=1", customerToken);
        expect(rowScoped.status).toBe(403);
        expect(rowScoped.text).toContain("customer");
        const ok = await get("/export/invoices?limit=2", `Bearer ${await signTestToken({ scopes: ["finance:read"] })}`);
        expect(ok.status).toBe(200);
        expect(ok.text.trim().split("\n")).toHaveLength(2);
      });

      it("refuses an outbound document without a token or without orders:read", async () => {
        expect((await get("/documents/DOC-anything", "")).status).toBe(401);
        const financeOnly = `Bearer ${await signTestToken({ scopes: ["finance:read"] })}`;
        const denied = await get("/documents/DOC-anything", financeOnly);
        expect(denied.status).toBe(403);
        expect(JSON.parse(denied.text).missingScopes).toEqual(["orders:read"]);
        // With the scope the route itself answers (an unknown document: 404).
        expect((await get("/documents/DOC-anything", await bearer())).status).toBe(404);
      });
    });

    it("serves no per-subgraph endpoint unless SUBGRAPH_DEBUG_ENDPOINTS is on", async () => {
      const res = await fetch(url.replace(/\/graphql$/, "/subgraphs/orders/graphql"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ _service { sdl } }" }),
      });
      expect(res.status).toBe(404);
    });

    it("serves the API catalog with owners, scopes and deprecations", async () => {
      const res = await fetch(url.replace(/\/graphql$/, "/catalog"));
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<h2 id="Order">Order');
      expect(html).toMatch(/<code>invoices<\/code><\/td><td><code>[^<]*<\/code><\/td><td>erp-finance<\/td><td>finance:read<\/td>/);
      expect(html).toContain('<tr class="deprecated"><td><code>note</code>');
      expect(TEST_AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    });
  });
}
