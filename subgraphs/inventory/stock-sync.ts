// Applying stock changes from any source, so that arrival order cannot change the outcome:
// - a delta (receipt, pick, adjustment, move) adds to onHand, unless an absolute level at or
//   after its time was already applied (that level counted it): then it is RECONCILED;
// - an absolute level (WMS count, 846 quantity, channel "available") applies only if newer than
//   the last level applied, else RECONCILED; when it applies, deltas already applied with later
//   times are added back on top, since the level could not have counted them.
// Every applied change bumps the version and appends InventoryChanged with before/after buckets.
// A change that would take on hand beyond its bounds is refused (a validation error: the message
// is dead-lettered, nothing of it applied); one that leaves on hand negative is applied and
// recorded as an exception (a warning on the message, `exception` in the event).
import { Prisma, type InventoryPosition, type MovementKind } from "../../platform/db/generated/client.js";
import { appendCorrelatedEvents, type NewEvent, type Tx } from "../../platform/events/event-log.js";
import { validationError } from "../../platform/ingest/errors.js";
import { bucketBoundProblem, positionId, bucketsOf } from "./domain.js";

export type DeltaKind = Exclude<MovementKind, "LEVEL">;

export type StockChange =
  | { type: "delta"; movement: DeltaKind; sku: string; locationId: string; quantity: number; occurredAt: Date; sourceEventId: string }
  | { type: "level"; bucket: "onHand" | "available"; sku: string; locationId: string; quantity: number; occurredAt: Date; sourceEventId: string };

export interface ChangeOutcome {
  sku: string;
  locationId: string;
  sourceEventId: string;
  outcome: "applied" | "unchanged" | "stale" | "already-applied";
  /** For levels: target onHand minus onHand before (what the source saw differently). */
  drift?: number;
  version?: number;
}

export { INVENTORY_CHANGED } from "./events.js";
import { INVENTORY_CHANGED } from "./events.js";

export interface SyncContext {
  correlationId: string;
  messageId: string | null;
  source: string;
  /** Where exceptions are recorded (the inbound message's warnings); absent for reconciliation. */
  warn?: (warning: { code: string; message: string }) => void;
}

export const NEGATIVE_ON_HAND = "NEGATIVE_ON_HAND";

/** The changes of one message (or one snapshot) and where its outcomes and warnings go. */
export interface StockBatchItem {
  changes: StockChange[];
  ctx: SyncContext;
}

export async function applyStockChanges(tx: Tx, changes: StockChange[], ctx: SyncContext): Promise<ChangeOutcome[]> {
  const [outcomes] = await applyStockChangeBatches(tx, [{ changes, ctx }]);
  return outcomes;
}

/** Rows per statement for the set-based steps: bounds one statement's time for a 50,000-position snapshot. */
const ROWS_PER_STATEMENT = 10_000;

const keyOf = (sku: string, locationId: string) => `${sku}\u0000${locationId}`;
const journalKeyOf = (c: Pick<StockChange, "sourceEventId" | "sku" | "locationId">) => `${c.sourceEventId}\u0000${c.sku}\u0000${c.locationId}`;
const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface JournalRow {
  sku: string;
  locationId: string;
  kind: MovementKind;
  quantity: number;
  occurredAt: Date;
  sourceEventId: string;
  inboundMessageId: string | null;
}

/**
 * Applies the changes of several messages, in order, in a constant number of statements: the
 * same outcome as applying each change on its own in that order (the reordering test holds it
 * to that), whatever the batch size.
 *  1. locks (creating them on first sight) every position touched, in one statement, in
 *     (sku, location) order as the database sorts them, the order every writer of positions locks
 *     in (allocation too): concurrent batches cannot deadlock;
 *  2. reads which changes are already journaled, and for levels the deltas journaled after them;
 *  3. decides each change in memory, in order (stale, already applied, unchanged, applied; a
 *     change beyond the stock bounds throws, so nothing of the batch applies);
 *  4. writes the journal, the positions and the events, one statement each.
 * `appendEvents: false` leaves out the events: only for the benchmark that prices each guarantee
 * (bench/ingest-ladder.ts); an applied change without its event would never reach a consumer.
 */
