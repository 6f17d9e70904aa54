// The warehouse shipping order in its two shapes: an X12 940 for a location run by a third-party
// warehouse (generated with node-x12 through platform/documents writeX12: valid envelope and
// counts), and a JSON message for our own WMS. Both carry the warehouse order number the
// confirmation names back (940 W0502 -> 945 W0602; JSON warehouseOrderNumber), the order's line
// numbers (N9*LI / lineNumber) and every id the buyer used for each item.
import { writeX12, x12Text, type X12Party } from "../../../platform/documents/x12-writer.js";

export interface WarehouseOrderDoc {
  number: string;
  orderNumber: string;
  customerPo: string | null;
  locationId: string;
  requestedShipDate: string | null;
  shipTo: { name: string | null; address: string | null; gln: string | null };
  lines: {
    lineNumber: number;
    sku: string;
    gtin: string | null;
    customerPartNumber: string | null;
    partnerIds: [string, string][];
    description: string | null;
    unit: string;
    quantity: number;
  }[];
}

/** Us, in the 940's envelope (the depositor). */
export const DEPOSITOR: X12Party = { qualifier: "ZZ", id: "DISTGRAPH" };

export function parseParty(value: string): X12Party {
  const at = value.indexOf(":");
  return at > 0 ? { qualifier: value.slice(0, at), id: value.slice(at + 1) } : { qualifier: "ZZ", id: value };
}

export function build940(doc: WarehouseOrderDoc, partner: X12Party, control: bigint, at: Date): string {
  const segments: string[][] = [];
  segments.push(["W05", "N", x12Text(doc.number, 22), x12Text(doc.customerPo ?? doc.orderNumber, 22)]);
  segments.push(
    doc.shipTo.gln ? ["N1", "ST", x12Text(doc.shipTo.name ?? "SHIP TO", 60), "UL", doc.shipTo.gln] : ["N1", "ST", x12Text(doc.shipTo.name ?? "SHIP TO", 60)],
  );
  if (doc.shipTo.address) segments.push(["N3", x12Text(doc.shipTo.address, 55)]);
  segments.push(["N1", "DE", DEPOSITOR.id, "ZZ", DEPOSITOR.id]);
  segments.push(["N9", "SO", x12Text(doc.orderNumber, 30)]);
  if (doc.requestedShipDate) segments.push(["G62", "10", doc.requestedShipDate.replace(/-/g, "")]);
  doc.lines.forEach((l, i) => {
    const ids: string[] = ["VN", x12Text(l.sku, 48)];
    if (l.gtin) ids.push("UK", l.gtin);
    if (l.customerPartNumber) ids.push("BP", x12Text(l.customerPartNumber, 48));
    segments.push(["LX", String(i + 1)]);
    segments.push(["W01", String(l.quantity), l.unit, "", ...ids]);
    if (l.description) segments.push(["G69", x12Text(l.description, 45)]);
    segments.push(["N9", "LI", String(l.lineNumber)]);
  });
  segments.push(["W76", String(doc.lines.reduce((s, l) => s + l.quantity, 0))]);
  return writeX12({ sender: DEPOSITOR, receiver: partner, control, functionalId: "OW", version: "004010", at }, { id: "940", segments });
}

/** The JSON shipping order for our WMS (README "Warehouse release" shows one). */
export function buildWmsOrder(doc: WarehouseOrderDoc, at: Date): string {
  return JSON.stringify(
    {
      type: "SHIPPING_ORDER",
      warehouseOrderNumber: doc.number,
      orderNumber: doc.orderNumber,
      customerPo: doc.customerPo,
      location: doc.locationId,
      requestedShipDate: doc.requestedShipDate,
      shipTo: doc.shipTo,
      lines: doc.lines.map((l) => ({
        lineNumber: l.lineNumber,
        sku: l.sku,
        gtin: l.gtin,
        customerPartNumber: l.customerPartNumber,
        description: l.description,
        unit: l.unit,
        quantity: l.quantity,
      })),
      createdAt: at.toISOString(),
    },
    null,
    2,
  );
}
