// Events the shipments domain publishes, each with its one declared payload type (checked at
// append), shared by this producer and its consumers: orders (shipped quantities, status, the 856
// to EDI customers) and inventory (stock leaves the warehouse) consume ShipmentConfirmed.
import { z } from "zod";
import { defineEvent, type PayloadOf } from "../../platform/events/types.js";

const milestoneCode = z.enum(["PICKED", "PACKED", "PICKED_UP", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "EXCEPTION"]);
const shipmentStatus = z.enum(["PLANNED", "PICKED", "SHIPPED", "IN_TRANSIT", "DELIVERED", "EXCEPTION"]);

export const ShipmentMilestoneRecorded = defineEvent(
  "ShipmentMilestoneRecorded",
  "Shipment",
  z.object({
    shipmentId: z.string(),
    orderId: z.string(),
    previousStatus: shipmentStatus,
    newStatus: shipmentStatus,
    milestone: z.object({
      id: z.string(),
      code: milestoneCode,
      occurredAt: z.string(),
      location: z.string().nullable(),
      source: z.string(),
      note: z.string().nullable(),
    }),
  }),
);
export type ShipmentMilestoneRecordedPayload = PayloadOf<typeof ShipmentMilestoneRecorded>;
export const SHIPMENT_MILESTONE_RECORDED = ShipmentMilestoneRecorded.name;

const shippedLine = z.object({
  orderLineId: z.string(),
  lineNumber: z.number().int(),
  sku: z.string(),
  /** Shipped, in the order line's unit. */
  quantity: z.number().int().nonnegative(),
  unit: z.string(),
  unitFactor: z.number().int().positive(),
  /** Released to the warehouse on this warehouse order, in the order line's unit (null: not from a release). */
  quantityReleased: z.number().int().nullable(),
  lots: z.array(z.string()),
});

/**
 * Goods left a warehouse for an order (WMS confirmation, 945, 856 from our warehouse). Quantities
 * per order line, in the line's unit; a line released but not shipped appears with quantity 0.
 */
export const ShipmentConfirmed = defineEvent(
  "ShipmentConfirmed",
  "Shipment",
  z.object({
    shipmentId: z.string(),
    shipmentNumber: z.string(),
    orderId: z.string(),
    warehouseOrderId: z.string().nullable(),
    locationId: z.string(),
    shippedAt: z.string(),
    consignment: z.string().nullable(),
    carrier: z.object({ scac: z.string(), name: z.string(), serviceLevel: z.string() }),
    trackingNumber: z.string().nullable(),
    /** Final: the warehouse ships no more of this warehouse order (the rest is backordered). */
    final: z.boolean(),
    lines: z.array(shippedLine),
    packages: z.array(
      z.object({
        sscc: z.string(),
        trackingNumber: z.string().nullable(),
        weightKg: z.string(),
        lines: z.array(z.object({ lineNumber: z.number().int(), quantity: z.number().int() })),
      }),
    ),
    overShipped: z.array(z.object({ lineNumber: z.number().int(), sku: z.string(), released: z.number().int(), shipped: z.number().int() })),
  }),
);
export type ShipmentConfirmedPayload = PayloadOf<typeof ShipmentConfirmed>;
