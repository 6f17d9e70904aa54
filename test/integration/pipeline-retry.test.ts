// Apply failures are transient until proven otherwise: FAILED, retried by the recovery sweep,
// dead-lettered after MAX_APPLY_ATTEMPTS; a failing message never rolls back its batch-mates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { HandlerRegistry, type IngestHandler } from "../../platform/ingest/handlers.js";
import { receiveMessages } from "../../platform/ingest/message-store.js";
import { MAX_APPLY_ATTEMPTS, processMessages, recoverPending } from "../../platform/ingest/pipeline.js";
import { appendEvents } from "../../platform/events/event-log.js";
import { defineEvent } from "../../platform/events/types.js";
import { z } from "zod";

// Events must be of a declared type (checked at append): this test's own.
defineEvent("FlakyApplied", "Flaky", z.object({}));

describe("apply failures", () => {
  let database: TestDatabase;
  const failuresLeft = new Map<string, number>();
  const handler: IngestHandler<string, string, string> = {
    source: "test",
    kind: "flaky",
    parse: (raw) => raw.toString(),
    validate: (s) => s,
    map: async (s) => s,
    apply: async (name, tx, ctx) => {
      const left = failuresLeft.get(name) ?? 0;
      if (left > 0) {
        failuresLeft.set(name, left - 1);
        throw new Error(`${name} cannot be applied yet`);
      }
      await appendEvents(tx, ctx.correlationId, [
        { type: "FlakyApplied", aggregateType: "Flaky", aggregateId: name, aggregateVersion: 1, occurredAt: new Date(), payload: {} },
      ]);
      return { state: "PROCESSED", result: { name } };
    },
  };
  const registry = new HandlerRegistry();
  registry.register(handler);
  const receive = (names: string[]) =>
    receiveMessages(
      database.db,
      names.map((n) => ({ source: "test", kind: "flaky", idempotencyKey: n, correlationId: "retry-test", contentType: null, raw: Buffer.from(n) })),
    );

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
  });
  afterAll(async () => database?.close());

  it("keeps a failing message FAILED, applies its batch-mates, and applies it on a later sweep", async () => {
    failuresLeft.set("b", 2); // once in the batch transaction, once when applied on its own
    const received = await receive(["a", "b", "c"]);
    const out = await processMessages(
      database.db,
      registry,
      received.map((r) => r.message.id),
    );
    expect(out.map((o) => o.state)).toEqual(["PROCESSED", "FAILED", "PROCESSED"]);
    expect(out[1]).toMatchObject({ state: "FAILED", failedStep: "APPLY" });
    expect(out[1].error).toBe("an unexpected error occurred at step APPLY: b cannot be applied yet (logged on the server with correlation id retry-test)");
    expect(await database.db.eventLog.count({ where: { type: "FlakyApplied" } })).toBe(2);

    expect(await recoverPending(database.db, registry)).toBe(1);
    const b = await database.db.inboundMessage.findUnique({ where: { id: received[1].message.id } });
    expect(b).toMatchObject({ state: "PROCESSED", error: null, failedStep: null });
    expect(await database.db.eventLog.count({ where: { type: "FlakyApplied" } })).toBe(3);
  });

  it(`dead-letters a message after ${MAX_APPLY_ATTEMPTS} failed attempts`, async () => {
    failuresLeft.set("d", 99);
    const [d] = await receive(["d"]);
    await processMessages(database.db, registry, [d.message.id]);
    for (let i = 1; i < MAX_APPLY_ATTEMPTS; i++) await recoverPending(database.db, registry);
    const after = await database.db.inboundMessage.findUnique({ where: { id: d.message.id } });
    expect(after).toMatchObject({ state: "DEAD_LETTER", attempts: MAX_APPLY_ATTEMPTS, failedStep: "APPLY" });
    expect(await recoverPending(database.db, registry)).toBe(0);
  });
});
