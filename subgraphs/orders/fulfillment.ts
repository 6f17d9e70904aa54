// Orders' part of fulfillment to cash, one hop per event, each through the order lifecycle:
// - release: an ALLOCATED order (automatically, the orders.release consumer, or by releaseOrder /
//   updateOrderStatus RELEASED for a PARTIALLY_ALLOCATED one) is released to the warehouses that
//   hold its allocation: RELEASED, and OrderReleased with one part per location (the shipments
//   domain turns each part into a warehouse shipping order, 940 or WMS JSON);
// - ShipmentConfirmed (orders.shipments): shipped quantities on the lines, PARTIALLY_SHIPPED or
//   SHIPPED, the backorder of a final partial shipment, and OrderShipped with the priced lines
//   for invoicing; an 856 to an EDI customer;
// - InvoiceCreated (orders.invoices): invoiced quantities, INVOICED once everything shipped is
//   billed; an 810 to an EDI customer.
// Redelivery is harmless: orders.OrderLineShipment is keyed by (shipment, line), so a shipment or
// an invoice already recorded changes nothing the second time.
import { Prisma, type Order, type OrderLine } from "../../platform/db/generated/client.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import type { Db } from "../../platform/db/client.js";
import { DomainError, ErrorCode } from "../../platform/errors.js";
import { ShipmentConfirmed, type ShipmentConfirmedPayload } from "../shipments/events.js";
import { InvoiceCreated, type InvoiceCreatedPayload } from "../erp-finance/invoicing.js";
import { OrderReleased, OrderShipped, OrderStatusChanged, type OrderReleasedPayload } from "./events.js";
import { canTransition, lockOrder, transitionOrder } from "./lifecycle.js";
import type { X12PartnerContext } from "./documents/x12-855.js";
import { writeShipNotice } from "./documents/x12-856.js";
import { writeInvoiceDocument } from "./documents/x12-810.js";

const txOptions = { timeout: 30_000, maxWait: 30_000 };

type LineWithAllocation = OrderLine & { allocatedAt: Prisma.JsonValue };

/** Per location, what of each line is allocated there and not yet released or shipped, in line units. */
export function releaseParts(lines: LineWithAllocation[]): Map<string, { line: OrderLine; quantity: number }[]> {
  const parts = new Map<string, { line: OrderLine; quantity: number }[]>();
  for (const line of lines) {
    let open = line.quantityAllocated - line.quantityReleased - line.quantityShipped;
    if (open <= 0) continue;
    const at = ((line.allocatedAt as { locationId: string; quantity: number }[] | null) ?? []).slice().sort((a, b) => a.locationId.localeCompare(b.locationId));
    for (const a of at) {
      const q = Math.min(open, Math.floor(a.quantity / line.unitFactor));
      if (q <= 0) continue;
      parts.set(a.locationId, [...(parts.get(a.locationId) ?? []), { line, quantity: q }]);
      open -= q;
      if (!open) break;
    }
  }
  return parts;
}

/**
 * Releases what is allocated and not yet released to the warehouses holding it, in the caller's
 * transaction. Returns null (nothing done) when the order is not ALLOCATED or PARTIALLY_ALLOCATED
 * or has nothing to release.
 */
export async function releaseToWarehouses(
  tx: Tx,
  orderId: string,
  ctx: { source: string; reason?: string | null; correlationId: string },
): Promise<Order | null> {
  const current = await lockOrder(tx, orderId);
  // PARTIALLY_SHIPPED: a backorder filled after a short shipment is released by releaseOrder.
  if (current.status !== "ALLOCATED" && current.status !== "PARTIALLY_ALLOCATED" && current.status !== "PARTIALLY_SHIPPED") return null;
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
  const parts = releaseParts(order.lines);
  if (!parts.size) return null;
  const partner = order.partnerContext as unknown as X12PartnerContext | null;
  const catalog = await tx.catalogItem.findMany({ where: { sku: { in: order.lines.map((l) => l.sku) } }, select: { sku: true, description: true } });
  for (const [, lines] of parts) {
    for (const { line, quantity } of lines) await tx.orderLine.update({ where: { id: line.id }, data: { quantityReleased: { increment: quantity } } });
  }
  const release = order.releases + 1;
  const summary = [...parts]
    .map(([loc, lines]) => `${loc} (${lines.map((l) => `line ${l.line.lineNumber}: ${l.quantity} ${l.line.unit}`).join(", ")})`)
    .join("; ");
  const updated = await transitionOrder(
    tx,
    orderId,
    current,
    "RELEASED",
    { source: ctx.source, reason: ctx.reason ?? `release ${release} to ${summary}`, correlationId: ctx.correlationId },
    { releases: release },
  );
  const payload: OrderReleasedPayload = {
    orderId,
    orderNumber: order.orderNumber,
    customerId: order.customerId,
    customerPo: order.customerPo,
    channel: order.channel,
    requestedShipDate: order.requestedShipDate?.toISOString().slice(0, 10) ?? null,
    shipTo: { name: order.shipToName, address: order.shipToAddress, gln: order.shipToGln },
    release,
    parts: [...parts].map(([locationId, lines]) => ({
      locationId,
      lines: lines.map(({ line, quantity }) => ({
        lineId: line.id,
        lineNumber: line.lineNumber,
        sku: line.sku,
        gtin: line.gtin,
        customerPartNumber: line.customerPartNumber,
        partnerIds: partner?.standard === "X12" ? (partner.lines.find((p) => p.lineNumber === line.lineNumber)?.ids ?? []) : [],
        description: catalog.find((c) => c.sku === line.sku)?.description ?? null,
        unit: line.unit,
        unitFactor: line.unitFactor,
        quantityOrdered: line.quantityOrdered,
        quantity,
      })),
    })),
  };
  await appendEvents(tx, ctx.correlationId, [OrderReleased.event({ aggregateId: orderId, aggregateVersion: updated.version, payload })]);
  return updated;
}

