// The X12 810 invoice to an EDI customer, one per invoice of an order captured from its 850
// (written by the orders.invoices consumer from InvoiceCreated, once: document key
// "810:<invoice id>"). Generated with node-x12 (writeX12: valid envelope and counts):
//   BIG  invoice date, invoice number, PO date, PO number     CUR  SE currency
//   N1   ST/BY as the 850 had them                             ITD  terms: net due date and net days
//   DTM  011 ship date (the invoice date: a shipment is invoiced on its ship date)                                       IT1  per line: the buyer's line id, quantity, unit, price, item ids as sent
//   TDS  total (TDS01) and subtotal before charges (TDS02), in cents (X12 N2)
//   TXI  ST sales tax amount and percent (when taxed)         SAC  C/A charges and allowances (SAC05 cents, SAC15 description)
//   CTT  number of IT1 lines
import type { Order } from "../../../platform/db/generated/client.js";
import { Prisma } from "../../../platform/db/generated/client.js";
import type { Tx } from "../../../platform/events/event-log.js";
import { documentByKey, nextControlNumber, storeDocument } from "../../../platform/documents/index.js";
import { writeX12, x12Text } from "../../../platform/documents/x12-writer.js";
import type { InvoiceCreatedPayload } from "../../erp-finance/invoicing.js";
import { partnerKey, replyEnvelope, type X12PartnerContext } from "./x12-855.js";

const cents = (amount: string) => new Prisma.Decimal(amount).mul(100).toFixed(0);
const price = (amount: string) => new Prisma.Decimal(amount).toFixed(4).replace(/\.?0+$/, "") || "0";
const ymd = (iso: string) => iso.slice(0, 10).replace(/-/g, "");
/** X12 SAC02 codes are four characters (D240 freight, C310 discount...); anything else goes as ZZZZ with its text. */
const sacCode = (code: string) => (/^[A-Z]\d{3}$/.test(code) ? code : "ZZZZ");

export function build810(
  ctx: X12PartnerContext,
  order: Pick<Order, "customerPo">,
  inv: InvoiceCreatedPayload,
  shippedAt: string | null,
  control: bigint,
  at: Date,
): string {
  const segments: string[][] = [];
  segments.push([
    "BIG",
    ymd(inv.invoiceDate),
    x12Text(inv.invoiceNumber, 22),
    ctx.poDate.replace(/-/g, ""),
    x12Text(ctx.poNumber || order.customerPo || "", 22),
  ]);
  segments.push(["CUR", "SE", inv.currency]);
  for (const p of ctx.parties.filter((x) => x.role === "ST" || x.role === "BY")) {
    segments.push(p.idQualifier && p.id ? ["N1", p.role, x12Text(p.name, 60), p.idQualifier, p.id] : ["N1", p.role, x12Text(p.name, 60)]);
  }
  const netDays = Math.round((Date.parse(inv.dueDate) - Date.parse(inv.invoiceDate)) / 86_400_000);
  segments.push(["ITD", "01", "3", "", "", "", ymd(inv.dueDate), String(netDays), "", "", "", "", x12Text(inv.paymentTerms, 80)]);
  if (shippedAt) segments.push(["DTM", "011", ymd(shippedAt)]);
  for (const l of inv.lines) {
    const sent = ctx.lines.find((s) => s.lineNumber === l.lineNumber);
    const ids = (sent?.ids ?? [["VN", l.sku]]).flatMap(([q, v]) => [q, x12Text(v, 48)]);
    segments.push([
      "IT1",
      sent?.assignedId ?? String(l.lineNumber),
      String(l.quantity),
      sent?.unit ?? l.unit,
      price(l.unitPrice),
      sent?.priceBasis ?? "",
      ...ids,
    ]);
  }
  const beforeCharges = new Prisma.Decimal(inv.subtotal).toFixed(2);
  segments.push(["TDS", cents(inv.total), cents(beforeCharges)]);
  if (!new Prisma.Decimal(inv.taxTotal).isZero()) segments.push(["TXI", "ST", inv.taxTotal, new Prisma.Decimal(inv.taxRate).mul(100).toFixed(2)]);
  for (const [flag, list] of [
    ["C", inv.charges],
    ["A", inv.allowances],
  ] as const) {
    for (const a of list)
      segments.push(["SAC", flag, sacCode(a.code), "", "", cents(a.amount), "", "", "", "", "", "", "", "", "", x12Text(a.description, 80)]);
  }
  segments.push(["CTT", String(inv.lines.length)]);
  return writeX12(replyEnvelope(ctx, control, "IN", at), { id: "810", segments });
}

/** Stores the invoice's 810 for the order's partner, once. */
export async function writeInvoiceDocument(
  tx: Tx,
  order: Pick<Order, "id" | "customerPo"> & { partnerContext: X12PartnerContext },
  inv: InvoiceCreatedPayload,
  at: Date,
  correlationId: string | null = null,
) {
  const documentKey = `810:${inv.invoiceId}`;
  if (await documentByKey(tx, documentKey)) return;
  const ctx = order.partnerContext;
  const partner = partnerKey(ctx);
  const control = await nextControlNumber(tx, partner);
  await storeDocument(tx, {
    documentKey,
    type: "810",
    standard: "X12",
    partner,
    controlNumber: control.toString().padStart(9, "0"),
    content: build810(ctx, order, inv, inv.invoiceDate, control, at),
    orderId: order.id,
    correlationId,
  });
}
