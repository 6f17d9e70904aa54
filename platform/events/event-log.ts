// The transactional outbox. A domain command appends its events with appendEvents(tx, …) inside
// the transaction that changes its state, so an event exists if and only if the change committed.
//
// There is no global lock. The log's order is (txOrder, sequence): txOrder is the next
// transaction id when the events were appended, and readers see only events below the horizon
// of the transactions still appending (SQL functions append_events, event_log_horizon and
// read_event_log, in the migration 20261128160709_event_log_order). So:
// - an event that commits late is never skipped: until its transaction ends, no reader goes past it;
// - events of one aggregate are in the log in the order they were appended (the second appender
//   waited for the first one's row lock, so it appends after the first committed, with a larger
//   txOrder); more generally, a transaction that committed before another began appending comes
//   first;
// - concurrent transactions that touch different rows never wait for each other.
// See docs/decisions.md "Event log order without a global lock".
import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/generated/client.js";
import { isSingleConnection } from "../db/client.js";
import { checkEventPayload } from "./types.js";

export const EVENT_CHANNEL = "event_log";

export interface NewEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  occurredAt: Date;
  payload: Prisma.InputJsonValue;
}

export interface StoredEvent {
  sequence: bigint;
  /** With sequence, the event's place in the log: read in (txOrder, sequence) order. */
  txOrder: bigint;
  eventId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  aggregateVersion: number;
  correlationId: string;
  occurredAt: Date;
  recordedAt: Date;
  payload: Prisma.JsonValue;
}

/** A place in the log: everything after it in (txOrder, sequence) order is still to come. */
export interface LogPosition {
  txOrder: bigint;
  sequence: bigint;
}

/** Before the first event. */
export const LOG_START: LogPosition = Object.freeze({ txOrder: 0n, sequence: 0n });

export const positionOf = (e: Pick<StoredEvent, "txOrder" | "sequence">): LogPosition => ({ txOrder: e.txOrder, sequence: e.sequence });

export const isAfter = (a: LogPosition, b: LogPosition) => a.txOrder > b.txOrder || (a.txOrder === b.txOrder && a.sequence > b.sequence);

export type Tx = Prisma.TransactionClient;

/** Anything that runs a raw query: the client, or a transaction at READ COMMITTED. */
type Queryable = Pick<Tx, "$queryRaw">;

/**
 * No longer needed, kept for callers written before the global lock went away: appendEvents
 * needs no preparation, and row locks may be taken in any order that is itself deadlock-free
 * (sorted, say). Does nothing.
 * @deprecated
 */
export async function lockOutbox(_tx: Tx): Promise<void> {}

/**
 * Appends events, in the order given, in one statement (however many). The transaction must run
 * at READ COMMITTED (Prisma's default). Each call is one subtransaction in PostgreSQL: a command
 * that produces many events should collect them and append once.
 */
export async function appendEvents(tx: Tx, correlationId: string, events: NewEvent[]): Promise<StoredEvent[]> {
  return appendCorrelatedEvents(
    tx,
    events.map((e) => ({ ...e, correlationId })),
  );
}

/** appendEvents for a batch whose events carry their own correlation ids (several messages'). */
export async function appendCorrelatedEvents(tx: Tx, events: (NewEvent & { correlationId: string })[]): Promise<StoredEvent[]> {
  if (!events.length) return [];
  // Before anything is written: a payload that does not fit its declared type fails the command.
  for (const e of events) checkEventPayload(e.type, e.payload);
  const ids = events.map(() => randomUUID());
  const document = JSON.stringify(
    events.map((e, i) => ({
      eventId: ids[i],
      correlationId: e.correlationId,
      type: e.type,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      aggregateVersion: e.aggregateVersion,
      occurredAt: e.occurredAt.toISOString(),
      payload: e.payload,
    })),
  );
  const rows = await tx.$queryRaw<{ seq: bigint; tx_order: bigint; recorded_at: Date }[]>`
    SELECT "seq", "tx_order", "recorded_at" FROM "platform"."append_events"(${document}::jsonb)`;
  return events.map((e, i) => ({
    sequence: BigInt(rows[i].seq),
    txOrder: BigInt(rows[i].tx_order),
    eventId: ids[i],
    correlationId: e.correlationId,
    type: e.type,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    aggregateVersion: e.aggregateVersion,
    occurredAt: e.occurredAt,
    recordedAt: new Date(rows[i].recorded_at),
    payload: e.payload as Prisma.JsonValue,
  }));
}

/**
 * The place of the event numbered `sequence` in the log (so "after event 41" means after it in
 * log order). A number that is not in the log (a rolled-back append, 0) stands for the latest
 * event numbered below it.
 */
