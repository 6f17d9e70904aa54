// Events the inventory domain publishes besides InventoryChanged (stock-sync.ts), with their one
// declared payload type, shared by this producer and its consumers.

export const PRODUCT_CHANGED = "ProductChanged";
export const ORDER_ALLOCATION_CHANGED = "OrderAllocationChanged";

/** A product was created or changed (upsertProducts): what order capture needs of the item master. */
export interface ProductChangedPayload {
  sku: string;
  description: string;
  baseUnit: string;
  /** GTIN-14. */
  gtin: string | null;
  conversions: { unit: string; factor: number }[];
}

/**
 * An order's allocation changed: allocated on acceptance, backorder filled, or released on
 * cancellation. Quantities are absolute per line (not deltas), in base units, so applying the
 * same event twice, or an older one after a newer one is skipped by version, changes nothing.
 */
export interface OrderAllocationChangedPayload {
  orderId: string;
  reason: "ALLOCATED" | "BACKORDER_FILLED" | "RELEASED";
  lines: {
    lineId: string;
    sku: string;
    requested: number;
    allocated: number;
    backordered: number;
    /** Where the allocated stock is held. */
    locations: { locationId: string; quantity: number }[];
  }[];
}
