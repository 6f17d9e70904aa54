// Allocation of stock to orders (inventory's tables only), as the consumer inventory.allocation:
// - OrderAccepted: allocate the order's lines by the rules in allocation-rules.ts, backorder the
//   rest;
// - OrderStatusChanged to CANCELLED or REJECTED: give the order's allocations back;
// - InventoryChanged that raised available: fill open backorders of that sku, oldest first.
// Every change locks the positions it reads (FOR UPDATE, in sku/location order, after the outbox
// lock as every multi-row writer does), so concurrent allocators and stock updates queue and
// available never goes below zero through an allocation. Each changed position gets an
// InventoryChanged event; each changed order one OrderAllocationChanged for the orders domain.
// Replays are harmless: a request row per order line is created once (ON CONFLICT DO NOTHING), and
// a release finds nothing left to release.
import { Prisma, type InventoryPosition } from "../../platform/db/generated/client.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import { appendEvents, type NewEvent, type Tx } from "../../platform/events/event-log.js";
import { ORDER_ACCEPTED, ORDER_STATUS_CHANGED, type OrderAcceptedPayload, type OrderStatusChangedPayload } from "../orders/events.js";
import { available, positionId, bucketsOf } from "./domain.js";
import { ORDER_ALLOCATION_CHANGED, type OrderAllocationChangedPayload } from "./events.js";
import { INVENTORY_CHANGED, type InventoryChangedPayload } from "./events.js";
import { planAllocation, warehouseOf, type PlanLine } from "./allocation-rules.js";

interface Request {
  lineId: string;
  orderId: string;
  sku: string;
  unitFactor: number;
  quantity: number;
  allocated: number;
  shipFrom: string[];
}

async function lockPositions(tx: Tx, skus: string[]): Promise<InventoryPosition[]> {
  if (!skus.length) return [];
  return tx.$queryRaw<InventoryPosition[]>`
    SELECT * FROM "inventory"."InventoryPosition" WHERE "sku" = ANY(${skus}) ORDER BY "sku", "locationId" FOR UPDATE`;
}

async function locationTree(tx: Tx) {
  const rows = await tx.location.findMany({ select: { id: true, kind: true, parentId: true } });
  return new Map(rows.map((l) => [l.id, l]));
}

/** Applies allocations (or releases, with negative quantities) to locked positions and the journal of allocations. */
async function applyToPositions(
  tx: Tx,
  positions: InventoryPosition[],
  changes: { lineId: string; orderId: string; sku: string; locationId: string; quantity: number }[],
  reason: "ALLOCATED" | "RELEASED",
  sourceEventId: string,
): Promise<NewEvent[]> {
  const byKey = new Map(positions.map((p) => [`${p.sku}\u0000${p.locationId}`, { ...p }]));
  const touched = new Map<string, { before: InventoryPosition; delta: number }>();
  for (const c of changes) {
    const key = `${c.sku}\u0000${c.locationId}`;
    const t = touched.get(key) ?? { before: byKey.get(key)!, delta: 0 };
    t.delta += c.quantity;
    touched.set(key, t);
    if (c.quantity > 0) {
      await tx.$executeRaw`
        INSERT INTO "inventory"."Allocation" ("lineId", "locationId", "orderId", "sku", "quantity") VALUES (${c.lineId}, ${c.locationId}, ${c.orderId}, ${c.sku}, ${c.quantity})
        ON CONFLICT ("lineId", "locationId") DO UPDATE SET "quantity" = "Allocation"."quantity" + EXCLUDED."quantity"`;
    }
  }
  const events: NewEvent[] = [];
  const now = new Date();
  for (const { before, delta } of touched.values()) {
    if (!delta) continue;
    const after = await tx.inventoryPosition.update({
      where: { sku_locationId: { sku: before.sku, locationId: before.locationId } },
      data: { allocated: { increment: delta }, version: { increment: 1 } },
    });
    events.push({
      type: INVENTORY_CHANGED,
      aggregateType: "InventoryPosition",
      aggregateId: positionId(before.sku, before.locationId),
      aggregateVersion: after.version,
      occurredAt: now,
      payload: {
        sku: before.sku,
        locationId: before.locationId,
        reason,
        quantity: 0,
        before: bucketsOf(before),
        after: bucketsOf(after),
        source: "allocation",
        sourceEventId,
        inboundMessageId: null,
      } satisfies Prisma.InputJsonObject,
    });
  }
  return events;
}

