// Shipment confirmation, the shipments domain's apply for every warehouse source (WMS JSON, X12
// 945, X12 856 from our warehouse): the adapter gives a canonical confirmation naming the
// warehouse order (its number, else the buyer's PO) and the items by any id; this matches them
// against the warehouse order's lines, records the Shipment (lines with lots, packages with their
// SSCC-18, a PICKED_UP milestone so it is SHIPPED), the shipped quantities on the warehouse order,
// and appends ShipmentConfirmed. Over-shipment is recorded and flagged (warning and event); a
// line not shipped by a final confirmation is left to the orders domain as a backorder.
// A resend of the same confirmation (its source key) finds the shipment and changes nothing.
import { randomUUID } from "node:crypto";
import { Prisma, type WarehouseOrder, type WarehouseOrderLine } from "../../platform/db/generated/client.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import { validationError } from "../../platform/ingest/errors.js";
import type { ApplyContext, ApplyOutcome } from "../../platform/ingest/handlers.js";
import { isValidSscc } from "./domain.js";
import { ShipmentConfirmed, type ShipmentConfirmedPayload } from "./events.js";

export interface ConfirmedItem {
  /** The order line number, when the source echoes it (940 N9*LI, JSON lineNumber). */
  lineNumber?: number | null;
  /** Every [qualifier, value] the source names the item by (VN, UP, UK, EN, BP, SK...). */
  ids: [string, string][];
  quantity: number;
  unit?: string | null;
  /** What the source says was ordered (945 W1202), checked against the release. */
  quantityOrdered?: number | null;
  lots: string[];
  /** The package it is in, by SSCC. */
  sscc?: string | null;
  where: string;
}

export interface ShipmentConfirmation {
  /** wms, x12-945, x12-856. */
  source: string;
  /** Unique per confirmation in its source: a resend with it is a duplicate. */
  sourceKey: string;
  warehouseOrderNumber?: string | null;
  customerPo?: string | null;
  consignment?: string | null;
  shippedAt: Date;
  carrier: { scac: string; name: string; serviceLevel: string };
  trackingNumber?: string | null;
  /** True: the warehouse ships nothing more of this warehouse order. */
  final: boolean;
  items: ConfirmedItem[];
  packages: { sscc: string; trackingNumber?: string | null; weightKg?: string | null; where: string }[];
  where: string;
}

const digits14 = (v: string) => (/^\d{8,14}$/.test(v) ? v.padStart(14, "0") : null);

/** Does a confirmed item name this warehouse order line, by line number or any id? */
export function itemMatches(item: ConfirmedItem, line: WarehouseOrderLine): boolean {
  if (item.lineNumber != null) return item.lineNumber === line.lineNumber;
  const values = new Set<string>([
    line.sku,
    ...(line.customerPartNumber ? [line.customerPartNumber] : []),
    ...((line.partnerIds as [string, string][]) ?? []).map(([, v]) => v),
  ]);
  const gtin = line.gtin ? digits14(line.gtin) : null;
  return item.ids.some(([, v]) => values.has(v) || (gtin !== null && digits14(v) === gtin));
}

async function findWarehouseOrder(tx: Tx, c: ShipmentConfirmation): Promise<(WarehouseOrder & { lines: WarehouseOrderLine[] }) | null> {
  const include = { lines: { orderBy: { lineNumber: "asc" as const } } };
  if (c.warehouseOrderNumber) {
    const byNumber = await tx.warehouseOrder.findUnique({ where: { number: c.warehouseOrderNumber }, include });
    if (byNumber) return byNumber;
  }
  const po = c.customerPo ?? c.warehouseOrderNumber;
  if (!po) return null;
  // By the buyer's PO (or our order number): the open warehouse order of the latest release.
  const candidates = await tx.warehouseOrder.findMany({
    where: { OR: [{ customerPo: po }, { orderNumber: po }], status: { in: ["RELEASED", "PARTIALLY_SHIPPED"] } },
    include,
    orderBy: { createdAt: "desc" },
  });
  return candidates[0] ?? null;
}

