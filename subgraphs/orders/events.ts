// Events of the orders domain: the payloads it publishes (one declared type each, shared with
// consumers), and the consumers it runs:
// - orders.stock-availability keeps orders.StockAvailability (available per position) from
//   InventoryChanged;
// - orders.catalog keeps orders.CatalogItem (the item master as order capture needs it) from
//   ProductChanged, so capture never reads inventory's tables;
// - orders.allocation records inventory's allocation on the order lines (OrderAllocationChanged)
//   and moves the order to ALLOCATED, PARTIALLY_ALLOCATED or BACKORDERED.
// Each handler runs in the transaction that advances the consumer's position (exactly-once effects)
// and is idempotent on its own (versions, absolute quantities), so a replayed event is harmless.
// stock-availability also handles a batch of events in one statement (handleBatch).
import { z } from "zod";
import { OrderStatus } from "../../platform/db/generated/enums.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import type { StoredEvent } from "../../platform/events/event-log.js";
import { defineEvent, type PayloadOf } from "../../platform/events/types.js";
import { InventoryChanged, OrderAllocationChanged, ProductChanged, type InventoryChangedPayload, type ProductChangedPayload } from "../inventory/events.js";
import { recordAllocation } from "./allocation.js";

// The statuses as the schema declares them (Prisma's enum), not a second list to keep in step.
const orderStatus = z.enum(OrderStatus);

/** An order moved in its lifecycle (lifecycle.ts): every transition, with who and why. */
export const OrderStatusChanged = defineEvent(
  "OrderStatusChanged",
  "Order",
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    previousStatus: orderStatus.nullable(),
    newStatus: orderStatus,
    source: z.string(),
    reason: z.string().nullable(),
    /** The same as reason (the field's earlier name, kept for subscribers). */
    note: z.string().nullable(),
  }),
);
export type OrderStatusChangedPayload = PayloadOf<typeof OrderStatusChanged>;
export const ORDER_STATUS_CHANGED = OrderStatusChanged.name;

/** An order was accepted (at capture, or when a hold was released): inventory allocates it. */
export const OrderAccepted = defineEvent(
  "OrderAccepted",
  "Order",
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    acceptedAt: z.string(),
    /** Location ids to allocate from first, in order. */
    shipFrom: z.array(z.string()),
    lines: z.array(
      z.object({
        lineId: z.string(),
        lineNumber: z.number().int(),
        sku: z.string(),
        unitFactor: z.number().int().positive(),
        quantity: z.number().int(),
        requestedDate: z.string().nullable(),
      }),
    ),
  }),
);
export type OrderAcceptedPayload = PayloadOf<typeof OrderAccepted>;
export const ORDER_ACCEPTED = OrderAccepted.name;

const releaseLine = z.object({
  lineId: z.string(),
  lineNumber: z.number().int(),
  sku: z.string(),
  gtin: z.string().nullable(),
  customerPartNumber: z.string().nullable(),
  /** The buyer's product ids as it sent them ([qualifier, value], X12 PO1), echoed on the 940/856. */
  partnerIds: z.array(z.tuple([z.string(), z.string()])),
  description: z.string().nullable(),
  unit: z.string(),
  unitFactor: z.number().int().positive(),
  /** Ordered, in the line's unit. */
  quantityOrdered: z.number().int(),
  /** Released to this location now, in the line's unit. */
  quantity: z.number().int().positive(),
});

/**
 * An allocated order was released to its warehouses: one part per location holding its
 * allocation (the shipments domain writes a warehouse shipping order per part). Quantities in the
 * line's unit; unitFactor converts to base units.
 */
export const OrderReleased = defineEvent(
  "OrderReleased",
  "Order",
  z.object({
    orderId: z.string(),
    orderNumber: z.string(),
    customerId: z.string(),
    customerPo: z.string().nullable(),
    channel: z.string(),
    requestedShipDate: z.string().nullable(),
    shipTo: z.object({ name: z.string().nullable(), address: z.string().nullable(), gln: z.string().nullable() }),
    /** The release number within the order (1 for the first release). */
    release: z.number().int().positive(),
    parts: z.array(z.object({ locationId: z.string(), lines: z.array(releaseLine).min(1) })).min(1),
  }),
);
export type OrderReleasedPayload = PayloadOf<typeof OrderReleased>;

/**
 * A shipment of the order was recorded: what it shipped, priced with the order's prices, for
 * erp-finance to invoice (one invoice per shipment). charges: the order's charges and allowances,
 * on its first shipment only. Amounts are decimal strings.
 */
