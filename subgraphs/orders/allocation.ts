// Orders' side of allocation: inventory allocates (its tables, its rules) and publishes
// OrderAllocationChanged; this records the result on the order lines and moves the order to
// ALLOCATED, PARTIALLY_ALLOCATED or BACKORDERED. Quantities in the event are absolute, so
// handling an event twice leaves the same lines; a cancelled order keeps its status.
import type { Tx } from "../../platform/events/event-log.js";
import type { OrderAllocationChangedPayload } from "../inventory/events.js";
import { allocatableStatuses, allocationStatus, lockOrder, transitionOrder } from "./lifecycle.js";

export async function recordAllocation(tx: Tx, p: OrderAllocationChangedPayload, correlationId: string) {
  const current = await lockOrder(tx, p.orderId);
  const lines = await tx.orderLine.findMany({ where: { orderId: p.orderId }, orderBy: { lineNumber: "asc" } });
  const byId = new Map(p.lines.map((l) => [l.lineId, l]));
  for (const line of lines) {
    const a = byId.get(line.id);
    if (!a) continue;
    const allocated = Math.floor(a.allocated / line.unitFactor);
    const backordered = Math.floor(a.backordered / line.unitFactor);
    // Where it is held, for the release to the warehouses (fulfillment.ts).
    await tx.orderLine.update({ where: { id: line.id }, data: { quantityAllocated: allocated, quantityBackordered: backordered, allocatedAt: a.locations } });
    line.quantityAllocated = allocated;
    line.quantityBackordered = backordered;
  }
  if (p.reason === "RELEASED" || !allocatableStatuses.includes(current.status)) return;
  const to = allocationStatus(lines.map((l) => ({ ordered: l.quantityOrdered, allocated: l.quantityAllocated })));
  if (to === current.status) return;
  const summary = lines
    .map((l) => {
      const a = byId.get(l.id);
      const where = a?.locations.length ? ` at ${a.locations.map((x) => `${x.locationId} (${x.quantity / l.unitFactor})`).join(", ")}` : "";
      return `line ${l.lineNumber}: ${l.quantityAllocated} of ${l.quantityOrdered} ${l.unit} allocated${where}${l.quantityBackordered ? `, ${l.quantityBackordered} backordered` : ""}`;
    })
    .join("; ");
  await transitionOrder(tx, p.orderId, current, to, { source: "inventory", reason: summary, correlationId });
}