export async function positionOfSequence(db: Queryable, sequence: bigint): Promise<LogPosition> {
  if (sequence <= 0n) return LOG_START;
  const [row] = await db.$queryRaw<{ txOrder: bigint; sequence: bigint }[]>`
    SELECT "txOrder", "sequence" FROM "platform"."EventLog" WHERE "sequence" <= ${sequence} ORDER BY "sequence" DESC LIMIT 1`;
  return row ? { txOrder: BigInt(row.txOrder), sequence: BigInt(row.sequence) } : LOG_START;
}

/**
 * Events after `after` in log order, up to `limit`, only those whose transactions have ended and
 * that no transaction still in flight can precede. `after` may be a sequence number (see
 * positionOfSequence). Call it outside a transaction, or in one at READ COMMITTED.
 */
export async function readEventsAfter(
  db: Queryable,
  after: LogPosition | bigint,
  limit: number,
  types?: string[] | null,
  aggregateId?: string | null,
): Promise<StoredEvent[]> {
  const from = typeof after === "bigint" ? await positionOfSequence(db, after) : after;
  const onlyTypes = types?.length ? types : null;
  if (isSingleConnection(db)) {
    // Embedded: no transaction can be in flight while this runs, so every committed event is final.
    return db.$queryRaw<StoredEvent[]>`
      SELECT * FROM "platform"."EventLog"
      WHERE ("txOrder", "sequence") > (${from.txOrder}, ${from.sequence})
        AND (${onlyTypes}::text[] IS NULL OR "type" = ANY(${onlyTypes}::text[])) AND (${aggregateId ?? null}::text IS NULL OR "aggregateId" = ${aggregateId ?? null}::text)
      ORDER BY "txOrder", "sequence" LIMIT ${limit}::integer`;
  }
  return db.$queryRaw<StoredEvent[]>`
    SELECT * FROM "platform"."read_event_log"(${from.txOrder}, ${from.sequence}, ${limit}::integer, ${onlyTypes}::text[], ${aggregateId ?? null}::text)`;
}

/** Events after `after` and up to `upTo` (inclusive), in log order: a stretch already below the horizon. */
export async function readEventsBetween(db: Queryable, after: LogPosition, upTo: LogPosition, limit: number, types?: string[] | null): Promise<StoredEvent[]> {
  return db.$queryRaw<StoredEvent[]>`
    SELECT * FROM "platform"."EventLog"
    WHERE ("txOrder", "sequence") > (${after.txOrder}, ${after.sequence}) AND ("txOrder", "sequence") <= (${upTo.txOrder}, ${upTo.sequence})
      AND (${types?.length ? types : null}::text[] IS NULL OR "type" = ANY(${types?.length ? types : null}::text[]))
    ORDER BY "txOrder", "sequence" LIMIT ${limit}::integer`;
}

/** How many events readEventsBetween would return with this limit, without reading them. */
export async function countEventsBetween(db: Queryable, after: LogPosition, upTo: LogPosition, limit: number, types?: string[] | null): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(*) AS "n" FROM (
      SELECT 1 FROM "platform"."EventLog"
      WHERE ("txOrder", "sequence") > (${after.txOrder}, ${after.sequence}) AND ("txOrder", "sequence") <= (${upTo.txOrder}, ${upTo.sequence})
        AND (${types?.length ? types : null}::text[] IS NULL OR "type" = ANY(${types?.length ? types : null}::text[]))
      LIMIT ${limit}::integer) AS "window"`;
  return Number(row.n);
}

/** The last event a reader can see now (LOG_START if none): where a follower of new events begins. */
export async function logHead(db: Queryable): Promise<LogPosition> {
  const [row] = isSingleConnection(db)
    ? await db.$queryRaw<{ tx_order: bigint; seq: bigint }[]>`
        SELECT "txOrder" AS "tx_order", "sequence" AS "seq" FROM "platform"."EventLog" ORDER BY "txOrder" DESC, "sequence" DESC LIMIT 1`
    : await db.$queryRaw<{ tx_order: bigint; seq: bigint }[]>`SELECT "tx_order", "seq" FROM "platform"."event_log_head"()`;
  return row ? { txOrder: BigInt(row.tx_order), sequence: BigInt(row.seq) } : LOG_START;
}

/** How many events come after `after` in the log (committed ones; a consumer's lag). */
export async function countEventsAfter(db: Queryable, after: LogPosition): Promise<{ count: number; oldest: Date | null; now: Date }> {
  const [row] = await db.$queryRaw<{ count: bigint; oldest: Date | null; now: Date }[]>`
    SELECT COUNT(*) AS "count", MIN("recordedAt") AS "oldest", now() AS "now" FROM "platform"."EventLog"
    WHERE ("txOrder", "sequence") > (${after.txOrder}, ${after.sequence})`;
  return { count: Number(row.count), oldest: row.oldest, now: row.now };
}
