// Every error body, on every route, is JSON with a code and a message meant for the caller:
// GraphQL endpoints answer in GraphQL's shape ({ errors: [{ message, extensions: { code } }] }),
// every other route with { code, message, correlationId }. Originals (stack traces, database
// errors with file paths) stay in the server log under the request's correlation id.
// Runs on each store: PGlite's and PostgreSQL's error texts differ, and neither may reach a caller.
import { bearer, testSecurity } from "../helpers/auth.js";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { post } from "../helpers/ingest.js";
import { createStockFixture, fixtureSkus } from "../helpers/stock-fixture.js";
import type { StoreKind } from "../helpers/databases.js";

const internals = /\/work\/|node_modules|\.ts:\d+|\n\s*at |<html|prisma\.|Invalid `/i;
/**
 * What a database failure must not put in front of a caller: SQL, SQLSTATE codes, the names of
 * tables, and the text of Prisma, the driver adapters (pg, PGlite) or the server.
 */
const databaseText = [
  internals,
  /prisma|DriverAdapter|pglite|node-postgres|\bpg\b|postgres|SQLSTATE|\b(42P01|22021|23514|57014)\b|Code: `/i,
  /\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|RETURNING)\b|\brelation\b|does not exist|"?(inventory|shipments)"?\."|StockMovement|ShipmentAway|"Shipment"/,
];
const expectNoDatabaseText = (text: string) => {
  for (const pattern of databaseText) expect(text).not.toMatch(pattern);
};

