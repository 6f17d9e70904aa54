// Stock leaving the warehouse (the inventory.shipments consumer of ShipmentConfirmed): on hand
// and allocated of the shipping location go down by what was shipped (base units), the order
// line's allocation there is consumed, and its allocation request now asks only for what is still
// to ship. A final confirmation that shipped less than was released gives the rest of the
// allocation back: the request stays OPEN for it (a backorder, filled first come first served when
// stock arrives). The warehouse could not ship it, so it is taken as stock not found: on hand goes
// down by the short quantity too (an ADJUSTMENT in the journal), which leaves available as it was
// and keeps the backorder from being filled again from stock that is not there. Each changed position appends InventoryChanged (reason SHIPPED). The journal's
// unique (sourceEventId, sku, location) makes a redelivered event change nothing.
import type { InventoryPosition } from "../../platform/db/generated/client.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import { appendEvents, lockOutbox, type Tx } from "../../platform/events/event-log.js";
import { ShipmentConfirmed, type ShipmentConfirmedPayload } from "../shipments/events.js";
import { bucketBoundProblem, positionId, bucketsOf } from "./domain.js";
import { InventoryChanged } from "./events.js";

export async function shipStock(tx: Tx, p: ShipmentConfirmedPayload, correlationId: string, sourceEventId: string) {
  await lockOutbox(tx);
  const events = [];
  for (const line of [...p.lines].sort((a, b) => a.sku.localeCompare(b.sku))) {
    const shipped = line.quantity * line.unitFactor;
    const short = p.final && line.quantityReleased != null ? Math.max(0, (line.quantityReleased - line.quantity) * line.unitFactor) : 0;
    if (!shipped && !short) continue;
    const journaled = shipped
      ? await tx.$queryRaw<{ id: bigint }[]>`
          INSERT INTO "inventory"."StockMovement" ("sku", "locationId", "kind", "quantity", "occurredAt", "sourceEventId")
          VALUES (${line.sku}, ${p.locationId}, 'PICK', ${-shipped}, ${new Date(p.shippedAt)}, ${`shipment:${p.shipmentId}:${line.lineNumber}`})
          ON CONFLICT ("sourceEventId", "sku", "locationId") DO NOTHING RETURNING "id"`
      : [{ id: 0n }];
    if (!journaled.length) continue; // shipped before: a redelivery
    if (short) {
      await tx.$executeRaw`
        INSERT INTO "inventory"."StockMovement" ("sku", "locationId", "kind", "quantity", "occurredAt", "sourceEventId")
        VALUES (${line.sku}, ${p.locationId}, 'ADJUSTMENT', ${-short}, ${new Date(p.shippedAt)}, ${`short:${p.shipmentId}:${line.lineNumber}`})
        ON CONFLICT ("sourceEventId", "sku", "locationId") DO NOTHING`;
    }
    const [allocation] = await tx.$queryRaw<{ quantity: number }[]>`
      SELECT "quantity" FROM "inventory"."Allocation" WHERE "lineId" = ${line.orderLineId} AND "locationId" = ${p.locationId} FOR UPDATE`;
    const held = allocation?.quantity ?? 0;
    // What was held for this line here: shipped first, then (final) the short part given back.
    const fromAllocation = Math.min(held, shipped + short);
    if (allocation) {
      if (held - fromAllocation > 0)
        await tx.allocation.update({
          where: { lineId_locationId: { lineId: line.orderLineId, locationId: p.locationId } },
          data: { quantity: held - fromAllocation },
        });
      else await tx.allocation.delete({ where: { lineId_locationId: { lineId: line.orderLineId, locationId: p.locationId } } });
    }
    const [request] = await tx.$queryRaw<{ quantity: number; allocated: number }[]>`
      SELECT "quantity", "allocated" FROM "inventory"."AllocationRequest" WHERE "lineId" = ${line.orderLineId} FOR UPDATE`;
    if (request) {
      const quantity = Math.max(0, request.quantity - shipped);
      const allocatedLeft = Math.max(0, request.allocated - fromAllocation);
      await tx.allocationRequest.update({
        where: { lineId: line.orderLineId },
        data: { quantity, allocated: allocatedLeft, status: allocatedLeft >= quantity ? "FILLED" : "OPEN" },
      });
    }
    const [before] = await tx.$queryRaw<InventoryPosition[]>`
      SELECT * FROM "inventory"."InventoryPosition" WHERE "sku" = ${line.sku} AND "locationId" = ${p.locationId} FOR UPDATE`;
    if (!before) continue;
    const fromAllocated = Math.min(before.allocated, fromAllocation);
    // Shipping more than is on hand may take on hand negative, but not past its lowest bound:
    // refused with the bucket named (the event is retried, then parked with this reason).
    const outOfBounds = bucketBoundProblem(line.sku, p.locationId, {
      ...before,
      onHand: before.onHand - shipped - short,
      allocated: before.allocated - fromAllocated,
    });
    if (outOfBounds) throw new Error(`shipment ${p.shipmentId} line ${line.lineNumber} ${outOfBounds}`);
    const after = await tx.inventoryPosition.update({
      where: { sku_locationId: { sku: line.sku, locationId: p.locationId } },
      data: { onHand: { decrement: shipped + short }, allocated: { decrement: fromAllocated }, version: { increment: 1 } },
    });
    events.push(
      InventoryChanged.event({
        aggregateId: positionId(line.sku, p.locationId),
        aggregateVersion: after.version,
        occurredAt: new Date(p.shippedAt),
        payload: {
          sku: line.sku,
          locationId: p.locationId,
          reason: "SHIPPED",
          quantity: -(shipped + short),
          before: bucketsOf(before),
          after: bucketsOf(after),
          source: "shipments",
          sourceEventId,
          inboundMessageId: null,
        },
      }),
    );
  }
  await appendEvents(tx, correlationId, events);
}

export const shipmentStockConsumer: ConsumerDefinition = {
  name: "inventory.shipments",
  types: [ShipmentConfirmed.name],
  async handle(event, tx) {
    await shipStock(tx, ShipmentConfirmed.payloadOf(event), event.correlationId, event.eventId);
  },
};
