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
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import { validationError } from "../../platform/ingest/errors.js";
import { available, onHandBoundProblem, positionId, type Buckets } from "./domain.js";

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

export const INVENTORY_CHANGED = "InventoryChanged";

const bucketsOf = (p: Buckets) => ({
  onHand: p.onHand,
  allocated: p.allocated,
  reserved: p.reserved,
  damaged: p.damaged,
  qualityHold: p.qualityHold,
  safetyStock: p.safetyStock,
  inbound: p.inbound,
  available: available(p),
});

export interface SyncContext {
  correlationId: string;
  messageId: string | null;
  source: string;
  /** Where exceptions are recorded (the inbound message's warnings); absent for reconciliation. */
  warn?: (warning: { code: string; message: string }) => void;
}

export const NEGATIVE_ON_HAND = "NEGATIVE_ON_HAND";

export async function applyStockChanges(tx: Tx, changes: StockChange[], ctx: SyncContext): Promise<ChangeOutcome[]> {
  const outcomes: ChangeOutcome[] = [];
  for (const change of changes) outcomes.push(await applyOne(tx, change, ctx));
  return outcomes;
}

async function lockPosition(tx: Tx, sku: string, locationId: string, at: Date): Promise<InventoryPosition> {
  // Created on first sight; the no-op update on conflict takes the row lock and returns the row in
  // the same statement, so concurrent writers to one position queue up here.
  const [row] = await tx.$queryRaw<InventoryPosition[]>`
    INSERT INTO "inventory"."InventoryPosition" ("sku", "locationId", "asOf", "version")
    VALUES (${sku}, ${locationId}, ${at}, 0)
    ON CONFLICT ("sku", "locationId") DO UPDATE SET "version" = "InventoryPosition"."version"
    RETURNING *`;
  return row;
}

async function applyOne(tx: Tx, change: StockChange, ctx: SyncContext): Promise<ChangeOutcome> {
  const base = { sku: change.sku, locationId: change.locationId, sourceEventId: change.sourceEventId };
  const position = await lockPosition(tx, change.sku, change.locationId, change.occurredAt);
  if (position.levelAsOf && change.occurredAt <= position.levelAsOf) return { ...base, outcome: "stale" };

  let targetOnHand: number;
  let movementQuantity: number;
  if (change.type === "delta") {
    targetOnHand = position.onHand + change.quantity;
    movementQuantity = change.quantity;
  } else {
    const [{ later }] = await tx.$queryRaw<{ later: bigint | null }[]>`
      SELECT SUM("quantity") AS "later" FROM "inventory"."StockMovement"
      WHERE "sku" = ${change.sku} AND "locationId" = ${change.locationId} AND "kind" <> 'LEVEL' AND "occurredAt" > ${change.occurredAt}`;
    const held = position.allocated + position.reserved + position.damaged + position.qualityHold + position.safetyStock;
    targetOnHand = (change.bucket === "onHand" ? change.quantity : change.quantity + held) + Number(later ?? 0);
    movementQuantity = targetOnHand - position.onHand;
  }
  const outOfBounds = onHandBoundProblem(change.sku, change.locationId, targetOnHand);
  if (outOfBounds) throw validationError(outOfBounds);

  // The journal's unique (sourceEventId, sku, locationId) is the last line of idempotency: a change
  // already journaled is not applied again, whatever path delivered it twice.
  const journaled = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO "inventory"."StockMovement" ("sku", "locationId", "kind", "quantity", "occurredAt", "sourceEventId", "inboundMessageId")
    VALUES (${change.sku}, ${change.locationId}, ${change.type === "delta" ? change.movement : "LEVEL"}::"inventory"."MovementKind", ${movementQuantity},
      ${change.occurredAt}, ${change.sourceEventId}, ${ctx.messageId})
    ON CONFLICT ("sourceEventId", "sku", "locationId") DO NOTHING RETURNING "id"`;
  if (!journaled.length) return { ...base, outcome: "already-applied" };
  const levelAsOf = change.type === "level" ? change.occurredAt : position.levelAsOf;
  const asOf = change.occurredAt > position.asOf ? change.occurredAt : position.asOf;
  if (targetOnHand === position.onHand && position.version > 0) {
    await tx.inventoryPosition.update({ where: { sku_locationId: { sku: change.sku, locationId: change.locationId } }, data: { levelAsOf, asOf } });
    return { ...base, outcome: "unchanged", drift: 0, version: position.version };
  }
  const after = await tx.inventoryPosition.update({
    where: { sku_locationId: { sku: change.sku, locationId: change.locationId } },
    data: { onHand: targetOnHand, levelAsOf, asOf, version: { increment: 1 } },
  });
  const negative = targetOnHand < 0;
  if (negative) ctx.warn?.({ code: NEGATIVE_ON_HAND, message: `on hand of ${change.sku} at ${change.locationId} is ${targetOnHand} after this change` });
  await appendEvents(tx, ctx.correlationId, [
    {
      type: INVENTORY_CHANGED,
      aggregateType: "InventoryPosition",
      aggregateId: positionId(change.sku, change.locationId),
      aggregateVersion: after.version,
      occurredAt: change.occurredAt,
      payload: {
        sku: change.sku,
        locationId: change.locationId,
        reason: change.type === "delta" ? change.movement : change.bucket === "onHand" ? "LEVEL_ON_HAND" : "LEVEL_AVAILABLE",
        quantity: movementQuantity,
        before: bucketsOf(position),
        after: bucketsOf(after),
        source: ctx.source,
        sourceEventId: change.sourceEventId,
        inboundMessageId: ctx.messageId,
        ...(negative && { exception: NEGATIVE_ON_HAND }),
      } satisfies Prisma.InputJsonObject,
    },
  ]);
  return { ...base, outcome: "applied", drift: change.type === "level" ? movementQuantity : undefined, version: after.version };
}

/** A message's state from its changes: RECONCILED when every change was stale (nothing applied). */
export function stateOf(outcomes: ChangeOutcome[]): "PROCESSED" | "RECONCILED" {
  return outcomes.length > 0 && outcomes.every((o) => o.outcome === "stale") ? "RECONCILED" : "PROCESSED";
}
