// Invoicing: erp-finance bills each shipment once, from the orders domain's OrderShipped (the
// shipped lines with the order's prices, and the order's charges and allowances on its first
// shipment). The erp-finance.invoicing consumer creates the invoice (lines, charges, allowances,
// tax at the customer's rate, totals in exact decimals, due date from the customer's terms) in
// the transaction that advances its offset, and appends InvoiceCreated for the orders domain
// (invoiced quantities, INVOICED, the 810 to EDI customers). Exactly once under redelivery: an
// invoice for the shipment already there is the answer (and the unique index on Invoice.shipmentId
// holds it even against a second process). Posting to the ERP picks up every invoice without a
// successful posting (posting/, its own worker): this file only creates invoices, and settles the
// order's returns that waited for one (return-credits.ts).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { Prisma } from "../../platform/db/generated/client.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import { defineEvent, type PayloadOf } from "../../platform/events/types.js";
import { timeOrderedId } from "../../platform/ids.js";
import { OrderShipped, type OrderShippedPayload } from "../orders/events.js";
import { dueDate, invoiceAmounts } from "./domain.js";
import { settleWaitingReturnCredits } from "./return-credits.js";

const D = Prisma.Decimal;
const money = z.string().regex(/^-?\d+(\.\d+)?$/);
const adjustment = z.object({ kind: z.enum(["CHARGE", "ALLOWANCE"]), code: z.string(), description: z.string(), amount: money });

/** An invoice was created for a shipment. Amounts are decimal strings (2 places; unit prices 4). */
export const InvoiceCreated = defineEvent(
  "InvoiceCreated",
  "Invoice",
  z.object({
    invoiceId: z.string(),
    invoiceNumber: z.string(),
    orderId: z.string(),
    shipmentId: z.string().nullable(),
    customerId: z.string(),
    businessUnitId: z.string(),
    currency: z.string().length(3),
    invoiceDate: z.string(),
    dueDate: z.string(),
    paymentTerms: z.string(),
    lines: z.array(
      z.object({
        lineNumber: z.number().int(),
        orderLineId: z.string().nullable(),
        sku: z.string(),
        quantity: z.number().int(),
        unit: z.string(),
        unitPrice: money,
        amount: money,
      }),
    ),
    charges: z.array(adjustment),
    allowances: z.array(adjustment),
    subtotal: money,
    chargesTotal: money,
    allowancesTotal: money,
    taxRate: money,
    taxTotal: money,
    total: money,
  }),
);
export type InvoiceCreatedPayload = PayloadOf<typeof InvoiceCreated>;

/**
 * INV-<time, base 36><4 random hex>: 16 characters, short enough for every ERP and for X12 BIG02
 * (22 at most), ordered by time; the unique index on invoiceNumber stands behind the randomness.
 */
export const newInvoiceNumber = () => `INV-${Date.now().toString(36).toUpperCase()}${randomBytes(2).toString("hex").toUpperCase()}`;

/** Creates the shipment's invoice unless it exists; returns it and whether it was created now. */
export async function invoiceShipment(tx: Tx, p: OrderShippedPayload, correlationId: string) {
  const existing = await tx.invoice.findUnique({ where: { shipmentId: p.shipmentId } });
  if (existing) return { invoice: existing, created: false };
  const customer = await tx.customer.findUnique({ where: { id: p.customerId } });
  if (!customer) throw new Error(`cannot invoice shipment ${p.shipmentNumber}: customer ${p.customerId} is not in erp-finance`);
  const shippedAt = new Date(p.shippedAt);
  const invoiceDate = new Date(`${p.shippedAt.slice(0, 10)}T00:00:00Z`);
  const adjustments = p.charges.map((c) => ({
    kind: c.kind,
    code: c.code ?? (c.kind === "CHARGE" ? "CHARGE" : "ALLOWANCE"),
    description: c.description ?? c.code ?? c.kind.toLowerCase(),
    // Order charges are kept to 4 places as the buyer sent them; the invoice bills cents.
    amount: new D(c.amount).abs().toDecimalPlaces(2, D.ROUND_HALF_UP),
  }));
  const amounts = invoiceAmounts(p.lines, adjustments, customer.taxRate);
  const id = `INV-${timeOrderedId()}`;
  const invoiceNumber = newInvoiceNumber();
  const due = dueDate(invoiceDate, customer.termsDays);
  const lines = p.lines.map((l, i) => ({
    id: `${id}-${i + 1}`,
    lineNumber: i + 1,
    orderLineId: l.orderLineId,
    sku: l.sku,
    quantity: l.quantity,
    unit: l.unit,
    unitPrice: new D(l.unitPrice),
    amount: new D(l.unitPrice).mul(l.quantity).toDecimalPlaces(2, D.ROUND_HALF_UP),
  }));
  const invoice = await tx.invoice.create({
    data: {
      id,
      invoiceNumber,
      orderId: p.orderId,
      shipmentId: p.shipmentId,
      customerId: customer.id,
      businessUnitId: p.businessUnitId ?? customer.businessUnitId,
      status: "OPEN",
      postingStatus: "PENDING",
      invoiceDate,
      dueDate: due,
      currency: p.currency,
      ...amounts,
      taxRate: customer.taxRate,
      lines: { createMany: { data: lines.map(({ id: lineId, ...l }) => ({ id: lineId, ...l })) } },
      adjustments: { createMany: { data: adjustments.map((a, i) => ({ id: `${id}-A${i + 1}`, ...a })) } },
    },
  });
  const fixed = (d: Prisma.Decimal, places = 2) => d.toFixed(places);
  await appendEvents(tx, correlationId, [
    InvoiceCreated.event({
      aggregateId: id,
      aggregateVersion: 1,
      occurredAt: shippedAt,
      payload: {
        invoiceId: id,
        invoiceNumber,
        orderId: p.orderId,
        shipmentId: p.shipmentId,
        customerId: customer.id,
        businessUnitId: invoice.businessUnitId,
        currency: p.currency,
        invoiceDate: invoiceDate.toISOString().slice(0, 10),
        dueDate: due.toISOString().slice(0, 10),
        paymentTerms: customer.paymentTerms,
        lines: lines.map((l) => ({
          lineNumber: l.lineNumber,
          orderLineId: l.orderLineId,
          sku: l.sku,
          quantity: l.quantity,
          unit: l.unit,
          unitPrice: fixed(l.unitPrice, 4),
          amount: fixed(l.amount),
        })),
        charges: adjustments.filter((a) => a.kind === "CHARGE").map((a) => ({ ...a, amount: fixed(a.amount) })),
        allowances: adjustments.filter((a) => a.kind === "ALLOWANCE").map((a) => ({ ...a, amount: fixed(a.amount) })),
        subtotal: fixed(amounts.subtotal),
        chargesTotal: fixed(amounts.chargesTotal),
        allowancesTotal: fixed(amounts.allowancesTotal),
        taxRate: customer.taxRate.toString(),
        taxTotal: fixed(amounts.taxTotal),
        total: fixed(amounts.total),
      },
    }),
  ]);
  // A return of this order that came back before its goods were invoiced was waiting for this invoice.
  await settleWaitingReturnCredits(tx, p.orderId);
  return { invoice, created: true };
}

export const invoicingConsumer: ConsumerDefinition = {
  name: "erp-finance.invoicing",
  types: [OrderShipped.name],
  async handle(event, tx) {
    await invoiceShipment(tx, OrderShipped.payloadOf(event), event.correlationId);
  },
};