/** The releaseOrder mutation: releases an ALLOCATED or PARTIALLY_ALLOCATED order now. */
export async function releaseOrder(db: Db, input: { id: string; reason?: string | null; source?: string | null }, correlationId: string): Promise<Order> {
  return db.$transaction(async (tx) => {
    const released = await releaseToWarehouses(tx, input.id, { source: input.source || "api", reason: input.reason, correlationId });
    if (released) return released;
    const order = await tx.order.findUnique({ where: { id: input.id } });
    if (!order) throw new DomainError(ErrorCode.NOT_FOUND, `no order ${input.id}`, { argument: "id" });
    throw new DomainError(
      ErrorCode.INVALID_STATUS_TRANSITION,
      `order ${input.id} is ${order.status} with nothing allocated to release (release needs ALLOCATED, PARTIALLY_ALLOCATED or PARTIALLY_SHIPPED with stock allocated)`,
      { from: order.status, to: "RELEASED" },
    );
  }, txOptions);
}

/** ALLOCATED orders are released as soon as they are (ORDER_AUTO_RELEASE, default on). */
export const autoReleaseConsumer: ConsumerDefinition = {
  name: "orders.release",
  types: [OrderStatusChanged.name],
  wants: (event) => OrderStatusChanged.payloadOf(event).newStatus === "ALLOCATED",
  async handle(event, tx) {
    await releaseToWarehouses(tx, OrderStatusChanged.payloadOf(event).orderId, { source: "release", correlationId: event.correlationId });
  },
};

