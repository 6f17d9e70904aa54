// The X12 855 purchase order acknowledgement, one per order captured from an 850. It is produced
// when the order's answer is settled, i.e. on the first of these transitions (the
// orders.edi-acknowledgement consumer, in the transaction that advances its offset, so once):
//   - ALLOCATED, PARTIALLY_ALLOCATED, BACKORDERED: inventory has allocated what it could;
//   - REJECTED (unknown customer, credit refused after a hold), or CANCELLED by us before that.
// An order waiting in CREDIT_HOLD or PRICE_HOLD is not acknowledged until the hold is decided,
// because acknowledging it would promise what credit may still refuse. Later changes (a backorder
// filled) are not re-acknowledged here (that is an 865 or the 856).
//
// Per line (PO1 echoes the buyer's line id, quantity, unit and product ids, with our price):
//   ACK IA  quantity allocated, at the buyer's price    ACK IB  quantity backordered
//   ACK IC  quantity allocated, at a price that differs from the buyer's (PO104 is ours)
//   ACK IR  the whole line, when the order is rejected or cancelled
// BAK02: AD (all accepted as sent), AC (accepted with changes or backorders), RD (rejected).
import type { Prisma } from "../../../platform/db/generated/client.js";
import type { ConsumerDefinition } from "../../../platform/events/consumer.js";
import type { Tx } from "../../../platform/events/event-log.js";
import { documentByKey, nextControlNumber, storeDocument } from "../../../platform/documents/index.js";
import { writeX12, x12Text, type X12Envelope } from "../../../platform/documents/x12-writer.js";
import { ORDER_STATUS_CHANGED, type OrderStatusChangedPayload } from "../events.js";

/** What the 850 adapter keeps on the order for this reply (Order.partnerContext). */
export interface X12PartnerContext {
  standard: "X12";
  partner: { qualifier: string; id: string };
  us: { qualifier: string; id: string };
  group: { functionalId: string; applicationSender: string; applicationReceiver: string; version: string };
  isa11: string;
  isa12: string;
  usage: string;
  poNumber: string;
  poDate: string;
  release: string | null;
  parties: { role: string; name: string | null; idQualifier: string | null; id: string | null }[];
  lines: { lineNumber: number; assignedId: string; quantity: number; unit: string; price: string | null; priceBasis: string | null; ids: [string, string][] }[];
}

/**
 * The envelope of a document we send back to the partner of an X12 order: from us to them, in
 * the group's version, with the application ids of the group they sent (reversed).
 */
export function replyEnvelope(ctx: X12PartnerContext, control: bigint, functionalId: string, at: Date): X12Envelope {
  return {
    sender: ctx.us,
    receiver: ctx.partner,
    control,
    functionalId,
    applicationSender: ctx.group.applicationReceiver || ctx.us.id,
    applicationReceiver: ctx.group.applicationSender || ctx.partner.id,
    version: ctx.group.version || "004010",
    isa11: ctx.isa11,
    isa12: ctx.isa12,
    usage: ctx.usage,
    at,
  };
}

/** The partner key documents and control-number counters of this order's partner are kept under. */
export const partnerKey = (ctx: X12PartnerContext) => `X12:${ctx.partner.qualifier}:${ctx.partner.id}`;

const SETTLED = new Set(["ALLOCATED", "PARTIALLY_ALLOCATED", "BACKORDERED", "REJECTED", "CANCELLED"]);
/** Statuses past allocation: an order already there when its 855 is written was settled before. */
const MOVED_ON = new Set(["RELEASED", "PARTIALLY_SHIPPED", "SHIPPED", "INVOICED", "CLOSED"]);

export interface AckLine {
  lineNumber: number;
  quantityOrdered: number;
  quantityAllocated: number;
  quantityBackordered: number;
  unitPrice: Prisma.Decimal;
  buyerUnitPrice: Prisma.Decimal | null;
}

export type LineAck = { code: "IA" | "IB" | "IC" | "IR"; quantity: number };

