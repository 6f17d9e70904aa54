// A record of each event a consumer handled (platform.ConsumerHandling): when its transaction ran
// the handler and how long that took, so trace(correlationId) can say "consumer X handled event N
// in M ms". Written in the handler's own transaction, so it exists exactly when the handling
// committed; one statement per batch.
import { performance } from "node:perf_hooks";
import { Prisma } from "../db/generated/client.js";
import type { StoredEvent, Tx } from "./event-log.js";

/** Starts a monotonic stopwatch; the returned function gives the milliseconds since. */
export function startTimer(): () => number {
  const started = performance.now();
  return () => Math.round((performance.now() - started) * 100) / 100;
}

/**
 * Records that `consumer` handled these events together in `durationMs`. A retried parked event
 * replaces the record of an earlier handling of the same event by the same consumer.
 */
export async function recordHandling(tx: Tx, consumer: string, events: Pick<StoredEvent, "sequence">[], durationMs: number): Promise<void> {
  if (!events.length) return;
  await tx.$executeRaw(handlingInsert(consumer, events, durationMs));
}

/** The INSERT of recordHandling, for a caller that sends it with another statement (a CTE) in one round trip. */
export function handlingInsert(consumer: string, events: Pick<StoredEvent, "sequence">[], durationMs: number): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "platform"."ConsumerHandling" ("consumer", "sequence", "durationMs", "batchSize")
    SELECT ${consumer}, s, ${durationMs}, ${events.length} FROM unnest(${events.map((e) => e.sequence)}::bigint[]) AS s
    ON CONFLICT ("consumer", "sequence") DO UPDATE SET "handledAt" = now(), "durationMs" = EXCLUDED."durationMs", "batchSize" = EXCLUDED."batchSize"`;
}

/** Deletes handling records older than `olderThan` (the raw-body retention), in small batches; returns how many. */
export async function pruneHandlingRecords(db: { $executeRaw: Tx["$executeRaw"] }, olderThan: Date, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.$executeRaw`
      DELETE FROM "platform"."ConsumerHandling" WHERE ("consumer", "sequence") IN (
        SELECT "consumer", "sequence" FROM "platform"."ConsumerHandling" WHERE "handledAt" < ${olderThan} LIMIT ${batchSize})`;
    total += n;
    if (n < batchSize) return total;
  }
}