export async function confirmShipment(
  tx: Tx,
  c: ShipmentConfirmation,
  ctx: Pick<ApplyContext, "correlationId" | "warn">,
): Promise<{ shipmentId: string; shipmentNumber: string; orderId: string; duplicate: boolean }> {
  const known = await tx.shipment.findUnique({ where: { sourceKey: c.sourceKey } });
  if (known) return { shipmentId: known.id, shipmentNumber: known.shipmentNumber, orderId: known.orderId, duplicate: true };
  const wo = await findWarehouseOrder(tx, c);
  if (!wo) {
    const ref =
      [c.warehouseOrderNumber && `warehouse order ${c.warehouseOrderNumber}`, c.customerPo && `PO ${c.customerPo}`].filter(Boolean).join(" / ") ||
      "no warehouse order number or PO";
    throw validationError(`${ref}: no open warehouse order matches (released orders only; replay this message once the order is released)`, c.where);
  }
  if (wo.status === "CANCELLED") throw validationError(`warehouse order ${wo.number} was cancelled: a shipment cannot be confirmed for it`, c.where);
  await tx.$queryRaw`SELECT "id" FROM "shipments"."WarehouseOrder" WHERE "id" = ${wo.id} FOR UPDATE`;

  // Items to lines, quantities to the line's unit.
  const shippedBy = new Map<number, { quantity: number; lots: Set<string>; ordered: number | null }>();
  const perPackage = new Map<string, Map<number, number>>();
  for (const item of c.items) {
    const line = wo.lines.find((l) => itemMatches(item, l));
    if (!line) {
      const named = item.lineNumber != null ? `line ${item.lineNumber}` : item.ids.map(([q, v]) => `${q} ${v}`).join(", ");
      throw validationError(
        `item ${named || "(no id)"} is not on warehouse order ${wo.number} (lines: ${wo.lines.map((l) => `${l.lineNumber} ${l.sku}`).join(", ")})`,
        item.where,
      );
    }
    let quantity = item.quantity;
    const unit = item.unit?.trim().toUpperCase();
    if (unit && unit !== line.unit.toUpperCase()) {
      // A warehouse counting eaches of a line ordered in cases: whole cases only.
      if (line.unitFactor > 1 && quantity % line.unitFactor === 0) {
        quantity = quantity / line.unitFactor;
        ctx.warn({
          code: "UNIT_CONVERTED",
          message: `${item.quantity} ${unit} of ${line.sku} counted as ${quantity} ${line.unit} (${line.unitFactor} per ${line.unit})`,
          where: item.where,
        });
      } else
        throw validationError(
          `${item.quantity} ${unit} of ${line.sku} cannot be expressed in the line's unit ${line.unit} (${line.unitFactor} base units each)`,
          item.where,
        );
    }
    if (item.quantityOrdered != null && item.quantityOrdered !== line.quantity) {
      ctx.warn({
        code: "ORDERED_QUANTITY_DIFFERS",
        message: `the warehouse reports ${item.quantityOrdered} ordered of line ${line.lineNumber} (${line.sku}); the release asked for ${line.quantity}`,
        where: item.where,
      });
    }
    const s = shippedBy.get(line.lineNumber) ?? { quantity: 0, lots: new Set<string>(), ordered: item.quantityOrdered ?? null };
    s.quantity += quantity;
    for (const lot of item.lots) s.lots.add(lot);
    shippedBy.set(line.lineNumber, s);
    if (item.sscc) {
      const pk = perPackage.get(item.sscc) ?? new Map<number, number>();
      pk.set(line.lineNumber, (pk.get(line.lineNumber) ?? 0) + quantity);
      perPackage.set(item.sscc, pk);
    }
  }
  if (![...shippedBy.values()].some((s) => s.quantity > 0)) throw validationError(`the confirmation ships nothing of warehouse order ${wo.number}`, c.where);

  // Packages: SSCC-18 with a bad check digit is kept, with a warning; one already on another shipment is refused.
  const packages = new Map<string, ShipmentConfirmation["packages"][number]>();
  for (const p of c.packages) packages.set(p.sscc, p);
  for (const sscc of perPackage.keys()) if (!packages.has(sscc)) packages.set(sscc, { sscc, where: c.where });
  for (const p of packages.values()) {
    if (!/^\d{18}$/.test(p.sscc)) throw validationError(`SSCC "${p.sscc}" must be 18 digits`, p.where);
    if (!isValidSscc(p.sscc)) ctx.warn({ code: "SSCC_CHECK_DIGIT", message: `SSCC ${p.sscc} has a bad check digit (kept as labelled)`, where: p.where });
  }
  if (packages.size) {
    const taken = await tx.package.findMany({ where: { sscc: { in: [...packages.keys()] } }, select: { sscc: true, shipmentId: true } });
    if (taken.length) throw validationError(`SSCC ${taken.map((t) => `${t.sscc} is already on shipment ${t.shipmentId}`).join("; ")}`, c.where);
  }

  const count = await tx.shipment.count({ where: { warehouseOrderId: wo.id } });
  const shipmentNumber = `${wo.number}-S${count + 1}`;
  const shipmentId = `SHP-${randomUUID()}`;
  const overShipped: ShipmentConfirmedPayload["overShipped"] = [];
  const lines: ShipmentConfirmedPayload["lines"] = [];
  for (const line of wo.lines) {
    const s = shippedBy.get(line.lineNumber);
    const quantity = s?.quantity ?? 0;
    const open = line.quantity - line.quantityShipped;
    if (quantity > open) {
      overShipped.push({ lineNumber: line.lineNumber, sku: line.sku, released: open, shipped: quantity });
      ctx.warn({
        code: "OVER_SHIPMENT",
        message: `line ${line.lineNumber} (${line.sku}): ${quantity} ${line.unit} shipped, ${open} released and not yet shipped`,
        where: c.where,
      });
    }
    if (quantity)
      await tx.warehouseOrderLine.update({
        where: { warehouseOrderId_lineNumber: { warehouseOrderId: wo.id, lineNumber: line.lineNumber } },
        data: { quantityShipped: { increment: quantity } },
      });
    // Lines of this release that are still open, or shipped now, go into the event (0 shipped: backorder on a final confirmation).
    if (quantity || (c.final && open > 0)) {
      lines.push({
        orderLineId: line.orderLineId,
        lineNumber: line.lineNumber,
        sku: line.sku,
        quantity,
        unit: line.unit,
        unitFactor: line.unitFactor,
        quantityReleased: open,
        lots: [...(s?.lots ?? [])],
      });
    }
  }
  const allShipped = wo.lines.every((l) => l.quantityShipped + (shippedBy.get(l.lineNumber)?.quantity ?? 0) >= l.quantity);
  await tx.warehouseOrder.update({ where: { id: wo.id }, data: { status: allShipped || c.final ? "SHIPPED" : "PARTIALLY_SHIPPED" } });

  await tx.shipment.create({
    data: {
      id: shipmentId,
      shipmentNumber,
      orderId: wo.orderId,
      shipFromLocationId: wo.locationId,
      carrierScac: c.carrier.scac,
      carrierName: c.carrier.name,
      serviceLevel: c.carrier.serviceLevel,
      trackingNumber: c.trackingNumber ?? null,
      status: "SHIPPED",
      shippedAt: c.shippedAt,
      warehouseOrderId: wo.id,
      consignment: c.consignment ?? null,
      source: c.source,
      sourceKey: c.sourceKey,
      overShipped: overShipped as unknown as Prisma.InputJsonArray,
      externalRefs: [{ system: c.source.toUpperCase(), value: c.consignment ?? c.sourceKey }],
    },
  });
  const packageIds = new Map<string, string>();
  for (const p of packages.values()) {
    const id = `${shipmentId}-P${packageIds.size + 1}`;
    packageIds.set(p.sscc, id);
    await tx.package.create({
      data: { id, shipmentId, sscc: p.sscc, trackingNumber: p.trackingNumber ?? null, weightKg: new Prisma.Decimal(p.weightKg ?? "0") },
    });
  }
  let n = 0;
  for (const line of wo.lines) {
    const s = shippedBy.get(line.lineNumber);
    if (!s?.quantity) continue;
    // Per package where the source said so, else one line without a package.
    const inPackages = [...perPackage].filter(([, m]) => m.has(line.lineNumber)).map(([sscc, m]): [string, number] => [sscc, m.get(line.lineNumber)!]);
    const packed = inPackages.reduce((sum, [, q]) => sum + q, 0);
    const parts: [string | null, number][] = [...inPackages, ...(s.quantity > packed ? [[null, s.quantity - packed] as [null, number]] : [])];
    for (const [sscc, quantity] of parts) {
      await tx.shipmentLine.create({
        data: {
          id: `${shipmentId}-L${++n}`,
          shipmentId,
          packageId: sscc ? packageIds.get(sscc)! : null,
          orderLineId: line.orderLineId,
          sku: line.sku,
          quantity,
          unit: line.unit,
          lineNumber: line.lineNumber,
          quantityOrdered: line.quantity,
          lots: [...s.lots],
        },
      });
    }
  }
  await tx.milestone.create({
    data: {
      id: `MS-${randomUUID()}`,
      shipmentId,
      code: "PICKED_UP",
      occurredAt: c.shippedAt,
      location: wo.locationId,
      source: c.source,
      note: `confirmed by ${c.source}`,
    },
  });
  const payload: ShipmentConfirmedPayload = {
    shipmentId,
    shipmentNumber,
    orderId: wo.orderId,
    warehouseOrderId: wo.id,
    locationId: wo.locationId,
    shippedAt: c.shippedAt.toISOString(),
    consignment: c.consignment ?? null,
    carrier: c.carrier,
    trackingNumber: c.trackingNumber ?? null,
    final: c.final || allShipped,
    lines,
    packages: [...packages.values()].map((p) => ({
      sscc: p.sscc,
      trackingNumber: p.trackingNumber ?? null,
      weightKg: new Prisma.Decimal(p.weightKg ?? "0").toFixed(3),
      lines: [...(perPackage.get(p.sscc) ?? new Map())].map(([lineNumber, quantity]) => ({ lineNumber, quantity })),
    })),
    overShipped,
  };
  await appendEvents(tx, ctx.correlationId, [ShipmentConfirmed.event({ aggregateId: shipmentId, aggregateVersion: 1, occurredAt: c.shippedAt, payload })]);
  return { shipmentId, shipmentNumber, orderId: wo.orderId, duplicate: false };
}

/** The ingest apply of a source that confirms one or more shipments (an 856 can cover several orders). */
export async function applyConfirmations(confirmations: ShipmentConfirmation[], tx: Tx, ctx: ApplyContext): Promise<ApplyOutcome> {
  const shipments = [];
  for (const c of confirmations) shipments.push(await confirmShipment(tx, c, ctx));
  return { state: "PROCESSED", result: { shipments } as unknown as Prisma.InputJsonObject };
}
