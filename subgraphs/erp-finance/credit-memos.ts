// Credit memos: what a return (or a price correction) credits the customer, posted to the
// business unit's ERP like an invoice. createCreditMemo is the command the returns flow calls, in
// its own transaction; it appends CreditMemoCreated and schedules the posting in that transaction.
//
// Rules: a memo against an invoice takes the invoice's customer, business unit, currency and tax
// rate, and never credits an invoice line beyond its invoiced quantity minus what earlier memos
// (not VOID) credited; without an invoice, the customer and each line's price are required.
// Idempotent by the caller's key: the same key and content give the first memo; the same key with
// other content is refused (IDEMPOTENCY_KEY_REUSED).
import { createHash } from "node:crypto";
import { Prisma, type CreditMemo, type CreditMemoLine } from "../../platform/db/generated/client.js";
import { appendEvents, type Tx } from "../../platform/events/event-log.js";
import { DomainError, ErrorCode, invalidArgument } from "../../platform/errors.js";
import { isRealCalendarDate } from "../../platform/graphql/scalars.js";
import { CREDIT_MEMO_CREATED, type CreditMemoCreatedPayload } from "./events.js";
import { schedulePosting } from "./posting/schedule.js";

const D = Prisma.Decimal;
const cents = (d: Prisma.Decimal) => d.toDecimalPlaces(2, D.ROUND_HALF_UP);
/** One sequence of memo numbers; the lock makes concurrent memos take different numbers. */
const NUMBER_LOCK_KEY = 7_340_210;

export interface CreditMemoLineInput {
  sku: string;
  quantity: number;
  /** Default: the invoice line's unit. */
  unit?: string | null;
  /** Per unit; default: the invoice line's price (required without an invoice). */
  unitPrice?: string | null;
  /** The invoice line credited; default: the first invoice line of that sku. */
  invoiceLineNumber?: number | null;
}

export interface CreditMemoInput {
  /** The caller's key: RETURN:<return id>, or one of an agent's choosing. */
  idempotencyKey: string;
  invoiceId?: string | null;
  /** Required without an invoice. */
  customerId?: string | null;
  orderId?: string | null;
  reason: string;
  /** What it answers to in the caller's domain (a return authorization id). */
  sourceReference?: string | null;
  /** YYYY-MM-DD; default today (UTC). */
  creditMemoDate?: string | null;
  /** Default: the invoice's rate, else 0. */
  taxRate?: string | null;
  lines: CreditMemoLineInput[];
}

export type CreditMemoWithLines = CreditMemo & { lines: CreditMemoLine[] };
export type CreateCreditMemoResult = { creditMemo: CreditMemoWithLines; created: boolean };

const requestHash = (input: CreditMemoInput) =>
  createHash("sha256")
    .update(
      JSON.stringify({
        ...input,
        idempotencyKey: undefined,
        lines: input.lines.map((l) => ({ ...l, unitPrice: l.unitPrice == null ? null : new D(l.unitPrice).toString() })),
      }),
    )
    .digest("hex");

function decimal(name: string, value: string, min = 0): Prisma.Decimal {
  let d: Prisma.Decimal;
  try {
    d = new D(value);
  } catch {
    throw invalidArgument(name, `must be a decimal number, got ${JSON.stringify(value)}`);
  }
  if (!d.isFinite() || d.lt(min)) throw invalidArgument(name, `must be a decimal number >= ${min}, got ${JSON.stringify(value)}`);
  return d;
}

