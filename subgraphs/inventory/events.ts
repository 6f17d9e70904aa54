// Events the inventory domain publishes, each with its one declared payload type (a zod schema,
// checked at append), shared by this producer and its consumers (platform/events/types.ts).
import { z } from "zod";
import { defineEvent, type PayloadOf } from "../../platform/events/types.js";

const buckets = z.object({
  onHand: z.number().int(),
  allocated: z.number().int(),
  reserved: z.number().int(),
  damaged: z.number().int(),
  qualityHold: z.number().int(),
  safetyStock: z.number().int(),
  inbound: z.number().int(),
  available: z.number().int(),
});

/** A stock position changed: a movement, a level, an allocation, a receipt of a return, an inbound advice. */
export const InventoryChanged = defineEvent(
  "InventoryChanged",
  "InventoryPosition",
  z.object({
    sku: z.string(),
    locationId: z.string(),
    /** RECEIPT, PICK, ADJUSTMENT, MOVE_IN, MOVE_OUT, LEVEL_ON_HAND, LEVEL_AVAILABLE, ALLOCATED, RELEASED, SHIPPED, RETURNED, INBOUND. */
    reason: z.string(),
    /** Change to onHand in base units. */
    quantity: z.number().int(),
    before: buckets,
    after: buckets,
    source: z.string(),
    sourceEventId: z.string(),
    inboundMessageId: z.string().nullable(),
    exception: z.string().optional(),
  }),
);
export type InventoryChangedPayload = PayloadOf<typeof InventoryChanged>;
export const INVENTORY_CHANGED = InventoryChanged.name;

/** A product was created or changed (upsertProducts): what order capture needs of the item master. */
export const ProductChanged = defineEvent(
  "ProductChanged",
  "Product",
  z.object({
    sku: z.string(),
    description: z.string(),
    baseUnit: z.string(),
    /** GTIN-14. */
    gtin: z.string().nullable(),
    conversions: z.array(z.object({ unit: z.string(), factor: z.number().int() })),
  }),
);
export type ProductChangedPayload = PayloadOf<typeof ProductChanged>;
export const PRODUCT_CHANGED = ProductChanged.name;

/**
 * An order's allocation changed: allocated on acceptance, backorder filled, or released on
 * cancellation. Quantities are absolute per line (not deltas), in base units, so applying the
 * same event twice, or an older one after a newer one is skipped by version, changes nothing.
 */
export const OrderAllocationChanged = defineEvent(
  "OrderAllocationChanged",
  "OrderAllocation",
  z.object({
    orderId: z.string(),
    reason: z.enum(["ALLOCATED", "BACKORDER_FILLED", "RELEASED"]),
    lines: z.array(
      z.object({
        lineId: z.string(),
        sku: z.string(),
        requested: z.number().int(),
        allocated: z.number().int(),
        backordered: z.number().int(),
        /** Where the allocated stock is held. */
        locations: z.array(z.object({ locationId: z.string(), quantity: z.number().int() })),
      }),
    ),
  }),
);
export type OrderAllocationChangedPayload = PayloadOf<typeof OrderAllocationChanged>;
export const ORDER_ALLOCATION_CHANGED = OrderAllocationChanged.name;

/** A frozen position (a level dated in the future) was unfrozen by an operator. */
export const InventoryPositionUnfrozen = defineEvent(
  "InventoryPositionUnfrozen",
  "InventoryPosition",
  z.object({
    sku: z.string(),
    locationId: z.string(),
    reason: z.string(),
    before: z.object({ levelAsOf: z.string().nullable(), asOf: z.string().nullable() }),
    after: z.object({ levelAsOf: z.string().nullable(), asOf: z.string().nullable() }),
    redatedMovements: z.number().int(),
  }),
);