/** Quantities in the payload are absolute, so consumers need no version: the log's order is enough. */
function allocationEvent(orderId: string, payload: OrderAllocationChangedPayload): NewEvent {
  return {
    type: ORDER_ALLOCATION_CHANGED,
    aggregateType: "OrderAllocation",
    aggregateId: orderId,
    aggregateVersion: 0,
    occurredAt: new Date(),
    payload: payload as unknown as Prisma.InputJsonObject,
  };
}

/**
 * Allocates what can be allocated of the requests (already locked), in the order given.
 * It allocates at most what is available, so what a position holds back stays at most its on
 * hand (itself at most STOCK_LIMIT): allocation cannot break the bucket bounds and needs no
 * bound check of its own; a release only lowers allocated.
 */
async function allocate(
  tx: Tx,
  requests: Request[],
  correlationId: string,
  sourceEventId: string,
  reason: "ALLOCATED" | "BACKORDER_FILLED",
): Promise<NewEvent[]> {
  const positions = await lockPositions(tx, [...new Set(requests.map((r) => r.sku))].sort());
  const tree = await locationTree(tx);
  const planPositions = positions.map((p) => ({ sku: p.sku, locationId: p.locationId, warehouseId: warehouseOf(p.locationId, tree), available: available(p) }));
  const changes: { lineId: string; orderId: string; sku: string; locationId: string; quantity: number }[] = [];
  // One plan per order (rule 2 looks at the whole order), in the requests' order.
  const orders = [...new Set(requests.map((r) => r.orderId))];
  for (const orderId of orders) {
    const mine = requests.filter((r) => r.orderId === orderId);
    const lines: PlanLine[] = mine
      .map((r) => ({ lineId: r.lineId, sku: r.sku, quantity: r.quantity - r.allocated, unitFactor: r.unitFactor }))
      .filter((l) => l.quantity > 0);
    const plan = planAllocation(
      lines,
      planPositions,
      mine[0].shipFrom.map((id) => warehouseOf(id, tree)),
    );
    for (const [lineId, parts] of plan) {
      const r = mine.find((x) => x.lineId === lineId)!;
      for (const part of parts) {
        changes.push({ lineId, orderId, sku: r.sku, locationId: part.locationId, quantity: part.quantity });
        const pp = planPositions.find((p) => p.sku === r.sku && p.locationId === part.locationId)!;
        pp.available -= part.quantity;
        r.allocated += part.quantity;
      }
    }
  }
  const events = await applyToPositions(tx, positions, changes, "ALLOCATED", sourceEventId);
  for (const r of requests) {
    await tx.allocationRequest.update({ where: { lineId: r.lineId }, data: { allocated: r.allocated, status: r.allocated >= r.quantity ? "FILLED" : "OPEN" } });
  }
  for (const orderId of orders) {
    const changed = changes.some((c) => c.orderId === orderId);
    if (reason === "BACKORDER_FILLED" && !changed) continue;
    const allocations = await tx.allocation.findMany({ where: { orderId } });
    const lines = requests.filter((r) => r.orderId === orderId);
    events.push(
      allocationEvent(orderId, {
        orderId,
        reason,
        lines: lines.map((r) => ({
          lineId: r.lineId,
          sku: r.sku,
          requested: r.quantity,
          allocated: r.allocated,
          backordered: r.quantity - r.allocated,
          locations: allocations.filter((a) => a.lineId === r.lineId).map((a) => ({ locationId: a.locationId, quantity: a.quantity })),
        })),
      }),
    );
  }
  return events;
}

export async function allocateOrder(tx: Tx, p: OrderAcceptedPayload, correlationId: string, _sourceEventId: string): Promise<void> {
  const requestedAt = new Date(p.acceptedAt);
  const created = await tx.$queryRaw<{ lineId: string }[]>`
    INSERT INTO "inventory"."AllocationRequest" ("lineId", "orderId", "sku", "unitFactor", "quantity", "shipFrom", "requestedAt", "updatedAt")
    SELECT l->>'lineId', ${p.orderId}, l->>'sku', (l->>'unitFactor')::int, (l->>'quantity')::int, ${p.shipFrom}::text[], ${requestedAt}, now()
    FROM jsonb_array_elements(${JSON.stringify(p.lines)}::jsonb) l
    ON CONFLICT ("lineId") DO NOTHING RETURNING "lineId"`;
  if (!created.length) return; // allocated before: this is a redelivery
  const requests = p.lines
    .filter((l) => created.some((c) => c.lineId === l.lineId))
    .map((l) => ({ lineId: l.lineId, orderId: p.orderId, sku: l.sku, unitFactor: l.unitFactor, quantity: l.quantity, allocated: 0, shipFrom: p.shipFrom }));
  const events = await allocate(tx, requests, correlationId, `allocate:${p.orderId}`, "ALLOCATED");
  await appendEvents(tx, correlationId, events);
}