export async function applyStockChangeBatches(tx: Tx, items: StockBatchItem[], options: { appendEvents?: boolean } = {}): Promise<ChangeOutcome[][]> {
  const flat = items.flatMap((item, m) => item.changes.map((change) => ({ change, m })));
  if (!flat.length) return items.map(() => []);

  // 1. Lock the positions.
  const firstSeen = new Map<string, StockChange>();
  for (const { change } of flat) if (!firstSeen.has(keyOf(change.sku, change.locationId))) firstSeen.set(keyOf(change.sku, change.locationId), change);
  const touched = [...firstSeen.values()];
  const positions = new Map<string, InventoryPosition>();
  // One statement whatever the count (up to a snapshot's 100,000), so the lock order is one order.
  // The no-op update on conflict takes the row lock and returns the row in the same statement.
  const locked = await tx.$queryRaw<InventoryPosition[]>`
    INSERT INTO "inventory"."InventoryPosition" ("sku", "locationId", "asOf", "version")
    SELECT p.sku, p.location_id, p.as_of, 0
    FROM unnest(${touched.map((c) => c.sku)}::text[], ${touched.map((c) => c.locationId)}::text[], ${touched.map((c) => iso(c.occurredAt))}::timestamptz[])
      AS p(sku, location_id, as_of)
    ORDER BY p.sku, p.location_id
    ON CONFLICT ("sku", "locationId") DO UPDATE SET "version" = "InventoryPosition"."version"
    RETURNING *`;
  for (const row of locked) positions.set(keyOf(row.sku, row.locationId), row);

  // 2. What the journal already holds: changes applied before, and deltas after each level's time.
  const journaled = new Set<string>();
  const distinctKeys = [...new Map(flat.map(({ change }) => [journalKeyOf(change), change])).values()];
  for (const chunk of chunks(distinctKeys, ROWS_PER_STATEMENT)) {
    const rows = await tx.$queryRaw<{ sourceEventId: string; sku: string; locationId: string }[]>`
      SELECT m."sourceEventId", m."sku", m."locationId" FROM "inventory"."StockMovement" m
      JOIN unnest(${chunk.map((c) => c.sourceEventId)}::text[], ${chunk.map((c) => c.sku)}::text[], ${chunk.map((c) => c.locationId)}::text[]) AS k(source_event_id, sku, location_id)
        ON m."sourceEventId" = k.source_event_id AND m."sku" = k.sku AND m."locationId" = k.location_id`;
    for (const r of rows) journaled.add(journalKeyOf(r));
  }
  const levels = flat.filter(({ change }) => change.type === "level");
  const laterInJournal = new Map<StockChange, number>();
  for (const chunk of chunks(levels, ROWS_PER_STATEMENT)) {
    const rows = await tx.$queryRaw<{ n: bigint; later: bigint | null }[]>`
      SELECT l.n, (SELECT SUM(m."quantity") FROM "inventory"."StockMovement" m
        WHERE m."sku" = l.sku AND m."locationId" = l.location_id AND m."kind" <> 'LEVEL' AND m."occurredAt" > l.at) AS "later"
      FROM unnest(${chunk.map(({ change }) => change.sku)}::text[], ${chunk.map(({ change }) => change.locationId)}::text[], ${chunk.map(({ change }) => iso(change.occurredAt))}::timestamptz[])
        WITH ORDINALITY AS l(sku, location_id, at, n)`;
    for (const r of rows) laterInJournal.set(chunk[Number(r.n) - 1].change, Number(r.later ?? 0));
  }

  // 3. Decide, in order.
  const outcomes: ChangeOutcome[][] = items.map(() => []);
  const journal: JournalRow[] = [];
  /** Deltas journaled earlier in this batch, per position: a later level adds those after its time. */
  const batchDeltas = new Map<string, { occurredAt: Date; quantity: number }[]>();
  const dirty = new Set<string>();
  const events: (NewEvent & { correlationId: string })[] = [];
  for (const { change, m } of flat) {
    const { ctx } = items[m];
    const key = keyOf(change.sku, change.locationId);
    const position = positions.get(key)!;
    const base = { sku: change.sku, locationId: change.locationId, sourceEventId: change.sourceEventId };
    if (position.levelAsOf && change.occurredAt <= position.levelAsOf) {
      outcomes[m].push({ ...base, outcome: "stale" });
      continue;
    }
    let targetOnHand: number;
    let movementQuantity: number;
    if (change.type === "delta") {
      targetOnHand = position.onHand + change.quantity;
      movementQuantity = change.quantity;
    } else {
      const later =
        laterInJournal.get(change)! + (batchDeltas.get(key) ?? []).filter((d) => d.occurredAt > change.occurredAt).reduce((sum, d) => sum + d.quantity, 0);
      const held = position.allocated + position.reserved + position.damaged + position.qualityHold + position.safetyStock;
      targetOnHand = (change.bucket === "onHand" ? change.quantity : change.quantity + held) + later;
      movementQuantity = targetOnHand - position.onHand;
    }
    const outOfBounds = bucketBoundProblem(change.sku, change.locationId, { ...position, onHand: targetOnHand });
    if (outOfBounds) throw validationError(outOfBounds);

    // The journal's unique (sourceEventId, sku, locationId) is the last line of idempotency: a change
    // already journaled is not applied again, whatever path delivered it twice.
    if (journaled.has(journalKeyOf(change))) {
      outcomes[m].push({ ...base, outcome: "already-applied" });
      continue;
    }
    journaled.add(journalKeyOf(change));
    journal.push({
      sku: change.sku,
      locationId: change.locationId,
      kind: change.type === "delta" ? change.movement : "LEVEL",
      quantity: movementQuantity,
      occurredAt: change.occurredAt,
      sourceEventId: change.sourceEventId,
      inboundMessageId: ctx.messageId,
    });
    if (change.type === "delta") batchDeltas.set(key, [...(batchDeltas.get(key) ?? []), { occurredAt: change.occurredAt, quantity: change.quantity }]);
    dirty.add(key);
    const levelAsOf = change.type === "level" ? change.occurredAt : position.levelAsOf;
    const asOf = change.occurredAt > position.asOf ? change.occurredAt : position.asOf;
    if (targetOnHand === position.onHand && position.version > 0) {
      Object.assign(position, { levelAsOf, asOf });
      outcomes[m].push({ ...base, outcome: "unchanged", drift: 0, version: position.version });
      continue;
    }
    const before = bucketsOf(position);
    Object.assign(position, { onHand: targetOnHand, levelAsOf, asOf, version: position.version + 1 });
    const negative = targetOnHand < 0;
    if (negative) ctx.warn?.({ code: NEGATIVE_ON_HAND, message: `on hand of ${change.sku} at ${change.locationId} is ${targetOnHand} after this change` });
    events.push({
      correlationId: ctx.correlationId,
      type: INVENTORY_CHANGED,
      aggregateType: "InventoryPosition",
      aggregateId: positionId(change.sku, change.locationId),
      aggregateVersion: position.version,
      occurredAt: change.occurredAt,
      payload: {
        sku: change.sku,
        locationId: change.locationId,
        reason: change.type === "delta" ? change.movement : change.bucket === "onHand" ? "LEVEL_ON_HAND" : "LEVEL_AVAILABLE",
        quantity: movementQuantity,
        before,
        after: bucketsOf(position),
        source: ctx.source,
        sourceEventId: change.sourceEventId,
        inboundMessageId: ctx.messageId,
        ...(negative && { exception: NEGATIVE_ON_HAND }),
      } satisfies Prisma.InputJsonObject,
    });
    outcomes[m].push({ ...base, outcome: "applied", drift: change.type === "level" ? movementQuantity : undefined, version: position.version });
  }

  // 4. Write the journal and the positions (one statement per chunk of each), then the events.
  const changed = [...dirty].map((k) => positions.get(k)!);
  const journalChunks = chunks(journal, ROWS_PER_STATEMENT);
  const positionChunks = chunks(changed, ROWS_PER_STATEMENT);
  for (let i = 0; i < Math.max(journalChunks.length, positionChunks.length); i++) {
    const j = journalChunks[i] ?? [];
    const p = positionChunks[i] ?? [];
    const [written] = await tx.$queryRaw<{ journaled: bigint }[]>`
      WITH "journaled" AS (
        INSERT INTO "inventory"."StockMovement" ("sku", "locationId", "kind", "quantity", "occurredAt", "sourceEventId", "inboundMessageId")
        SELECT j.sku, j.location_id, j.kind::"inventory"."MovementKind", j.quantity, j.occurred_at, j.source_event_id, j.inbound_message_id
        FROM unnest(${j.map((r) => r.sku)}::text[], ${j.map((r) => r.locationId)}::text[], ${j.map((r) => r.kind)}::text[], ${j.map((r) => r.quantity)}::integer[],
          ${j.map((r) => iso(r.occurredAt))}::timestamptz[], ${j.map((r) => r.sourceEventId)}::text[], ${j.map((r) => r.inboundMessageId)}::text[])
          WITH ORDINALITY AS j(sku, location_id, kind, quantity, occurred_at, source_event_id, inbound_message_id, n)
        ORDER BY j.n
        ON CONFLICT ("sourceEventId", "sku", "locationId") DO NOTHING
        RETURNING 1
      ), "updated" AS (
        UPDATE "inventory"."InventoryPosition" AS p SET "onHand" = v.on_hand, "levelAsOf" = v.level_as_of, "asOf" = v.as_of, "version" = v.version
        FROM unnest(${p.map((r) => r.sku)}::text[], ${p.map((r) => r.locationId)}::text[], ${p.map((r) => r.onHand)}::integer[],
          ${p.map((r) => iso(r.levelAsOf))}::timestamptz[], ${p.map((r) => iso(r.asOf))}::timestamptz[], ${p.map((r) => r.version)}::integer[])
          AS v(sku, location_id, on_hand, level_as_of, as_of, version)
        WHERE p."sku" = v.sku AND p."locationId" = v.location_id
        RETURNING 1
      )
      SELECT (SELECT COUNT(*) FROM "journaled") AS "journaled", (SELECT COUNT(*) FROM "updated") AS "updated"`;
    // The positions are locked, so nothing can have journaled these since step 2; if it did, undo it all.
    if (Number(written.journaled) !== j.length)
      throw new Error(`stock journal changed while locked: ${j.length - Number(written.journaled)} of ${j.length} changes were journaled concurrently`);
  }
  if (options.appendEvents !== false) await appendCorrelatedEvents(tx, events);
  return outcomes;
}

/** A message's state from its changes: RECONCILED when every change was stale (nothing applied). */
export function stateOf(outcomes: ChangeOutcome[]): "PROCESSED" | "RECONCILED" {
  return outcomes.length > 0 && outcomes.every((o) => o.outcome === "stale") ? "RECONCILED" : "PROCESSED";
}