export const OrderShipped = defineEvent(
  "OrderShipped",
  "Order",
  z.object({
    orderId: z.string(),
    orderNumber: z.string(),
    customerId: z.string(),
    businessUnitId: z.string().nullable(),
    customerPo: z.string().nullable(),
    currency: z.string().length(3),
    shipmentId: z.string(),
    shipmentNumber: z.string(),
    shippedAt: z.string(),
    lines: z
      .array(
        z.object({
          orderLineId: z.string(),
          lineNumber: z.number().int(),
          sku: z.string(),
          unit: z.string(),
          quantity: z.number().int().positive(),
          unitPrice: z.string().regex(/^-?\d+(\.\d+)?$/),
        }),
      )
      .min(1),
    charges: z.array(
      z.object({
        kind: z.enum(["CHARGE", "ALLOWANCE"]),
        code: z.string().nullable(),
        description: z.string().nullable(),
        amount: z.string().regex(/^-?\d+(\.\d+)?$/),
        lineNumber: z.number().int().nullable(),
      }),
    ),
  }),
);
export type OrderShippedPayload = PayloadOf<typeof OrderShipped>;

interface Row {
  sku: string;
  locationId: string;
  available: number;
  version: number;
  /** Events handled for the position in this batch. */
  handled: number;
  lastSequence: bigint;
}

/** A batch reduced to one row per position: the newest version's level, the count, the last event. */
function rowsOf(events: StoredEvent[]): Row[] {
  const rows = new Map<string, Row>();
  for (const event of events) {
    const p: InventoryChangedPayload = InventoryChanged.payloadOf(event);
    const key = `${p.sku}\u0000${p.locationId}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        sku: p.sku,
        locationId: p.locationId,
        available: p.after.available,
        version: event.aggregateVersion,
        handled: 1,
        lastSequence: event.sequence,
      });
      continue;
    }
    // As one event at a time would: a version applies only if newer than what is there.
    if (event.aggregateVersion > row.version) Object.assign(row, { available: p.after.available, version: event.aggregateVersion });
    row.handled++;
    row.lastSequence = event.sequence;
  }
  return [...rows.values()];
}

async function upsert(tx: Parameters<ConsumerDefinition["handle"]>[1], rows: Row[]) {
  await tx.$executeRaw`
    INSERT INTO "orders"."StockAvailability" ("sku", "locationId", "available", "version", "handledEvents", "lastSequence", "updatedAt")
    SELECT r.sku, r.location_id, r.available, r.version, r.handled, r.last_sequence, now()
    FROM unnest(${rows.map((r) => r.sku)}::text[], ${rows.map((r) => r.locationId)}::text[], ${rows.map((r) => r.available)}::integer[],
      ${rows.map((r) => r.version)}::integer[], ${rows.map((r) => r.handled)}::integer[], ${rows.map((r) => String(r.lastSequence))}::bigint[])
      AS r(sku, location_id, available, version, handled, last_sequence)
    ON CONFLICT ("sku", "locationId") DO UPDATE SET
      "available" = CASE WHEN EXCLUDED."version" > "StockAvailability"."version" THEN EXCLUDED."available" ELSE "StockAvailability"."available" END,
      "version" = GREATEST(EXCLUDED."version", "StockAvailability"."version"),
      "handledEvents" = "StockAvailability"."handledEvents" + EXCLUDED."handledEvents",
      "lastSequence" = EXCLUDED."lastSequence", "updatedAt" = now()`;
}

export const stockAvailabilityProjection: ConsumerDefinition = {
  name: "orders.stock-availability",
  types: ["InventoryChanged"],
  handle: (event, tx) => upsert(tx, rowsOf([event])),
  // One statement for a batch: positions are reduced first (one row may be updated once per statement).
  handleBatch: (events, tx) => upsert(tx, rowsOf(events)),
};

export const catalogProjection: ConsumerDefinition = {
  name: "orders.catalog",
  types: ["ProductChanged"],
  async handle(event, tx) {
    const p: ProductChangedPayload = ProductChanged.payloadOf(event);
    await tx.$executeRaw`
      INSERT INTO "orders"."CatalogItem" ("sku", "gtin", "description", "baseUnit", "conversions", "lastSequence", "updatedAt")
      VALUES (${p.sku}, ${p.gtin}, ${p.description}, ${p.baseUnit}, ${JSON.stringify(p.conversions)}::jsonb, ${event.sequence}, now())
      ON CONFLICT ("sku") DO UPDATE SET "gtin" = EXCLUDED."gtin", "description" = EXCLUDED."description", "baseUnit" = EXCLUDED."baseUnit",
        "conversions" = EXCLUDED."conversions", "lastSequence" = EXCLUDED."lastSequence", "updatedAt" = now()
      WHERE "CatalogItem"."lastSequence" < EXCLUDED."lastSequence"`;
  },
};

export const allocationRecorder: ConsumerDefinition = {
  name: "orders.allocation",
  types: ["OrderAllocationChanged"],
  async handle(event, tx) {
    await recordAllocation(tx, OrderAllocationChanged.payloadOf(event), event.correlationId);
  },
};