export function errorBodiesSuite(kind: StoreKind) {
  describe(`error bodies on ${kind}`, () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp(kind, { demo: false, security: testSecurity({}, { SUBGRAPH_DEBUG_ENDPOINTS: "true" }) });
      await createStockFixture(t.database.db);
      base = t.app.url.replace(/\/graphql$/, "");
    });
    afterAll(async () => t?.close());
    afterEach(() => vi.restoreAllMocks());

    const expectPlainError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const text = await res.text();
      expect(text).not.toMatch(internals);
      const body = JSON.parse(text);
      expect(body).toMatchObject({ code, message: expect.any(String), correlationId: res.headers.get("x-correlation-id") });
      return body;
    };
    const expectGraphQLError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const text = await res.text();
      expect(text).not.toMatch(internals);
      const body = JSON.parse(text);
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]).toMatchObject({ message: expect.any(String), extensions: { code } });
      return body.errors[0];
    };

    it("unknown routes: 404 JSON naming the route", async () => {
      const body = await expectPlainError(await fetch(`${base}/nope?x=1`), 404, "ROUTE_NOT_FOUND");
      expect(body.message).toContain("GET /nope");
      await expectPlainError(await fetch(`${base}/graphql/extra`, { method: "POST" }), 404, "ROUTE_NOT_FOUND");
    });

    it("malformed JSON on /graphql and on a subgraph: 400 in GraphQL's shape", async () => {
      for (const url of [t.app.url, t.app.subgraphUrls.orders]) {
        const error = await expectGraphQLError(
          await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query": "{ __typename }",' }),
          400,
          "BAD_REQUEST",
        );
        expect(error.message).toMatch(/not valid JSON/);
      }
    });

    it("a /graphql body over BODY_LIMIT: 413 naming the limit, not Express's HTML page", async () => {
      const body = JSON.stringify({ query: `{ __typename }`, variables: { pad: "x".repeat(1024 * 1024 + 10) } });
      const error = await expectGraphQLError(
        await fetch(t.app.url, { method: "POST", headers: { "content-type": "application/json" }, body }),
        413,
        "PAYLOAD_TOO_LARGE",
      );
      expect(error.message).toContain("1mb");
      expect(error.message).toContain("BODY_LIMIT");
    });

    it("an unsupported body charset: 415 in GraphQL's shape", async () => {
      await expectGraphQLError(
        await fetch(t.app.url, { method: "POST", headers: { "content-type": "application/json; charset=klingon" }, body: "{}" }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
    });

    it("ingestion: a database failure while applying answers a caller's message; the original is logged with the correlation id", async () => {
      // Server logs are JSON lines on stdout (pino).
      const logged = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      await t.database.db.$executeRawUnsafe(`ALTER TABLE inventory."StockMovement" RENAME TO "StockMovementAway"`);
      try {
        const res = await post(
          `${base}/`,
          "/ingest/wms/inventory",
          JSON.stringify({ eventId: "err-body-1", type: "RECEIPT", sku: fixtureSkus[0], location: "FX-WH-A", quantity: 1, occurredAt: "2026-11-28T10:00:00Z" }),
          { "x-correlation-id": "err-body-corr-1" },
        );
        // Stored, and retried later: 503 with the caller's sentence, never the database's own text.
        expect(res.status).toBe(503);
        expectNoDatabaseText(res.text);
        expect(res.json).toMatchObject({
          state: "FAILED",
          failedStep: "APPLY",
          code: "APPLY_FAILED",
          correlationId: "err-body-corr-1",
          error: expect.stringContaining("err-body-corr-1"),
        });
        const lines = logged.mock.calls.map((c) => String(c[0]));
        expect(lines.some((l) => l.includes("err-body-corr-1") && l.includes("StockMovement"))).toBe(true);
      } finally {
        await t.database.db.$executeRawUnsafe(`ALTER TABLE inventory."StockMovementAway" RENAME TO "StockMovement"`);
      }
    });

    it("GraphQL: an unexpected resolver error is masked for the caller and logged with the correlation id", async () => {
      // Server logs are JSON lines on stdout (pino).
      const logged = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      await t.database.db.$executeRawUnsafe(`ALTER TABLE shipments."Shipment" RENAME TO "ShipmentAway"`);
      try {
        const res = await fetch(t.app.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-correlation-id": "masked-1", authorization: await bearer() },
          body: JSON.stringify({ query: `{ shipments(first: 1) { nodes { id } } }` }),
        });
        const text = await res.text();
        expectNoDatabaseText(text);
        const body = JSON.parse(text);
        expect(body.errors[0]).toMatchObject({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } });
        const lines = logged.mock.calls.map((c) => String(c[0]));
        expect(lines.some((l) => l.includes('"correlationId":"masked-1"') && l.includes("Shipment"))).toBe(true);
      } finally {
        await t.database.db.$executeRawUnsafe(`ALTER TABLE shipments."ShipmentAway" RENAME TO "Shipment"`);
      }
    });

    it("ingestion: dead letters carry a code with their caller's message", async () => {
      const bad = await post(`${base}/`, "/ingest/wms/inventory", "{not json");
      expect(bad.status).toBe(400);
      expect(bad.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "PARSE", code: "PARSE_FAILED", error: expect.stringContaining("not valid JSON") });
      const invalid = await post(
        `${base}/`,
        "/ingest/wms/inventory",
        JSON.stringify({ eventId: "err-body-2", type: "RECEIPT", sku: "NO-SUCH-SKU", location: "FX-WH-A", quantity: 1, occurredAt: "2026-11-28T10:00:00Z" }),
      );
      expect(invalid.status).toBe(422);
      expect(invalid.json).toMatchObject({
        state: "DEAD_LETTER",
        code: expect.stringMatching(/^(VALIDATION|MAPPING)_FAILED$/),
        error: expect.stringContaining("NO-SUCH-SKU"),
      });
      const large = await post(`${base}/`, "/ingest/wms/inventory", "x".repeat(300 * 1024));
      expect(large.status).toBe(413);
      expect(large.json).toMatchObject({ state: "DEAD_LETTER", failedStep: "RECEIVE", code: "PAYLOAD_TOO_LARGE" });
    });

    it("an unknown ingestion endpoint: 404 with a code, listing the endpoints", async () => {
      const res = await fetch(`${base}/ingest/csv`, { method: "POST", body: "sku,qty" });
      const body = await expectPlainError(res, 404, "ROUTE_NOT_FOUND");
      expect(body.message).toContain("/ingest/csv");
      expect(body.endpoints).toContain("POST /ingest/x12");
    });
  });
}
