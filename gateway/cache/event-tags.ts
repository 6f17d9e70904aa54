// What an event in the log touched, as cache tags: its own aggregate, and every entity its payload
// names (an InvoiceCreated names its order; an InventoryChanged its product and position; an
// order's events the products on its lines). Each touched type's type tag goes with it, so lists
// and "not found" answers of that type are evicted too: an order changing status may enter or
// leave a filtered page, and a new order may be the one a client asked for before it existed.
import type { StoredEvent } from "../../platform/events/event-log.js";
import { ENTITY_KEYS, entityTag, typeTag } from "./cacheable-types.js";

/** Payload fields that name an entity of another type. */
const REFERENCES: Record<string, string> = {
  orderId: "Order",
  sku: "Product",
  locationId: "Location",
  shipmentId: "Shipment",
  invoiceId: "Invoice",
};

/** ERP posting events name their document by type and id. */
const POSTED_DOCUMENTS: Record<string, string> = { INVOICE: "Invoice" };

export function eventTags(event: Pick<StoredEvent, "aggregateType" | "aggregateId" | "payload">): Set<string> {
  const tags = new Set<string>();
  const touch = (type: string, key: unknown) => {
    if (!(type in ENTITY_KEYS) || key === null || key === undefined) return;
    tags.add(entityTag(type, key));
    tags.add(typeTag(type));
  };
  touch(event.aggregateType, event.aggregateId);
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    for (const [field, type] of Object.entries(REFERENCES)) if (typeof record[field] === "string") touch(type, record[field]);
    // A stock position is named by its product and location together.
    if (typeof record.sku === "string" && typeof record.locationId === "string") touch("InventoryPosition", `${record.sku}@${record.locationId}`);
    if (typeof record.documentType === "string" && typeof record.documentId === "string" && POSTED_DOCUMENTS[record.documentType])
      touch(POSTED_DOCUMENTS[record.documentType], record.documentId);
    for (const nested of Object.values(record)) if (nested && typeof nested === "object") visit(nested);
  };
  visit(event.payload);
  return tags;
}