export async function createCreditMemo(tx: Tx, input: CreditMemoInput, ctx: { correlationId: string; now?: Date }): Promise<CreateCreditMemoResult> {
  const key = input.idempotencyKey?.trim();
  if (!key || key.length > 200) throw invalidArgument("idempotencyKey", "must be 1 to 200 characters");
  if (!input.reason?.trim()) throw invalidArgument("reason", "must say why the customer is credited");
  if (!input.lines?.length) throw invalidArgument("lines", "must hold at least one line");
  if (input.lines.length > 500) throw invalidArgument("lines", "may hold at most 500 lines");
  const hash = requestHash(input);
  const existing = await tx.creditMemo.findUnique({ where: { idempotencyKey: key }, include: { lines: { orderBy: { lineNumber: "asc" } } } });
  if (existing) {
    if (existing.requestHash !== hash)
      throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, `credit memo key "${key}" was used for ${existing.creditMemoNumber} with different content`, {
        creditMemoId: existing.id,
      });
    return { creditMemo: existing, created: false };
  }
  const now = ctx.now ?? new Date();
  const memoDate = input.creditMemoDate ?? now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(memoDate) || !isRealCalendarDate(memoDate))
    throw invalidArgument("creditMemoDate", `must be a date YYYY-MM-DD, got ${JSON.stringify(input.creditMemoDate)}`);

  const invoice = input.invoiceId
    ? await tx.invoice.findUnique({ where: { id: input.invoiceId }, include: { lines: { orderBy: { lineNumber: "asc" } } } })
    : null;
  if (input.invoiceId && !invoice) throw new DomainError(ErrorCode.NOT_FOUND, `invoice ${input.invoiceId} does not exist`);
  if (invoice?.status === "VOID") throw invalidArgument("invoiceId", `invoice ${invoice.invoiceNumber} is VOID: nothing to credit`);
  if (invoice && input.customerId && input.customerId !== invoice.customerId)
    throw invalidArgument("customerId", `is ${input.customerId}, but invoice ${invoice.invoiceNumber} is the customer ${invoice.customerId}'s`);
  const customerId = invoice?.customerId ?? input.customerId;
  if (!customerId) throw invalidArgument("customerId", "is required for a credit memo that credits no invoice");
  const customer = await tx.customer.findUnique({ where: { id: customerId } });
  if (!customer) throw new DomainError(ErrorCode.NOT_FOUND, `customer ${customerId} does not exist`);
  const taxRate = input.taxRate != null ? decimal("taxRate", input.taxRate) : (invoice?.taxRate ?? new D(0));
  if (taxRate.gt(1)) throw invalidArgument("taxRate", `is a fraction (0.0825 for 8.25%), got ${input.taxRate}`);

  // What earlier memos credited per invoice line (locked with the invoice row: two memos at once cannot both take the last unit).
  const credited = new Map<number, number>();
  if (invoice) {
    await tx.$queryRaw`SELECT 1 FROM "finance"."Invoice" WHERE "id" = ${invoice.id} FOR UPDATE`;
    const rows = await tx.creditMemoLine.groupBy({
      by: ["invoiceLineNumber"],
      where: { creditMemo: { invoiceId: invoice.id, status: { not: "VOID" } } },
      _sum: { quantity: true },
    });
    for (const r of rows) if (r.invoiceLineNumber != null) credited.set(r.invoiceLineNumber, r._sum.quantity ?? 0);
  }
  const lines = input.lines.map((l, i) => {
    const at = `lines[${i}]`;
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > 1_000_000_000)
      throw invalidArgument(`${at}.quantity`, `must be a whole number >= 1, got ${l.quantity}`);
    if (!l.sku?.trim()) throw invalidArgument(`${at}.sku`, "must name the product credited");
    let invoiceLine = null;
    if (invoice) {
      invoiceLine =
        l.invoiceLineNumber != null ? invoice.lines.find((x) => x.lineNumber === l.invoiceLineNumber) : invoice.lines.find((x) => x.sku === l.sku.trim());
      if (!invoiceLine)
        throw invalidArgument(
          `${at}`,
          l.invoiceLineNumber != null
            ? `invoice ${invoice.invoiceNumber} has no line ${l.invoiceLineNumber}`
            : `invoice ${invoice.invoiceNumber} bills no ${l.sku}`,
        );
      if (invoiceLine.sku !== l.sku.trim())
        throw invalidArgument(`${at}.sku`, `is ${l.sku}, but invoice line ${invoiceLine.lineNumber} bills ${invoiceLine.sku}`);
      const left = invoiceLine.quantity - (credited.get(invoiceLine.lineNumber) ?? 0);
      if (l.quantity > left) {
        throw invalidArgument(
          `${at}.quantity`,
          `${l.quantity} is more than invoice line ${invoiceLine.lineNumber} has left to credit: ${invoiceLine.quantity} invoiced, ${invoiceLine.quantity - left} credited before`,
        );
      }
      credited.set(invoiceLine.lineNumber, (credited.get(invoiceLine.lineNumber) ?? 0) + l.quantity);
    }
    const unitPrice = l.unitPrice != null ? decimal(`${at}.unitPrice`, l.unitPrice) : invoiceLine?.unitPrice;
    if (!unitPrice) throw invalidArgument(`${at}.unitPrice`, "is required for a credit memo that credits no invoice");
    const unit = l.unit?.trim() || invoiceLine?.unit;
    if (!unit) throw invalidArgument(`${at}.unit`, "is required for a credit memo that credits no invoice");
    return {
      lineNumber: i + 1,
      invoiceLineNumber: invoiceLine?.lineNumber ?? null,
      sku: l.sku.trim(),
      quantity: l.quantity,
      unit,
      unitPrice: new D(unitPrice),
      amount: cents(new D(unitPrice).mul(l.quantity)),
    };
  });
  const subtotal = lines.reduce((s, l) => s.add(l.amount), new D(0));
  const taxTotal = cents(subtotal.mul(taxRate));

  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NUMBER_LOCK_KEY})`;
  const [{ n }] = await tx.$queryRaw<
    { n: number | null }[]
  >`SELECT MAX(CAST(SUBSTRING("id" FROM 5) AS INTEGER)) AS n FROM "finance"."CreditMemo" WHERE "id" ~ '^CRM-[0-9]+$'`;
  const seq = (n ?? 0) + 1;
  const id = `CRM-${String(seq).padStart(6, "0")}`;
  const memo = await tx.creditMemo.create({
    data: {
      id,
      creditMemoNumber: `CM-${memoDate.slice(0, 4)}-${String(seq).padStart(6, "0")}`,
      idempotencyKey: key,
      requestHash: hash,
      invoiceId: invoice?.id ?? null,
      orderId: input.orderId ?? invoice?.orderId ?? null,
      customerId,
      businessUnitId: invoice?.businessUnitId ?? customer.businessUnitId,
      creditMemoDate: new Date(`${memoDate}T00:00:00Z`),
      currency: invoice?.currency ?? customer.currency,
      reason: input.reason.trim(),
      sourceReference: input.sourceReference ?? null,
      subtotal,
      taxRate,
      taxTotal,
      total: subtotal.add(taxTotal),
      lines: { create: lines.map((l) => ({ id: `${id}-${l.lineNumber}`, ...l })) },
    },
    include: { lines: { orderBy: { lineNumber: "asc" } } },
  });
  const payload: CreditMemoCreatedPayload = {
    creditMemoId: memo.id,
    creditMemoNumber: memo.creditMemoNumber,
    invoiceId: memo.invoiceId,
    orderId: memo.orderId,
    customerId: memo.customerId,
    businessUnitId: memo.businessUnitId,
    currency: memo.currency,
    total: memo.total.toFixed(2),
    sourceReference: memo.sourceReference,
  };
  await appendEvents(tx, ctx.correlationId, [
    { type: CREDIT_MEMO_CREATED, aggregateType: "CreditMemo", aggregateId: memo.id, aggregateVersion: 1, occurredAt: now, payload: { ...payload } },
  ]);
  await schedulePosting(tx, { documentType: "CREDIT_MEMO", documentId: memo.id }, ctx.correlationId);
  return { creditMemo: memo, created: true };
}
