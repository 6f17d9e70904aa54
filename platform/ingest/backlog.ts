// How far ingestion is behind: messages stored but not yet applied (RECEIVED, or FAILED and
// waiting for a retry) and how long the oldest has waited. A lock or an outage shows here as a
// growing wait; /health reports it (ingestBacklogDetail) and the operations schema too.
import type { Db } from "../db/client.js";

export interface IngestBacklog {
  /** Messages stored and not yet applied: RECEIVED or FAILED. */
  pending: number;
  /** Of those, FAILED: applying failed for a transient reason and will be retried. */
  failed: number;
  /** Seconds since the oldest pending message was received; null when nothing is pending. */
  oldestPendingSeconds: number | null;
}

export async function ingestBacklog(db: Db): Promise<IngestBacklog> {
  const [row] = await db.$queryRaw<{ pending: bigint; failed: bigint; oldest: Date | null; now: Date }[]>`
    SELECT COUNT(*) AS "pending", COUNT(*) FILTER (WHERE "state" = 'FAILED') AS "failed", MIN("receivedAt") AS "oldest", now() AS "now"
    FROM "platform"."InboundMessage" WHERE "state" IN ('RECEIVED', 'FAILED')`;
  return {
    pending: Number(row.pending),
    failed: Number(row.failed),
    // Both times from the database: no clock difference between this process and the server.
    oldestPendingSeconds: row.oldest ? Math.max(0, (row.now.getTime() - row.oldest.getTime()) / 1000) : null,
  };
}
