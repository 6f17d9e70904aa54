// A process killed with SIGKILL mid-write loses nothing and applies nothing twice: the embedded
// app ingests 500 WMS events in batches of 25, is killed three times at random points while a
// batch is being written and started again, while the sender re-sends any batch it got no answer
// for (as a real sender would). What is proven (each event applied exactly once, in the positions,
// the journal, the event log and the consumer's read model) does not grow with the number of
// events, which is kept small so the suite stays fast.
import { bearer } from "../helpers/auth.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, pgliteTemplateDump, type StoreKind } from "../helpers/databases.js";
import { openDatabase, type Database } from "../../platform/db/index.js";
import { createStockFixture, fixtureLocations, fixtureSkus, locationIdOf } from "../helpers/stock-fixture.js";
import { applyInOrder, generateHistory, seededRandom } from "../helpers/stock-history.js";
import { exited, startChildApp, stopChild, type ChildApp } from "../helpers/child-app.js";
import { gqlOk } from "../helpers/graphql.js";

const EVENTS = 500;
const BATCH = 25;
const KILLS = 3;

export function crashRecoverySuite(kind: StoreKind) {
  describe(`crash recovery on ${kind}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it(`applies ${EVENTS.toLocaleString("en")} events exactly once across ${KILLS} SIGKILLs`, async () => {
      // The store, seeded before the app starts (PGlite allows one process on its folder at a time).
      let env: Record<string, string>;
      let reopen: () => Promise<Database>;
      if (kind === "pglite") {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crash-pglite-"));
        cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
        const seed = await openDatabase({ kind: "pglite", dataDir: dir, loadDataDir: pgliteTemplateDump() }, { migrate: false });
        await createStockFixture(seed.db);
        await seed.close();
        env = { DATA_DIR: dir, DATABASE_URL: "" };
        reopen = () => openDatabase({ kind: "pglite", dataDir: dir }, { migrate: false });
      } else {
        const db = await createTestDatabase("postgres");
        cleanups.push(() => db.close());
        await createStockFixture(db.db);
        env = { DATABASE_URL: db.url! };
        reopen = async () => db;
      }

      const history = generateHistory({ events: EVENTS, skus: fixtureSkus, locations: fixtureLocations, countShare: 0, seed: 99 });
      const batches = Array.from({ length: EVENTS / BATCH }, (_, i) => history.slice(i * BATCH, (i + 1) * BATCH));
      const rnd = seededRandom(2026);
      const killAt = new Set<number>();
      while (killAt.size < KILLS) killAt.add(3 + Math.floor(rnd() * (batches.length - 6)));

      const authorization = await bearer();
      let app: ChildApp = await startChildApp(env);
      let kills = 0;
      let resends = 0;
      for (let i = 0; i < batches.length; i++) {
        const send = fetch(app.url.replace(/\/graphql$/, "/ingest/wms/inventory"), {
          method: "POST",
          headers: { "content-type": "application/json", authorization },
          body: JSON.stringify(batches[i]),
        }).then(async (r) => ({ ok: r.ok, body: await r.json() }));
        if (killAt.has(i)) {
          // Mid-request: the batch may be stored, partly stored, applied or not at all.
          await new Promise((r) => setTimeout(r, 5 + Math.floor(rnd() * 60)));
          const gone = exited(app.process);
          app.process.kill("SIGKILL");
          kills++;
          await send.catch(() => null);
          await gone;
          app = await startChildApp(env);
          i--; // the sender got no (trustworthy) answer: it sends the same batch again
          killAt.delete(i + 1);
          resends++;
          continue;
        }
        const res = await send;
        expect(res.ok, JSON.stringify(res.body).slice(0, 500)).toBe(true);
      }
      expect(kills).toBe(KILLS);

      // Wait for the consumer to catch up with the log.
      const deadline = Date.now() + 120_000;
      for (;;) {
        const { consumers } = await gqlOk(app.url, `{ consumers { name lag parked } }`);
        const c = consumers.find((x: { name: string }) => x.name === "orders.stock-availability");
        if (c && c.lag === 0) {
          expect(c.parked).toBe(0);
          break;
        }
        if (Date.now() > deadline) throw new Error(`consumer still behind: ${JSON.stringify(consumers)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await stopChild(app.process);

      const database = await reopen();
      if (kind === "pglite") cleanups.push(() => database.close());
      const db = database.db;
      // Every event applied exactly once.
      const expected = applyInOrder(history);
      const positions = await db.inventoryPosition.findMany();
      for (const [key, onHand] of expected) {
        const [sku, code] = key.split("@");
        expect(positions.find((p) => p.sku === sku && p.locationId === locationIdOf(code))?.onHand, key).toBe(onHand);
      }
      const moves = history.filter((e) => e.type === "MOVE").length;
      expect(await db.stockMovement.count()).toBe(EVENTS + moves);
      expect(await db.inboundMessage.count({ where: { state: "PROCESSED" } })).toBe(EVENTS);
      expect(await db.inboundMessage.count({ where: { state: { in: ["RECEIVED", "FAILED", "DEAD_LETTER"] } } })).toBe(0);

      // Every InventoryChanged event in the log exactly once.
      const events = await db.eventLog.findMany({ where: { type: "InventoryChanged" }, select: { payload: true } });
      expect(events.length).toBe(EVENTS + moves);
      const keys = new Set(
        events.map((e) => {
          const p = e.payload as { sourceEventId: string; sku: string; locationId: string };
          return `${p.sourceEventId}|${p.sku}|${p.locationId}`;
        }),
      );
      expect(keys.size).toBe(events.length);

      // The consumer handled every event exactly once, and its read model matches the positions.
      const projection = await db.stockAvailability.findMany();
      expect(projection.reduce((s, p) => s + p.handledEvents, 0)).toBe(EVENTS + moves);
      for (const p of positions) {
        const view = projection.find((v) => v.sku === p.sku && v.locationId === p.locationId);
        expect(view?.available, `${p.sku}@${p.locationId}`).toBe(p.onHand - p.allocated - p.reserved - p.damaged - p.qualityHold - p.safetyStock);
        expect(view?.version).toBe(p.version);
      }
      expect(resends).toBe(KILLS);
    }, 600_000);
  });
}
