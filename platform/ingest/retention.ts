// Retention of raw bodies. A processed message's body is only needed while someone may still
// look at it; after the retention period (INGEST_RAW_RETENTION) it is emptied, keeping everything
// else: state, result, size, and the content hash that tells a later repeat of its key a
// duplicate from a conflict. Dead letters and failed or unprocessed messages are never pruned:
// they may still be replayed, and replay needs the bytes.
import type { Db } from "../db/client.js";

/** States whose raw body is no longer needed to process the message. */
export const PRUNABLE_STATES = ["PROCESSED", "RECONCILED", "DUPLICATE"] as const;

/** Empties the raw bodies of messages in PRUNABLE_STATES received before `olderThan`; returns how many. */
export async function pruneRawBodies(db: Db, options: { olderThan: Date; batchSize?: number }): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let total = 0;
  // Small batches: each is a short transaction that never holds many rows locked.
  for (;;) {
    const n = await db.$executeRaw`
      UPDATE "platform"."InboundMessage" SET "raw" = ''::bytea, "rawPurgedAt" = now()
      WHERE "id" IN (
        SELECT "id" FROM "platform"."InboundMessage"
        WHERE "state"::text = ANY(${[...PRUNABLE_STATES]}) AND "rawPurgedAt" IS NULL AND "receivedAt" < ${options.olderThan}
        LIMIT ${batchSize})`;
    total += n;
    if (n < batchSize) return total;
  }
}