/** Records a confirmed shipment on the order: quantities, backorders, status, OrderShipped, the 856. */
export async function recordShipment(tx: Tx, p: ShipmentConfirmedPayload, correlationId: string, at: Date) {
  const current = await lockOrder(tx, p.orderId);
  const order = await tx.order.findUniqueOrThrow({ where: { id: p.orderId }, include: { lines: { orderBy: { lineNumber: "asc" } }, charges: true } });
  const shipped = p.lines.filter((l) => l.quantity > 0 && order.lines.some((o) => o.id === l.orderLineId));
  const earlier = await tx.orderLineShipment.count({ where: { orderId: p.orderId } });
  const inserted = shipped.length
    ? await tx.orderLineShipment.createManyAndReturn({
        data: shipped.map((l) => ({ shipmentId: p.shipmentId, orderLineId: l.orderLineId, orderId: p.orderId, quantity: l.quantity })),
        skipDuplicates: true,
      })
    : [];
  if (shipped.length && !inserted.length) return; // recorded before: a redelivery
  const notes: string[] = [];
  for (const line of order.lines) {
    const s = p.lines.find((l) => l.orderLineId === line.id);
    if (!s) continue;
    const released = s.quantityReleased ?? s.quantity;
    // Final: what the warehouse did not ship of its release is backordered (inventory gave the allocation back).
    const short = p.final ? Math.max(0, released - s.quantity) : 0;
    const data = {
      quantityShipped: line.quantityShipped + s.quantity,
      quantityReleased: Math.max(0, line.quantityReleased - (p.final ? released : s.quantity)),
      quantityAllocated: Math.max(0, line.quantityAllocated - (p.final ? released : s.quantity)),
      quantityBackordered: line.quantityBackordered + short,
    };
    await tx.orderLine.update({ where: { id: line.id }, data });
    Object.assign(line, data);
    notes.push(`line ${line.lineNumber}: ${s.quantity} of ${released} ${line.unit} shipped${short ? `, ${short} backordered` : ""}`);
  }
  for (const o of p.overShipped) notes.push(`line ${o.lineNumber}: over-shipped (${o.shipped} shipped, ${o.released} released)`);
  const allShipped = order.lines.every((l) => l.quantityShipped >= l.quantityOrdered);
  const to = allShipped ? "SHIPPED" : "PARTIALLY_SHIPPED";
  const reason = `shipment ${p.shipmentNumber} from ${p.locationId}: ${notes.join("; ")}`;
  if (canTransition(current.status, to)) {
    // Recorded now (the history is in the order things happened here); the ship time is the shipment's.
    await transitionOrder(tx, p.orderId, current, to, { source: "shipments", reason, correlationId });
  }
  const priced = shipped.map((s) => {
    const line = order.lines.find((l) => l.id === s.orderLineId)!;
    return { orderLineId: line.id, lineNumber: line.lineNumber, sku: line.sku, unit: line.unit, quantity: s.quantity, unitPrice: line.unitPrice.toString() };
  });
  // The order's charges and allowances (freight, promotions the buyer stated) are billed once, with its first shipment.
  const charges =
    earlier === 0
      ? order.charges.map((c) => ({
          kind: c.kind as "CHARGE" | "ALLOWANCE",
          code: c.code,
          description: c.description,
          amount: c.amount.toString(),
          lineNumber: c.lineNumber,
        }))
      : [];
  if (priced.length) {
    const fresh = await tx.order.findUniqueOrThrow({ where: { id: p.orderId }, select: { version: true } });
    await appendEvents(tx, correlationId, [
      OrderShipped.event({
        aggregateId: p.orderId,
        aggregateVersion: fresh.version,
        occurredAt: new Date(p.shippedAt),
        payload: {
          orderId: p.orderId,
          orderNumber: order.orderNumber,
          customerId: order.customerId,
          businessUnitId: order.businessUnitId,
          customerPo: order.customerPo,
          currency: order.currency,
          shipmentId: p.shipmentId,
          shipmentNumber: p.shipmentNumber,
          shippedAt: p.shippedAt,
          lines: priced,
          charges,
        },
      }),
    ]);
  }
  const ctx = order.partnerContext as unknown as X12PartnerContext | null;
  if (ctx?.standard === "X12" && shipped.length) await writeShipNotice(tx, { ...order, partnerContext: ctx }, p, at, correlationId);
}

export const shipmentRecorder: ConsumerDefinition = {
  name: "orders.shipments",
  types: [ShipmentConfirmed.name],
  async handle(event, tx) {
    await recordShipment(tx, ShipmentConfirmed.payloadOf(event), event.correlationId, event.occurredAt);
  },
};

/** Records an invoice on the order: invoiced quantities, INVOICED when everything shipped is billed, the 810. */
export async function recordInvoice(tx: Tx, p: InvoiceCreatedPayload, correlationId: string, at: Date) {
  const current = await lockOrder(tx, p.orderId);
  const marked = p.shipmentId
    ? await tx.orderLineShipment.updateMany({ where: { shipmentId: p.shipmentId, invoiceId: null }, data: { invoiceId: p.invoiceId } })
    : { count: 1 };
  if (!marked.count) return; // recorded before
  const order = await tx.order.findUniqueOrThrow({ where: { id: p.orderId }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
  for (const l of p.lines) {
    const line = order.lines.find((x) => x.id === l.orderLineId);
    if (!line) continue;
    line.quantityInvoiced += l.quantity;
    await tx.orderLine.update({ where: { id: line.id }, data: { quantityInvoiced: line.quantityInvoiced } });
  }
  const allBilled = order.lines.every((l) => l.quantityInvoiced >= l.quantityShipped);
  if (current.status === "SHIPPED" && allBilled) {
    await transitionOrder(tx, p.orderId, current, "INVOICED", {
      source: "erp-finance",
      reason: `invoice ${p.invoiceNumber}: ${p.total} ${p.currency}`,
      correlationId,
    });
  }
  const ctx = order.partnerContext as unknown as X12PartnerContext | null;
  if (ctx?.standard === "X12") await writeInvoiceDocument(tx, { ...order, partnerContext: ctx }, p, at, correlationId);
}

export const invoiceRecorder: ConsumerDefinition = {
  name: "orders.invoices",
  types: [InvoiceCreated.name],
  async handle(event, tx) {
    await recordInvoice(tx, InvoiceCreated.payloadOf(event), event.correlationId, event.occurredAt);
  },
};
