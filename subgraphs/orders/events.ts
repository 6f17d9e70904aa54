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
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import type { StoredEvent } from "../../platform/events/event-log.js";
import type { OrderStatus } from "../../platform/db/generated/client.js";
import type { OrderAllocationChangedPayload, ProductChangedPayload } from "../inventory/events.js";
import { recordAllocation } from "./allocation.js";

export const ORDER_STATUS_CHANGED = "OrderStatusChanged";
export const ORDER_ACCEPTED = "OrderAccepted";

export interface OrderStatusChangedPayload {
  orderId: string;
  customerId: string;
  previousStatus: OrderStatus | null;
  newStatus: OrderStatus;
  source: string;
  reason: string | null;
  /** The same as reason (the field's earlier name, kept for subscribers). */
  note: string | null;
}

/** An order was accepted (at capture, or when a hold was released): inventory allocates it. */
export interface OrderAcceptedPayload {
  orderId: string;
  customerId: string;
  acceptedAt: string;
  /** Location ids to allocate from first, in order. */
  shipFrom: string[];
  lines: { lineId: string; lineNumber: number; sku: string; unitFactor: number; quantity: number; requestedDate: string | null }[];
}

interface InventoryChangedPayload {
  sku: string;
  locationId: string;
  after: { available: number };
}

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
    const p = event.payload as unknown as InventoryChangedPayload;
    const key = `${p.sku}\u0000${p.locationId}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, { sku: p.sku, locationId: p.locationId, available: p.after.available, version: event.aggregateVersion, handled: 1, lastSequence: event.sequence });
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
    const p = event.payload as unknown as ProductChangedPayload;
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
    await recordAllocation(tx, event.payload as unknown as OrderAllocationChangedPayload, event.correlationId);
  },
};
