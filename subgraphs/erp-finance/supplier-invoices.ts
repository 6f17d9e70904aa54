// Supplier invoices (inbound X12 810) and suppliers. recordSupplierInvoice is the apply step of
// the 810 adapter: one invoice per supplier and invoice number; the same invoice again (resent in
// a new interchange) finds the first, the same number with other figures is refused (a VALIDATE
// dead letter naming both), never recorded twice.
import { createHash } from "node:crypto";
import { Prisma, type Supplier } from "../../platform/db/generated/client.js";
import type { Db } from "../../platform/db/client.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import { timeOrderedId } from "../../platform/ids.js";
import type { ApplyContext, ApplyOutcome } from "../../platform/ingest/handlers.js";
import { validationError } from "../../platform/ingest/errors.js";
import { invalidArgument } from "../../platform/errors.js";
import { SUPPLIER_INVOICE_RECORDED, type SupplierInvoiceRecordedPayload } from "./events.js";
import { dueDate } from "./domain.js";

type Money = Prisma.Decimal;

export interface SupplierInvoiceCommand {
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  purchaseOrderNumber: string | null;
  currency: string;
  netDays: number | null;
  lines: {
    lineNumber: number;
    sku: string;
    vendorPartNumber: string | null;
    quantity: Money;
    unit: string;
    unitPrice: Money;
    amount: Money;
    unitFactor: number;
    baseUnit: string;
    baseQuantity: Money;
  }[];
  adjustments: { kind: "CHARGE" | "ALLOWANCE"; code: string; description: string; amount: Money; lineNumber: number | null }[];
  taxTotal: Money;
  total: Money;
}

const contentHashOf = (c: SupplierInvoiceCommand) =>
  createHash("sha256")
    .update(JSON.stringify(c, (_k, v) => (v instanceof Prisma.Decimal ? v.toString() : v)))
    .digest("hex");

export async function recordSupplierInvoice(tx: Tx, c: SupplierInvoiceCommand, ctx: ApplyContext): Promise<ApplyOutcome> {
  const hash = contentHashOf(c);
  const existing = await tx.supplierInvoice.findUnique({ where: { supplierId_invoiceNumber: { supplierId: c.supplierId, invoiceNumber: c.invoiceNumber } } });
  if (existing) {
    if (existing.contentHash === hash) return { state: "PROCESSED", result: { supplierInvoiceId: existing.id, duplicateOfInvoice: true } };
    throw validationError(
      `invoice ${c.invoiceNumber} of supplier ${c.supplierId} was already recorded as ${existing.id} (from message ${existing.sourceMessageId ?? "(unknown)"}, total ${existing.total.toFixed(2)}) with other figures (this one: total ${c.total.toFixed(2)}); a corrected invoice needs its own number`,
    );
  }
  const sum = (kind: "CHARGE" | "ALLOWANCE") => c.adjustments.filter((a) => a.kind === kind).reduce((s, a) => s.add(a.amount), new Prisma.Decimal(0));
  const id = `SI-${timeOrderedId()}`;
  const invoiceDate = new Date(`${c.invoiceDate}T00:00:00Z`);
  await tx.supplierInvoice.create({
    data: {
      id,
      supplierId: c.supplierId,
      invoiceNumber: c.invoiceNumber,
      invoiceDate,
      purchaseOrderNumber: c.purchaseOrderNumber,
      currency: c.currency,
      subtotal: c.lines.reduce((s, l) => s.add(l.amount), new Prisma.Decimal(0)),
      chargesTotal: sum("CHARGE"),
      allowancesTotal: sum("ALLOWANCE"),
      taxTotal: c.taxTotal,
      total: c.total,
      netDays: c.netDays,
      dueDate: c.netDays === null ? null : dueDate(invoiceDate, c.netDays),
      contentHash: hash,
      sourceMessageId: ctx.messageId,
      lines: { create: c.lines.map((l) => ({ id: `${id}-${l.lineNumber}`, ...l })) },
      adjustments: { create: c.adjustments.map((a, i) => ({ id: `${id}-A${i + 1}`, ...a })) },
    },
  });
  const payload: SupplierInvoiceRecordedPayload = {
    supplierInvoiceId: id,
    supplierId: c.supplierId,
    invoiceNumber: c.invoiceNumber,
    purchaseOrderNumber: c.purchaseOrderNumber,
    currency: c.currency,
    total: c.total.toFixed(2),
  };
  await appendEvents(tx, ctx.correlationId, [
    {
      type: SUPPLIER_INVOICE_RECORDED,
      aggregateType: "SupplierInvoice",
      aggregateId: id,
      aggregateVersion: 1,
      occurredAt: new Date(),
      payload: { ...payload },
    },
  ]);
  return { state: "PROCESSED", result: { supplierInvoiceId: id, lines: c.lines.length, total: c.total.toFixed(2) } };
}

export interface SupplierInput {
  id: string;
  name: string;
  currency: string;
  paymentTerms?: string | null;
  termsDays?: number | null;
  gln?: string | null;
}

/** Creates or updates suppliers (at most 1,000 per call). */
export async function upsertSuppliers(db: Db, inputs: SupplierInput[]): Promise<Supplier[]> {
  if (inputs.length > 1000) throw invalidArgument("suppliers", `may hold at most 1,000, got ${inputs.length}`);
  inputs.forEach((s, i) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s.id ?? ""))
      throw invalidArgument(`suppliers[${i}].id`, `must be 1 to 64 letters, digits, _ . -, got ${JSON.stringify(s.id)}`);
    if (!s.name?.trim()) throw invalidArgument(`suppliers[${i}].name`, "must not be empty");
    if (!/^[A-Z]{3}$/.test(s.currency ?? "")) throw invalidArgument(`suppliers[${i}].currency`, `must be an ISO 4217 code, got ${JSON.stringify(s.currency)}`);
    if (s.termsDays != null && (!Number.isInteger(s.termsDays) || s.termsDays < 0 || s.termsDays > 365))
      throw invalidArgument(`suppliers[${i}].termsDays`, "must be a whole number from 0 to 365");
  });
  return db.$transaction(async (tx) => {
    const out: Supplier[] = [];
    for (const s of inputs) {
      const values = { name: s.name.trim(), currency: s.currency, paymentTerms: s.paymentTerms ?? null, termsDays: s.termsDays ?? null, gln: s.gln ?? null };
      out.push(await tx.supplier.upsert({ where: { id: s.id }, create: { id: s.id, ...values }, update: values }));
    }
    return out;
  });
}
