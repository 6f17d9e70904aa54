// The X12 856 ship notice to an EDI customer, one per shipment of an order captured from its 850
// (written by the orders.shipments consumer when it records the shipment, so exactly once per
// shipment: document key "856:<shipment id>"). Generated with node-x12 (writeX12: valid envelope,
// SE/GE/IEA counts), in the partner's version, hierarchy S-O-P-I (items outside a package under O):
//   BSN  00, our shipment number, date, time, 0001 (shipment, order, packaging, item)
//   HL S TD1 package count, TD5 SCAC, REF BM consignment / CN tracking, DTM 011 ship date, N1 ST/BY as the 850 had them
//   HL O PRF the buyer's PO and PO date     HL P MAN GM SSCC-18     HL I LIN the buyer's line id and item ids as sent, SN1 shipped
//   CTT  HL count, units shipped
import type { Order } from "../../../platform/db/generated/client.js";
import type { Tx } from "../../../platform/events/event-log.js";
import { documentByKey, nextControlNumber, storeDocument } from "../../../platform/documents/index.js";
import { writeX12, x12Text } from "../../../platform/documents/x12-writer.js";
import type { ShipmentConfirmedPayload } from "../../shipments/events.js";
import { partnerKey, replyEnvelope, type X12PartnerContext } from "./x12-855.js";

const ymd = (iso: string) => iso.slice(0, 10).replace(/-/g, "");
const hm = (iso: string) => iso.slice(11, 16).replace(":", "");

export function build856(ctx: X12PartnerContext, order: Pick<Order, "customerPo">, s: ShipmentConfirmedPayload, control: bigint, at: Date): string {
  const segments: string[][] = [];
  segments.push(["BSN", "00", x12Text(s.shipmentNumber, 30), ymd(s.shippedAt), hm(s.shippedAt), "0001"]);
  let hl = 0;
  const shipHl = ++hl;
  segments.push(["HL", String(shipHl), "", "S"]);
  segments.push(["TD1", "CTN25", String(Math.max(1, s.packages.length))]);
  segments.push(["TD5", "", "2", x12Text(s.carrier.scac, 4), "", x12Text(s.carrier.serviceLevel, 35)]);
  segments.push(["REF", "BM", x12Text(s.consignment ?? s.shipmentNumber, 30)]);
  if (s.trackingNumber) segments.push(["REF", "CN", x12Text(s.trackingNumber, 30)]);
  segments.push(["DTM", "011", ymd(s.shippedAt)]);
  for (const p of ctx.parties.filter((x) => x.role === "ST" || x.role === "BY")) {
    segments.push(p.idQualifier && p.id ? ["N1", p.role, x12Text(p.name, 60), p.idQualifier, p.id] : ["N1", p.role, x12Text(p.name, 60)]);
  }
  const orderHl = ++hl;
  segments.push(["HL", String(orderHl), String(shipHl), "O"]);
  segments.push(["PRF", x12Text(ctx.poNumber || order.customerPo || "", 22), "", "", ctx.poDate.replace(/-/g, "")]);
  const item = (parent: number, lineNumber: number, quantity: number) => {
    const line = s.lines.find((l) => l.lineNumber === lineNumber)!;
    const sent = ctx.lines.find((l) => l.lineNumber === lineNumber);
    const ids = (sent?.ids ?? [["VN", line.sku]]).flatMap(([q, v]) => [q, x12Text(v, 48)]);
    segments.push(["HL", String(++hl), String(parent), "I"]);
    segments.push(["LIN", sent?.assignedId ?? String(lineNumber), ...ids]);
    segments.push(["SN1", "", String(quantity), sent?.unit ?? line.unit]);
  };
  const packed = new Map<number, number>();
  for (const p of s.packages) {
    const packHl = ++hl;
    segments.push(["HL", String(packHl), String(orderHl), "P"]);
    segments.push(["MAN", "GM", p.sscc]);
    for (const l of p.lines) {
      item(packHl, l.lineNumber, l.quantity);
      packed.set(l.lineNumber, (packed.get(l.lineNumber) ?? 0) + l.quantity);
    }
  }
  for (const l of s.lines) {
    const loose = l.quantity - (packed.get(l.lineNumber) ?? 0);
    if (loose > 0) item(orderHl, l.lineNumber, loose);
  }
  segments.push(["CTT", String(hl), String(s.lines.reduce((sum, l) => sum + l.quantity, 0))]);
  return writeX12(replyEnvelope(ctx, control, "SH", at), { id: "856", segments });
}

/** Stores the shipment's 856 for the order's partner, once. */
export async function writeShipNotice(
  tx: Tx,
  order: Pick<Order, "id" | "customerPo"> & { partnerContext: X12PartnerContext },
  s: ShipmentConfirmedPayload,
  at: Date,
  correlationId: string | null = null,
) {
  const documentKey = `856:${s.shipmentId}`;
  if (await documentByKey(tx, documentKey)) return;
  const ctx = order.partnerContext;
  const partner = partnerKey(ctx);
  const control = await nextControlNumber(tx, partner);
  await storeDocument(tx, {
    documentKey,
    type: "856",
    standard: "X12",
    partner,
    controlNumber: control.toString().padStart(9, "0"),
    content: build856(ctx, order, s, control, at),
    orderId: order.id,
    correlationId,
  });
}
