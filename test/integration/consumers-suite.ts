// Durable consumers: woken by NOTIFY (not polling), a poison event parked and retried, and two
// replicas of one consumer sharing the work without handling anything twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/databases.js";
import { appendEvents, type StoredEvent } from "../../platform/events/event-log.js";
import { EventConsumer, retryParkedEvent, type ConsumerDefinition } from "../../platform/events/consumer.js";
import { defineEvent } from "../../platform/events/types.js";
import { z } from "zod";

// Events must be of a declared type (checked at append): this suite's own.
for (const name of ["Batched", "Other", "Parkable", "Shared", "TestHappened", "Woken"])
  defineEvent(name, "Test", z.object({ aggregateId: z.string().optional() }));

export function consumersSuite(kind: StoreKind) {
  describe(`event consumers on ${kind}`, () => {
    let database: TestDatabase;
    const stopping: EventConsumer[] = [];
    beforeAll(async () => {
      database = await createTestDatabase(kind);
    });
    afterAll(async () => {
      await Promise.all(stopping.map((c) => c.stop()));
      await database?.close();
    });

    const append = (aggregateId: string, type = "TestHappened") =>
      database.db.$transaction((tx) =>
        appendEvents(tx, "consumer-test", [
          { type, aggregateType: "Test", aggregateId, aggregateVersion: 1, occurredAt: new Date(), payload: { aggregateId } },
        ]),
      );
    const until = async (cond: () => boolean | Promise<boolean>, ms: number) => {
      const deadline = Date.now() + ms;
      while (!(await cond())) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 20));
      }
      return true;
    };

    it("wakes on NOTIFY at commit instead of waiting for the poll", async () => {
      const seen: string[] = [];
      const consumer = new EventConsumer(database.db, database.store, {
        name: "test.notify",
        types: ["Woken"],
        handle: async (e) => void seen.push(e.aggregateId),
        // Far beyond the test's time limit: if the event arrives at all, a notification woke it.
        // (No bound on how fast: on a loaded machine delivery may take seconds, and that is fine.)
        pollIntervalMs: 60 * 60_000,
      });
      stopping.push(consumer);
      await consumer.start();
      await new Promise((r) => setTimeout(r, 200)); // let it go idle on its poll
      await append("w-1", "Woken");
      expect(await until(() => seen.includes("w-1"), 45_000)).toBe(true);
    });

    it("parks an event that keeps failing, moves on, and resolves it on retry after a fix", async () => {
      // Effects go to a table, in the handler's transaction: what must happen once is what commits.
      // (A batch that fails is rolled back and handled again one event at a time, so a handler may
      // be called again for an event whose first call was rolled back.)
      await database.db.$executeRawUnsafe(`CREATE TABLE "public"."consumer_test_effects" ("aggregateId" text NOT NULL, "sequence" bigint NOT NULL)`);
      const effects = async () =>
        (await database.db.$queryRawUnsafe<{ aggregateId: string }[]>(`SELECT "aggregateId" FROM "public"."consumer_test_effects" ORDER BY "sequence"`)).map(
          (r) => r.aggregateId,
        );
      let broken = true;
      let poisonAttempts = 0;
      const definition: ConsumerDefinition = {
        name: "test.parking",
        types: ["Parkable"],
        handle: async (e: StoredEvent, tx) => {
          if (e.aggregateId === "poison" && broken) {
            poisonAttempts++;
            throw new Error("cannot handle poison yet");
          }
          await tx.$executeRaw`INSERT INTO "public"."consumer_test_effects" ("aggregateId", "sequence") VALUES (${e.aggregateId}, ${e.sequence})`;
        },
      };
      const consumer = new EventConsumer(database.db, database.store, { ...definition, maxAttempts: 3, pollIntervalMs: 50 });
      stopping.push(consumer);
      const [first] = await append("ok-1", "Parkable");
      const [poison] = await append("poison", "Parkable");
      const [third] = await append("ok-2", "Parkable");
      await consumer.start();
      // The handler runs inside the transaction that advances the position: wait for its commit.
      expect(await until(async () => (await consumer.position()) >= third.sequence, 10_000)).toBe(true);
      expect(await effects()).toEqual(["ok-1", "ok-2"]);
      const parked = await database.db.parkedEvent.findUnique({ where: { consumer_sequence: { consumer: "test.parking", sequence: poison.sequence } } });
      expect(parked).toMatchObject({ attempts: 3, error: "cannot handle poison yet", resolvedAt: null });
      // Three attempts of its own, plus the first try of the batch it came in.
      expect(poisonAttempts).toBeGreaterThanOrEqual(3);
      expect(first.sequence < poison.sequence).toBe(true);

      const stillBroken = await retryParkedEvent(database.db, definition, poison.sequence);
      expect(stillBroken?.resolvedAt).toBeNull();
      expect(stillBroken?.attempts).toBe(4);
      broken = false;
      const fixed = await retryParkedEvent(database.db, definition, poison.sequence);
      expect(fixed?.resolvedAt).not.toBeNull();
      expect(await effects()).toEqual(["ok-1", "poison", "ok-2"]);
    });

    it("handles a batch in one transaction through handleBatch, each event once, in log order", async () => {
      const batches: string[][] = [];
      const single: string[] = [];
      const consumer = new EventConsumer(database.db, database.store, {
        name: "test.batch",
        types: ["Batched"],
        handle: async (e) => void single.push(e.aggregateId),
        handleBatch: async (events) => void batches.push(events.map((e) => e.aggregateId)),
        batchSize: 50,
        pollIntervalMs: 60_000,
      });
      stopping.push(consumer);
      // Other types in between advance the position without reaching the handler.
      await database.db.$transaction((tx) =>
        appendEvents(
          tx,
          "consumer-test",
          Array.from({ length: 120 }, (_, i) => ({
            type: i % 3 ? "Batched" : "Other",
            aggregateType: "Test",
            aggregateId: `b-${i}`,
            aggregateVersion: 1,
            occurredAt: new Date(),
            payload: {},
          })),
        ),
      );
      expect(await consumer.drain()).toBe(80);
      const expected = Array.from({ length: 120 }, (_, i) => `b-${i}`).filter((_, i) => i % 3);
      expect([...batches.flat(), ...single]).toEqual(expected);
      expect(single).toEqual([]);
      expect(batches.length).toBe(3); // 50, 50 and 20 events read, each with several wanted
      expect(await consumer.drain()).toBe(0);
    });

    it("shares one consumer's work between two replicas without handling an event twice", async () => {
      const counts = new Map<string, number>();
      const definition: ConsumerDefinition = {
        name: "test.replicas",
        types: ["Shared"],
        handle: async (e) => void counts.set(e.aggregateId, (counts.get(e.aggregateId) ?? 0) + 1),
      };
      const a = new EventConsumer(database.db, database.store, { ...definition, pollIntervalMs: 20, batchSize: 7 });
      const b = new EventConsumer(database.db, database.store, { ...definition, pollIntervalMs: 20, batchSize: 5 });
      stopping.push(a, b);
      await Promise.all([a.start(), b.start()]);
      for (let i = 0; i < 60; i++) await append(`s-${i}`, "Shared");
      expect(await until(() => counts.size === 60, 20_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    });
  });
}
