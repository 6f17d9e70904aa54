// Release to the warehouse: for each part of an OrderReleased (one per location holding the
// allocation), the shipments.release consumer writes a warehouse shipping order (WarehouseOrder
// and its lines), its document in the location's format (X12 940 for a third-party warehouse,
// JSON for our WMS; stored with the order through platform/documents, so it is one of
// Order.documents and served at GET /documents/<id>), and queues its delivery to the location's
// outbox (a folder or an HTTP endpoint; the delivery worker retries). A location without a
// configured endpoint gets WMS JSON in the folder <WAREHOUSE_OUTBOX_DIR>/<location id>.
// Redelivery writes nothing twice: the warehouse order is unique per (order, location, release)
// and the document per key.
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import type { Tx } from "../../platform/events/event-log.js";
import type { Db } from "../../platform/db/client.js";
import type { WarehouseOrderFormat } from "../../platform/db/generated/client.js";
import { nextControlNumber, queueDelivery, storeDocument } from "../../platform/documents/index.js";
import { invalidArgument } from "../../platform/errors.js";
import { OrderReleased, type OrderReleasedPayload } from "../orders/events.js";
import { build940, buildWmsOrder, parseParty, type WarehouseOrderDoc } from "./documents/warehouse-order.js";

/** WO-<order number>-<release>-<n>: what the warehouse sees (940 W0502, up to 22 characters there). */
export const warehouseOrderNumber = (orderNumber: string, release: number, part: number) =>
  `WO${orderNumber.replace(/^SO-/, "")}-${release}${part > 1 ? `-${part}` : ""}`;

export async function releaseToWarehouse(tx: Tx, p: OrderReleasedPayload, at: Date, correlationId: string | null = null) {
  let n = 0;
  for (const part of p.parts) {
    n++;
    const existing = await tx.warehouseOrder.findUnique({
      where: { orderId_locationId_release: { orderId: p.orderId, locationId: part.locationId, release: p.release } },
    });
    if (existing) continue;
    const endpoint = await tx.warehouseEndpoint.findUnique({ where: { locationId: part.locationId } });
    const format: WarehouseOrderFormat = endpoint?.format ?? "WMS_JSON";
    const number = warehouseOrderNumber(p.orderNumber, p.release, n);
    const id = `WO-${p.orderId.replace(/^ORD-/, "")}-${part.locationId}-${p.release}`;
    const doc: WarehouseOrderDoc = {
      number,
      orderNumber: p.orderNumber,
      customerPo: p.customerPo,
      locationId: part.locationId,
      requestedShipDate: p.requestedShipDate,
      shipTo: p.shipTo,
      lines: part.lines.map((l) => ({ ...l, partnerIds: l.partnerIds as [string, string][] })),
    };
    let stored;
    if (format === "X12_940") {
      const partner = parseParty(endpoint!.partner ?? `ZZ:${part.locationId}`);
      const partnerKey = `X12:${partner.qualifier}:${partner.id}`;
      const control = await nextControlNumber(tx, partnerKey);
      stored = await storeDocument(tx, {
        documentKey: `940:${id}`,
        type: "940",
        standard: "X12",
        partner: partnerKey,
        controlNumber: control.toString().padStart(9, "0"),
        content: build940(doc, partner, control, at),
        orderId: p.orderId,
        correlationId,
      });
    } else {
      stored = await storeDocument(tx, {
        documentKey: `WMS:${id}`,
        type: "WMS_SHIPPING_ORDER",
        standard: "JSON",
        partner: `WMS:${part.locationId}`,
        controlNumber: number,
        content: buildWmsOrder(doc, at),
        orderId: p.orderId,
        correlationId,
      });
    }
    await tx.warehouseOrder.create({
      data: {
        id,
        number,
        orderId: p.orderId,
        orderNumber: p.orderNumber,
        customerId: p.customerId,
        customerPo: p.customerPo,
        locationId: part.locationId,
        release: p.release,
        format,
        shipTo: p.shipTo,
        documentId: stored.id,
        lines: {
          createMany: {
            data: part.lines.map((l) => ({
              lineNumber: l.lineNumber,
              orderLineId: l.lineId,
              sku: l.sku,
              gtin: l.gtin,
              customerPartNumber: l.customerPartNumber,
              partnerIds: l.partnerIds,
              description: l.description,
              unit: l.unit,
              unitFactor: l.unitFactor,
              quantity: l.quantity,
            })),
          },
        },
      },
    });
    await queueDelivery(tx, stored.id, endpoint?.deliverTo ?? `folder:${part.locationId}`);
  }
}

export const warehouseReleaseConsumer: ConsumerDefinition = {
  name: "shipments.release",
  types: [OrderReleased.name],
  async handle(event, tx) {
    await releaseToWarehouse(tx, OrderReleased.payloadOf(event), event.occurredAt, event.correlationId);
  },
};

export interface WarehouseEndpointInput {
  locationId: string;
  format: WarehouseOrderFormat;
  partner?: string | null;
  deliverTo: string;
}

/** configureWarehouse: how a location takes its shipping orders. */
export async function configureWarehouse(db: Db, input: WarehouseEndpointInput) {
  const deliverTo = input.deliverTo.trim();
  if (!/^https?:\/\/\S+$/.test(deliverTo) && !/^(file|folder):\S+/.test(deliverTo)) {
    throw invalidArgument(
      "input.deliverTo",
      `must be an http(s) URL, file:<absolute folder> or folder:<name under WAREHOUSE_OUTBOX_DIR>, got ${JSON.stringify(input.deliverTo)}`,
    );
  }
  if (deliverTo.startsWith("folder:") && /(^|[\\/])\.\.([\\/]|$)/.test(deliverTo.slice(7)))
    throw invalidArgument("input.deliverTo", "a folder: target may not leave the outbox root (..)");
  const partner = input.partner?.trim() || null;
  if (input.format === "X12_940" && !(partner && /^[A-Z0-9]{2}:[^:\s]{1,15}$/.test(partner))) {
    throw invalidArgument(
      "input.partner",
      `an X12_940 location needs the 3PL's interchange id as <ISA qualifier>:<ISA id> (ZZ:ACME3PL), got ${JSON.stringify(input.partner ?? null)}`,
    );
  }
  const data = { format: input.format, partner, deliverTo };
  return db.warehouseEndpoint.upsert({ where: { locationId: input.locationId }, create: { locationId: input.locationId, ...data }, update: data });
}
