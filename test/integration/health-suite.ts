// /health/live says the process is alive; /health/ready (and /health, its alias) says it can do
// its work: supergraph loaded, database answering and accepting writes, every subgraph reachable,
// memory not near its limit. Each check is bounded by HEALTH_CHECK_TIMEOUT_MS.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import type { StoreKind } from "../helpers/databases.js";
import { subgraphNames } from "../../subgraphs/catalog.js";

export function healthSuite(kind: StoreKind) {
  describe(`health on ${kind}`, () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp(kind, { demo: false, serverConfig: { healthCheckTimeoutMs: 500 } });
      base = t.app.url.replace(/\/graphql$/, "");
    });
    afterAll(async () => t?.close());

    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, body: await res.json() };
    };

    it("is live and ready, with every check named; /health is /health/ready", async () => {
      expect(await get("/health/live")).toEqual({ status: 200, body: { status: "live" } });
      const ready = await get("/health/ready");
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe("ready");
      expect(ready.body.checks).toEqual({
        supergraph: true,
        database: true,
        databaseWrites: true,
        memory: true,
        ...Object.fromEntries(subgraphNames.map((n) => [`subgraph:${n}`, true])),
      });
      expect((await get("/health")).body.checks).toEqual(ready.body.checks);
    });

    it("is not ready while the database refuses writes, and ready again once it accepts them", async () => {
      const release = await refuseWrites(t, kind);
      try {
        for (const path of ["/health/ready", "/health"]) {
          const res = await get(path);
          expect(res.status).toBe(503);
          expect(res.body).toMatchObject({ status: "not ready", code: "NOT_READY", checks: { database: true, databaseWrites: false, supergraph: true } });
          expect(res.body.message).toContain("databaseWrites");
        }
        expect((await get("/health/live")).status).toBe(200);
      } finally {
        await release();
      }
      expect((await get("/health/ready")).status).toBe(200);
    });

    it("is not ready when an in-process subgraph stops answering", async () => {
      await t.app.host.subgraphs.shipments!.server.stop();
      const res = await get("/health/ready");
      expect(res.status).toBe(503);
      expect(res.body.checks["subgraph:shipments"]).toBe(false);
      expect(res.body.checks["subgraph:orders"]).toBe(true);
    });
  });
}

/** Makes the database refuse (or never finish) writes, as a read-only failover or a held lock would. */
async function refuseWrites(t: TestApp, kind: StoreKind): Promise<() => Promise<void>> {
  if (kind === "pglite") {
    // One connection: the session itself turns read-only.
    await t.database.db.$executeRawUnsafe("SET default_transaction_read_only = on");
    return async () => void (await t.database.db.$executeRawUnsafe("SET default_transaction_read_only = off"));
  }
  // Another session holds a lock on the probe's table: writes wait past the check's timeout.
  const client = new pg.Client({ connectionString: t.database.url! });
  await client.connect();
  await client.query("BEGIN");
  await client.query(`LOCK TABLE platform."HealthProbe" IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await client.query("COMMIT");
    await client.end();
  };
}
