// The transactional outbox. A domain command appends its events with appendEvents(tx, …) inside
// the transaction that changes its state, so an event exists if and only if the change committed.
import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/generated/client.js";

export const EVENT_CHANNEL = "event_log";

/**
 * Appenders take this lock (held until commit) before drawing sequence numbers, so sequences
 * become visible in commit order. Without it, on a PostgreSQL server two concurrent transactions
 * could commit 11 before 10, and a consumer that had read 11 would skip 10 for ever.
 */
const OUTBOX_LOCK_KEY = 7_340_001;

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

export type Tx = Prisma.TransactionClient;

/** Transactions that already hold the outbox lock and have queued their notification. */
const prepared = new WeakSet<object>();

/**
 * Takes the outbox lock now. A transaction that locks several rows before appending (a batch of
 * stock changes) must call this first: taking the outbox lock after row locks lets two such
 * transactions deadlock (each holding a row the other needs, one of them holding the outbox).
 * Single-row commands may leave it to appendEvents.
 */
export async function lockOutbox(tx: Tx): Promise<void> {
  if (prepared.has(tx)) return;
  // One lock and one notification per transaction, however many events it appends. The
  // notification is delivered at commit, and only if it commits: consumers wake without polling.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${OUTBOX_LOCK_KEY}), pg_notify(${EVENT_CHANNEL}, '')`;
  prepared.add(tx);
}

export async function appendEvents(tx: Tx, correlationId: string, events: NewEvent[]): Promise<StoredEvent[]> {
  if (!events.length) return [];
  await lockOutbox(tx);
  const stored: StoredEvent[] = [];
  for (const e of events) {
    stored.push(await tx.eventLog.create({ data: { eventId: randomUUID(), correlationId, ...e } }));
  }
  return stored;
}

export async function readEventsAfter(db: Pick<Tx, "eventLog">, after: bigint, limit: number, types?: string[]): Promise<StoredEvent[]> {
  return db.eventLog.findMany({
    where: { sequence: { gt: after }, ...(types?.length && { type: { in: types } }) },
    orderBy: { sequence: "asc" },
    take: limit,
  });
}
