// Returned goods back into stock (the inventory.returns consumer of ReturnChanged receipts), by
// disposition: everything received adds to on hand; what came back damaged also to damaged, what
// waits for inspection to quality hold, so only restocked goods become available. Each changed
// position appends InventoryChanged (reason RETURNED); the journal key return:<id>:<receipt>:<line>
// makes a redelivered receipt change nothing.
import type { InventoryPosition } from "../../platform/db/generated/client.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import { appendEvents, lockOutbox, type Tx } from "../../platform/events/event-log.js";
import { ReturnChanged, type ReturnChangedPayload } from "../orders/returns.js";
import { bucketBoundProblem, positionId, bucketsOf } from "./domain.js";
import { InventoryChanged } from "./events.js";

export async function receiveReturnedStock(tx: Tx, p: ReturnChangedPayload, correlationId: string, sourceEventId: string) {
  if (p.change !== "RECEIVED") return;
  await lockOutbox(tx);
  const events = [];
  for (const line of [...p.lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
    const total = (line.restocked + line.damaged + line.qualityHold) * line.unitFactor;
    if (!total) continue;
    const journaled = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "inventory"."StockMovement" ("sku", "locationId", "kind", "quantity", "occurredAt", "sourceEventId")
      VALUES (${line.sku}, ${p.locationId}, 'RECEIPT', ${total}, now(), ${`return:${p.returnId}:${p.receipt}:${line.lineNumber}`})
      ON CONFLICT ("sourceEventId", "sku", "locationId") DO NOTHING RETURNING "id"`;
    if (!journaled.length) continue;
    const [before] = await tx.$queryRaw<InventoryPosition[]>`
      INSERT INTO "inventory"."InventoryPosition" ("sku", "locationId", "asOf", "version") VALUES (${line.sku}, ${p.locationId}, now(), 0)
      ON CONFLICT ("sku", "locationId") DO UPDATE SET "version" = "InventoryPosition"."version" RETURNING *`;
    // A receipt that would break a bucket's bound fails with the bucket named (the event is
    // retried, then parked with this reason) rather than with the table's CHECK constraint.
    const damaged = line.damaged * line.unitFactor;
    const qualityHold = line.qualityHold * line.unitFactor;
    const outOfBounds = bucketBoundProblem(line.sku, p.locationId, {
      ...before,
      onHand: before.onHand + total,
      damaged: before.damaged + damaged,
      qualityHold: before.qualityHold + qualityHold,
    });
    if (outOfBounds) throw new Error(`return ${p.returnId} receipt ${p.receipt} line ${line.lineNumber} ${outOfBounds}`);
    const after = await tx.inventoryPosition.update({
      where: { sku_locationId: { sku: line.sku, locationId: p.locationId } },
      data: { onHand: { increment: total }, damaged: { increment: damaged }, qualityHold: { increment: qualityHold }, version: { increment: 1 } },
    });
    events.push(
      InventoryChanged.event({
        aggregateId: positionId(line.sku, p.locationId),
        aggregateVersion: after.version,
        payload: {
          sku: line.sku,
          locationId: p.locationId,
          reason: "RETURNED",
          quantity: total,
          before: bucketsOf(before),
          after: bucketsOf(after),
          source: "returns",
          sourceEventId,
          inboundMessageId: null,
        },
      }),
    );
  }
  await appendEvents(tx, correlationId, events);
}

export const returnedStockConsumer: ConsumerDefinition = {
  name: "inventory.returns",
  types: [ReturnChanged.name],
  wants: (event) => ReturnChanged.payloadOf(event).change === "RECEIVED",
  async handle(event, tx) {
    await receiveReturnedStock(tx, ReturnChanged.payloadOf(event), event.correlationId, event.eventId);
  },
};
