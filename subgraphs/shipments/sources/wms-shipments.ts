// POST /ingest/wms/shipments: our WMS's pick/pack/ship confirmation (JSON), one per message (a
// request may carry an array). It names the warehouse order it ships (warehouseOrderNumber, from
// the JSON shipping order), the carrier, and its packages with their SSCC-18 and contents by order
// line number or sku/GTIN. The eventId is the idempotency key; final: false means more will
// follow for the same warehouse order (otherwise what it does not ship is backordered).
import { z } from "zod";
import { validationError } from "../../../platform/ingest/errors.js";
import { parseJsonMessage } from "../../../platform/ingest/json-body.js";
import { zodValidationError } from "../../../platform/ingest/zod-errors.js";
import type { IngestHandler } from "../../../platform/ingest/handlers.js";
import { applyConfirmations, type ShipmentConfirmation } from "../confirmation.js";

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- identifiers end up in keys and messages: no control characters
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

export const wmsShipmentSchema = z.object({
  eventId: text(200),
  warehouseOrderNumber: text(60),
  /** The WMS's own shipment id (the consignment). */
  shipmentId: text(100).optional(),
  shippedAt: z.iso.datetime({ offset: true }),
  final: z.boolean().default(true),
  carrier: z.object({ scac: text(4), name: text(100).optional(), serviceLevel: text(60).optional() }),
  trackingNumber: text(100).optional(),
  packages: z
    .array(
      z.object({
        sscc: z.string().regex(/^\d{18}$/, "must be 18 digits (SSCC-18)"),
        trackingNumber: text(100).optional(),
        weightKg: z.number().nonnegative().max(100_000).optional(),
        items: z
          .array(
            z.object({
              lineNumber: z.number().int().positive().optional(),
              sku: text(64).optional(),
              gtin: z
                .string()
                .regex(/^\d{8,14}$/, "must be 8 to 14 digits")
                .optional(),
              quantity: z.number().int("must be a whole number").positive("must be positive").max(10_000_000),
              unit: text(8).optional(),
              lot: text(60).optional(),
            }),
          )
          .min(1, "a package holds at least one item"),
      }),
    )
    .min(1, "a shipment has at least one package"),
});
export type WmsShipment = z.infer<typeof wmsShipmentSchema>;

export const wmsShipmentHandler: IngestHandler<unknown, WmsShipment, ShipmentConfirmation[]> = {
  source: "wms",
  kind: "shipment-confirmation",
  parse: parseJsonMessage,
  validate(parsed, ctx) {
    const result = wmsShipmentSchema.safeParse(parsed);
    if (!result.success) throw zodValidationError(result.error);
    result.data.packages.forEach((p, i) =>
      p.items.forEach((it, j) => {
        if (it.lineNumber == null && !it.sku && !it.gtin) throw validationError("needs lineNumber, sku or gtin", `$.packages[${i}].items[${j}]`);
      }),
    );
    const seen = new Set<string>();
    result.data.packages.forEach((p, i) => {
      if (seen.has(p.sscc)) throw validationError(`SSCC ${p.sscc} appears twice`, `$.packages[${i}].sscc`);
      seen.add(p.sscc);
    });
    ctx.sourceTime(new Date(result.data.shippedAt), "$.shippedAt");
    return result.data;
  },
  async map(s) {
    return [
      {
        source: "wms",
        sourceKey: `wms:${s.shipmentId ?? s.eventId}:${s.warehouseOrderNumber}`,
        warehouseOrderNumber: s.warehouseOrderNumber,
        consignment: s.shipmentId ?? null,
        shippedAt: new Date(s.shippedAt),
        carrier: { scac: s.carrier.scac, name: s.carrier.name ?? s.carrier.scac, serviceLevel: s.carrier.serviceLevel ?? "STANDARD" },
        trackingNumber: s.trackingNumber ?? null,
        final: s.final,
        packages: s.packages.map((p, i) => ({
          sscc: p.sscc,
          trackingNumber: p.trackingNumber ?? null,
          weightKg: p.weightKg != null ? String(p.weightKg) : null,
          where: `$.packages[${i}]`,
        })),
        items: s.packages.flatMap((p, i) =>
          p.items.map((it, j) => ({
            lineNumber: it.lineNumber ?? null,
            ids: [...(it.sku ? [["SK", it.sku] as [string, string]] : []), ...(it.gtin ? [["UK", it.gtin] as [string, string]] : [])],
            quantity: it.quantity,
            unit: it.unit ?? null,
            lots: it.lot ? [it.lot] : [],
            sscc: p.sscc,
            where: `$.packages[${i}].items[${j}]`,
          })),
        ),
        where: "$",
      },
    ];
  },
  apply: applyConfirmations,
};