export async function releaseOrder(tx: Tx, orderId: string, correlationId: string): Promise<void> {
  const requests = await tx.$queryRaw<Request[]>`
    SELECT * FROM "inventory"."AllocationRequest" WHERE "orderId" = ${orderId} AND "status" <> 'RELEASED' ORDER BY "lineId" FOR UPDATE`;
  if (!requests.length) return;
  const allocations = await tx.allocation.findMany({ where: { orderId } });
  const positions = await lockPositions(tx, [...new Set(allocations.map((a) => a.sku))].sort());
  const events = await applyToPositions(
    tx,
    positions,
    allocations.map((a) => ({ lineId: a.lineId, orderId, sku: a.sku, locationId: a.locationId, quantity: -a.quantity })),
    "RELEASED",
    `release:${orderId}`,
  );
  await tx.allocation.deleteMany({ where: { orderId } });
  await tx.allocationRequest.updateMany({ where: { orderId }, data: { status: "RELEASED", allocated: 0 } });
  events.push(
    allocationEvent(orderId, {
      orderId,
      reason: "RELEASED",
      lines: requests.map((r) => ({ lineId: r.lineId, sku: r.sku, requested: r.quantity, allocated: 0, backordered: 0, locations: [] })),
    }),
  );
  await appendEvents(tx, correlationId, events);
}

export async function fillBackorders(tx: Tx, sku: string, correlationId: string, sourceEventId: string): Promise<void> {
  const [open] = await tx.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM "inventory"."AllocationRequest" WHERE "sku" = ${sku} AND "status" = 'OPEN'`;
  if (!Number(open.n)) return;
  const requests = await tx.$queryRaw<Request[]>`
    SELECT * FROM "inventory"."AllocationRequest" WHERE "sku" = ${sku} AND "status" = 'OPEN' ORDER BY "requestedAt", "lineId" FOR UPDATE`;
  const events = await allocate(tx, requests, correlationId, sourceEventId, "BACKORDER_FILLED");
  await appendEvents(tx, correlationId, events);
}

type StockChangedPayload = InventoryChangedPayload;

export const allocationConsumer: ConsumerDefinition = {
  name: "inventory.allocation",
  types: [ORDER_ACCEPTED, ORDER_STATUS_CHANGED, INVENTORY_CHANGED],
  // Most stock changes concern no backorder: skip them without a transaction. Requests are created
  // only by this consumer, in log order, so the answer is settled for every later event.
  async wants(event, db) {
    if (event.type === ORDER_ACCEPTED) return true;
    if (event.type === ORDER_STATUS_CHANGED) {
      const s = (event.payload as unknown as OrderStatusChangedPayload).newStatus;
      return s === "CANCELLED" || s === "REJECTED";
    }
    const p = event.payload as unknown as StockChangedPayload;
    if (!(p.after.available > p.before.available && p.after.available > 0)) return false;
    const [row] = await db.$queryRaw<{ open: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM "inventory"."AllocationRequest" WHERE "sku" = ${p.sku} AND "status" = 'OPEN') AS "open"`;
    return row.open;
  },
  async handle(event, tx) {
    if (event.type === ORDER_ACCEPTED) return allocateOrder(tx, event.payload as unknown as OrderAcceptedPayload, event.correlationId, event.eventId);
    if (event.type === ORDER_STATUS_CHANGED) {
      const p = event.payload as unknown as OrderStatusChangedPayload;
      if (p.newStatus === "CANCELLED" || p.newStatus === "REJECTED") await releaseOrder(tx, p.orderId, event.correlationId);
      return;
    }
    const p = event.payload as unknown as StockChangedPayload;
    if (p.after.available > p.before.available && p.after.available > 0) await fillBackorders(tx, p.sku, event.correlationId, event.eventId);
  },
};