/** The ACK segments of one line, from the allocation outcome. */
export function lineAcknowledgements(line: AckLine, rejected: boolean): LineAck[] {
  if (rejected) return [{ code: "IR", quantity: line.quantityOrdered }];
  const changed = line.buyerUnitPrice !== null && !line.buyerUnitPrice.equals(line.unitPrice);
  const acks: LineAck[] = [];
  if (line.quantityAllocated > 0) acks.push({ code: changed ? "IC" : "IA", quantity: line.quantityAllocated });
  const backordered = Math.max(line.quantityBackordered, line.quantityOrdered - line.quantityAllocated);
  if (backordered > 0) acks.push({ code: "IB", quantity: backordered });
  return acks;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");
const price = (d: Prisma.Decimal) => d.toFixed(4).replace(/\.?0+$/, "") || "0";

export function build855(
  ctx: X12PartnerContext,
  order: { orderNumber: string; currency: string; status: string },
  lines: AckLine[],
  control: bigint,
  at: Date,
): string {
  const rejected = order.status === "REJECTED" || order.status === "CANCELLED";
  const segments: string[][] = [];
  const perLine = lines.map((l) => ({ line: l, sent: ctx.lines.find((s) => s.lineNumber === l.lineNumber), acks: lineAcknowledgements(l, rejected) }));
  const allAsSent = perLine.every((p) => p.acks.length === 1 && p.acks[0].code === "IA");
  segments.push([
    "BAK",
    "00",
    rejected ? "RD" : allAsSent ? "AD" : "AC",
    x12Text(ctx.poNumber, 22),
    ctx.poDate.replace(/-/g, ""),
    ctx.release ?? "",
    "",
    "",
    order.orderNumber,
    ymd(at),
  ]);
  segments.push(["CUR", "SE", order.currency]);
  for (const p of ctx.parties.filter((x) => x.role === "ST" || x.role === "BY")) {
    segments.push(p.idQualifier && p.id ? ["N1", p.role, x12Text(p.name, 60), p.idQualifier, p.id] : ["N1", p.role, x12Text(p.name, 60)]);
  }
  for (const { line, sent, acks } of perLine) {
    const ids = (sent?.ids ?? []).flatMap(([q, v]) => [q, x12Text(v, 48)]);
    segments.push([
      "PO1",
      sent?.assignedId ?? String(line.lineNumber),
      String(line.quantityOrdered),
      sent?.unit ?? "EA",
      price(line.unitPrice),
      sent?.priceBasis ?? "",
      ...ids,
    ]);
    for (const a of acks) segments.push(["ACK", a.code, String(a.quantity), sent?.unit ?? "EA"]);
  }
  segments.push(["CTT", String(lines.length), String(lines.reduce((s, l) => s + l.quantityOrdered, 0))]);
  return writeX12(replyEnvelope(ctx, control, "PR", at), { id: "855", segments });
}

/** Writes the order's 855 if it is an X12 order, settled, and has none yet. */
export async function acknowledgeOrder(tx: Tx, orderId: string, at: Date, correlationId: string | null = null): Promise<boolean> {
  const documentKey = `855:${orderId}`;
  if (await documentByKey(tx, documentKey)) return false;
  const order = await tx.order.findUnique({ where: { id: orderId }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
  const ctx = order?.partnerContext as unknown as X12PartnerContext | null;
  // The order may have moved on (released, even shipped) by the time this consumer gets to it: still answer it once.
  if (!order || ctx?.standard !== "X12" || !(SETTLED.has(order.status) || MOVED_ON.has(order.status))) return false;
  const partner = partnerKey(ctx);
  const control = await nextControlNumber(tx, partner);
  await storeDocument(tx, {
    documentKey,
    type: "855",
    standard: "X12",
    partner,
    controlNumber: control.toString().padStart(9, "0"),
    // What went on to the warehouse counts as allocated (shipping takes it off quantityAllocated).
    content: build855(
      ctx,
      order,
      order.lines.map((l) => ({ ...l, quantityAllocated: l.quantityAllocated + l.quantityShipped })),
      control,
      at,
    ),
    orderId,
    correlationId,
  });
  return true;
}

export const ediAcknowledgementConsumer: ConsumerDefinition = {
  name: "orders.edi-acknowledgement",
  types: [ORDER_STATUS_CHANGED],
  async handle(event, tx) {
    const p = event.payload as unknown as OrderStatusChangedPayload;
    if (!SETTLED.has(p.newStatus)) return;
    // The buyer's own cancellation (its 850 with BEG01 01) needs no acknowledgement of the order.
    if (p.newStatus === "CANCELLED" && p.source === "edi") return;
    await acknowledgeOrder(tx, p.orderId, event.occurredAt, event.correlationId);
  },
};
