// The guarantee behind inventory sync: a valid history, delivered shuffled and with duplicates,
// ends in exactly the state of in-order application, and no stale absolute level is ever applied.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/databases.js";
import { createStockFixture, fixtureLocations, fixtureSkus, locationIdOf } from "../helpers/stock-fixture.js";
import { applyInOrder, generateHistory, reorderWithDuplicates } from "../helpers/stock-history.js";
import { receiveMessages } from "../../platform/ingest/message-store.js";
import { processMessages } from "../../platform/ingest/pipeline.js";
import { createHandlerRegistry } from "../../app/ingest-handlers.js";

export function stockReorderingSuite(kind: StoreKind) {
  describe(`stock sync under reordering and duplicates on ${kind}`, () => {
    let database: TestDatabase;
    const registry = createHandlerRegistry();
    beforeAll(async () => {
      database = await createTestDatabase(kind);
      await createStockFixture(database.db);
    });
    afterAll(async () => database?.close());

    it("2,000 events shuffled within a window with 20% duplicates end in the in-order state", async () => {
      const history = generateHistory({ events: 2000, skus: fixtureSkus, locations: fixtureLocations, countShare: 0.1, seed: 7 });
      const delivered = reorderWithDuplicates(history, 40, 0.2, 11);
      expect(delivered.length).toBe(2400);
      expect(delivered.map((e) => e.eventId)).not.toEqual(history.map((e) => e.eventId).concat(delivered.slice(2000).map((e) => e.eventId)));

      const states: Record<string, number> = {};
      for (let i = 0; i < delivered.length; i += 100) {
        const chunk = delivered.slice(i, i + 100);
        const received = await receiveMessages(
          database.db,
          chunk.map((e) => ({
            source: "wms",
            kind: "inventory-event",
            idempotencyKey: e.eventId,
            correlationId: "reorder-test",
            contentType: "application/json",
            raw: Buffer.from(JSON.stringify(e)),
          })),
        );
        const processed = new Map(
          (
            await processMessages(
              database.db,
              registry,
              received.map((r) => r.message.id),
            )
          ).map((o) => [o.id, o]),
        );
        for (const r of received) {
          const out = r.message.state === "RECEIVED" ? processed.get(r.message.id)! : r.message;
          states[out.state] = (states[out.state] ?? 0) + 1;
        }
      }
      expect(states.DUPLICATE).toBe(400);
      expect(states.DEAD_LETTER ?? 0).toBe(0);
      expect(states.FAILED ?? 0).toBe(0);
      expect(states.RECONCILED).toBeGreaterThan(0); // late counts and deltas behind a newer count

      const expected = applyInOrder(history);
      const positions = await database.db.inventoryPosition.findMany();
      const actual = new Map(positions.map((p) => [`${p.sku}@${p.locationId}`, p.onHand]));
      for (const [key, onHand] of expected) {
        const [sku, code] = key.split("@");
        expect(actual.get(`${sku}@${locationIdOf(code)}`), key).toBe(onHand);
      }
      expect(positions.length).toBe(expected.size);

      // No stale level ever applied: per position, applied levels have strictly increasing source times.
      const levels = await database.db.eventLog.findMany({ where: { type: "InventoryChanged" }, orderBy: { sequence: "asc" } });
      const lastLevelAt = new Map<string, number>();
      for (const e of levels) {
        const reason = (e.payload as { reason: string }).reason;
        if (!reason.startsWith("LEVEL")) continue;
        const at = e.occurredAt.getTime();
        expect(at, `level for ${e.aggregateId} at ${e.occurredAt.toISOString()}`).toBeGreaterThan(lastLevelAt.get(e.aggregateId) ?? -Infinity);
        lastLevelAt.set(e.aggregateId, at);
      }
      // Versions move one step per event, per position.
      const byAggregate = new Map<string, number[]>();
      for (const e of levels) byAggregate.set(e.aggregateId, [...(byAggregate.get(e.aggregateId) ?? []), e.aggregateVersion]);
      for (const [id, versions] of byAggregate) expect(versions, id).toEqual(versions.map((_, i) => i + 1));
    });
  });
}
