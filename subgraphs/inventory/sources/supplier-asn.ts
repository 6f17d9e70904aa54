// A supplier's X12 856 (advance ship notice, parsed by shipments/sources/x12-856.ts): the goods
// are on their way to one of our locations. Recorded as expected receipts under the reference
// "ASN:<sender>:<BSN02>" (quantity per sku, base units, expected at the ship-to on the notice's
// estimated delivery date, else its ship date), which raise InventoryPosition.inbound and so
// available-to-promise; each changed position appends InventoryChanged (reason INBOUND). A resend
// sets the same quantities again (absolute, not added). Mapping: items by any LIN qualifier (VN,
// VP, SK, BP, IN as an item number mapped under X12, UP/UK/EN/UA as a GTIN), the ship-to N1*ST
// (else OB/BY) by its N104 id or name as a LOCATION under X12 (UL: a GLN).
import { Prisma } from "../../../platform/db/generated/client.js";
import { appendEvents, type Tx } from "../../../platform/events/event-log.js";
import type { Db } from "../../../platform/db/client.js";
import { mappingError, validationError } from "../../../platform/ingest/errors.js";
import type { AdvanceShipNotice } from "../../shipments/sources/x12-856.js";
import { bucketBoundProblem, positionId, type Buckets, bucketsOf } from "../domain.js";
import { InventoryChanged } from "../events.js";
import { mapperFor } from "../mapping.js";

const GTIN_QUALIFIERS = ["UP", "UK", "EN", "UA", "UI"];
const ITEM_QUALIFIERS = ["VN", "VP", "SK", "BP", "IN", "MG", "PI"];

export interface InboundAdvice {
  reference: string;
  supplier: string;
  shipmentId: string;
  locationId: string;
  expectedDate: Date;
  /** Per sku, base units; `where` is the notice's first item line for it. */
  items: { sku: string; quantity: number; lots: string[]; where: string }[];
}

export async function mapSupplierAsn(asn: AdvanceShipNotice, db: Db, scope: object): Promise<InboundAdvice> {
  const mapper = mapperFor(db, scope, "X12");
  const dest = ["ST", "OB", "BY"].map((r) => asn.parties.find((p) => p.role === r)).find(Boolean);
  if (!dest) throw mappingError("the notice names no destination (no N1*ST, OB or BY party)", asn.where);
  const locationId = await mapper.location(dest.idQualifier === "UL" ? { gln: dest.id } : { code: dest.id ?? dest.name }, dest.where);
  const bySku = new Map<string, { sku: string; quantity: number; lots: string[]; where: string }>();
  for (const item of asn.orders.flatMap((o) => o.items)) {
    const sku = item.ids.find(([q]) => ITEM_QUALIFIERS.includes(q))?.[1];
    const gtin = item.ids.find(([q]) => GTIN_QUALIFIERS.includes(q))?.[1];
    const it = await mapper.item({ sku, gtin }, item.where);
    const base = await mapper.toBase(it, item.quantity, item.unit, item.where);
    const entry = bySku.get(it.sku) ?? { sku: it.sku, quantity: 0, lots: [], where: item.where };
    entry.quantity += base;
    entry.lots.push(...item.lots);
    bySku.set(it.sku, entry);
  }
  const supplier = asn.parties.find((p) => p.role === "SF" || p.role === "SH" || p.role === "SU");
  return {
    reference: `ASN:${asn.sender}:${asn.shipmentId}`,
    supplier: supplier?.name ?? asn.sender,
    shipmentId: asn.shipmentId,
    locationId,
    expectedDate: new Date(`${asn.estimatedDelivery ?? asn.shippedAt.toISOString().slice(0, 10)}T00:00:00Z`),
    items: [...bySku.values()],
  };
}

export async function applySupplierAsn(tx: Tx, advice: InboundAdvice, ctx: { correlationId: string; messageId: string }) {
  const positions = [];
  for (const item of advice.items) {
    const key = { reference: advice.reference, sku: item.sku, locationId: advice.locationId };
    const [before] = await tx.$queryRaw<Buckets[]>`
      INSERT INTO "inventory"."InventoryPosition" ("sku", "locationId", "asOf", "version") VALUES (${item.sku}, ${advice.locationId}, now(), 0)
      ON CONFLICT ("sku", "locationId") DO UPDATE SET "version" = "InventoryPosition"."version" RETURNING *`;
    // With the position locked: inbound is what the other notices expect plus this one, checked
    // against the bounds before the expected receipt (a 32-bit column too) is written.
    const { _sum: others } = await tx.expectedReceipt.aggregate({
      where: { sku: item.sku, locationId: advice.locationId, reference: { not: advice.reference } },
      _sum: { quantity: true },
    });
    const inbound = (others.quantity ?? 0) + item.quantity;
    const outOfBounds = bucketBoundProblem(item.sku, advice.locationId, { ...before, inbound });
    if (outOfBounds) throw validationError(outOfBounds, item.where);
    await tx.expectedReceipt.upsert({
      where: { reference_sku_locationId: key },
      create: { ...key, quantity: item.quantity, expectedDate: advice.expectedDate },
      update: { quantity: item.quantity, expectedDate: advice.expectedDate },
    });
    if (before.inbound === inbound) {
      positions.push({ sku: item.sku, inbound, changed: false });
      continue;
    }
    const after = await tx.inventoryPosition.update({
      where: { sku_locationId: { sku: item.sku, locationId: advice.locationId } },
      data: { inbound, version: { increment: 1 } },
    });
    await appendEvents(tx, ctx.correlationId, [
      InventoryChanged.event({
        aggregateId: positionId(item.sku, advice.locationId),
        aggregateVersion: after.version,
        payload: {
          sku: item.sku,
          locationId: advice.locationId,
          reason: "INBOUND",
          quantity: 0,
          before: bucketsOf(before),
          after: bucketsOf(after),
          source: "x12-856",
          sourceEventId: advice.reference,
          inboundMessageId: ctx.messageId,
        },
      }),
    ]);
    positions.push({ sku: item.sku, inbound, changed: true });
  }
  return {
    state: "PROCESSED" as const,
    result: {
      inboundShipment: advice.reference,
      supplier: advice.supplier,
      locationId: advice.locationId,
      expectedDate: advice.expectedDate.toISOString().slice(0, 10),
      positions,
    } as unknown as Prisma.InputJsonObject,
  };
}
