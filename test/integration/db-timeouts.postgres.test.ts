// Issue 7 item 11, on a PostgreSQL server (PGlite is one connection in one process: nothing else
// can hold a lock on it): a table locked by another session no longer blocks ingestion for as long
// as the lock is held. The message is stored, answered 503 with a readable reason, retried with
// backoff and applied once the lock is gone; /health and the consumers' lag report the wait.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/embedded-app.js";
import { createStockFixture } from "../helpers/stock-fixture.js";
import { postgresAvailable } from "../helpers/databases.js";
import { post } from "../helpers/ingest.js";
import { gqlOk } from "../helpers/graphql.js";

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(postgresAvailable())("statement and lock timeouts on a PostgreSQL server", () => {
  let t: TestApp;
  let locker: pg.Client;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp("postgres", {
      demo: false,
      databaseTimeouts: { statementTimeoutMs: 5000, lockTimeoutMs: 300 },
      hostOptions: { pollIntervalMs: 100, ingestRetryMs: 50 },
    });
    await createStockFixture(t.database.db);
    base = t.app.url.replace(/\/graphql$/, "/");
    locker = new pg.Client({ connectionString: t.database.url! });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end().catch(() => {});
    await t?.close();
  });

  it("sets the timeouts on every connection of the pool", async () => {
    const [s] = await t.database.db.$queryRaw<{ statement_timeout: string }[]>`SHOW statement_timeout`;
    const [l] = await t.database.db.$queryRaw<{ lock_timeout: string }[]>`SHOW lock_timeout`;
    expect([s.statement_timeout, l.lock_timeout]).toEqual(["5s", "300ms"]);
  });

  it("answers 503 while the inventory table is locked, reports the wait, and applies the message once the lock is released", async () => {
    await locker.query(`BEGIN; LOCK TABLE "inventory"."InventoryPosition" IN EXCLUSIVE MODE`);
    const event = { eventId: "locked-1", type: "RECEIPT", sku: "FX-1", location: "FX-WH-A", quantity: 3, occurredAt: "2026-11-28T10:00:00Z" };
    // Without a lock timeout this request would wait for as long as the lock is held: for ever here.
    const res = await post(base, "/ingest/wms/inventory", JSON.stringify(event));
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ state: "FAILED", failedStep: "APPLY" });
    expect(res.json.error).toBe("the data this message changes is locked by another database session; the message is stored and will be retried");
    expect(res.headers.get("retry-after")).toBe("5");

    const health = await (await fetch(new URL("/health", base))).json();
    expect(health.ingestion).toMatchObject({ pending: 1, failed: 1 });
    expect(health.ingestion.oldestPendingSeconds).toBeGreaterThanOrEqual(0);

    await locker.query("COMMIT");
    const applied = await waitFor("the retried message", async () => {
      const m = await t.database.db.inboundMessage.findUnique({ where: { id: res.json.messageId } });
      return m?.state === "PROCESSED" ? m : null;
    });
    expect(applied.attempts).toBeGreaterThanOrEqual(2);
    expect((await t.database.db.inventoryPosition.findUnique({ where: { sku_locationId: { sku: "FX-1", locationId: "LOC-FX-WH-A" } } }))!.onHand).toBe(3);
    const after = await (await fetch(new URL("/health", base))).json();
    expect(after.ingestion).toMatchObject({ pending: 0, failed: 0, oldestPendingSeconds: null });
  });

  it("shows a consumer blocked by a lock in its lag, in events and in seconds", async () => {
    const consumers = () =>
      gqlOk(t.app.url, `{ consumers { name lag lagSeconds parked } }`).then((d) => d.consumers.find((c: any) => c.name === "orders.stock-availability"));
    await waitFor("the consumer to catch up", async () => (await consumers()).lag === 0);
    expect((await consumers()).lagSeconds).toBe(0);

    await locker.query(`BEGIN; LOCK TABLE "orders"."StockAvailability" IN EXCLUSIVE MODE`);
    const res = await post(
      base,
      "/ingest/wms/inventory",
      JSON.stringify({ eventId: "locked-2", type: "RECEIPT", sku: "FX-2", location: "FX-WH-A", quantity: 1, occurredAt: "2026-11-28T10:00:00Z" }),
    );
    expect(res.json.state).toBe("PROCESSED");
    // Held long enough for many more attempts (300 ms lock timeout, backoff at most 100 ms) than the
    // 5 after which a failing event is parked: a lock is waited out, never a reason to park.
    const blocked = await waitFor("the consumer's lag to show", async () => {
      const c = await consumers();
      return c.lag === 1 && c.lagSeconds > 3 ? c : null;
    });
    expect(blocked).toMatchObject({ lag: 1, parked: 0 });
    await locker.query("COMMIT");
    await waitFor("the consumer to catch up again", async () => (await consumers()).lag === 0);
    expect(await consumers()).toMatchObject({ lag: 0, lagSeconds: 0, parked: 0 });
    const projected = await t.database.db.stockAvailability.findUnique({ where: { sku_locationId: { sku: "FX-2", locationId: "LOC-FX-WH-A" } } });
    expect(projected?.available).toBe(1);
  });
});
