// A received return credits the customer. The erp-finance.return-credits consumer takes the orders
// domain's ReturnChanged when a return becomes RECEIVED, keeps it in its own read model
// (finance.ReturnCredit: erp-finance never reads orders' tables) and credits what came back
// through createCreditMemo, which posts the memo to the business unit's ERP through the posting
// queue. Rules:
// - each returned order line is credited against that order line's invoice lines (oldest invoice
//   first), at the invoiced unit price, never beyond invoiced minus what memos already credited;
// - one memo per invoice credited, keyed RETURN:<return id> (the usual single invoice), then
//   RETURN:<return id>:2, :3 for a return whose lines were billed on several invoices;
// - what is shipped but not yet invoiced is waited for: the return stays WAITING_FOR_INVOICE (no
//   memo at all, so one return is not split over time) and the invoicing consumer settles it in the
//   transaction that creates the order's next invoice;
// - what was invoiced but already credited (an earlier return, a manual memo) is not credited
//   again: PARTLY_CREDITED or NOTHING_TO_CREDIT, with the shortfall per line in the note.
// Exactly once under redelivery: a return already settled is left alone; createCreditMemo's key
// and the invoice row locks stand behind it. A memo someone made by hand under RETURN:<return id>
// is taken as the return's credit (CREDITED, said in the note), not doubled.
import { Prisma, type ReturnCredit } from "../../platform/db/generated/client.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import type { Tx } from "../../platform/events/event-log.js";
import { ReturnChanged, type ReturnChangedPayload } from "../orders/returns.js";
import { createCreditMemo, type CreditMemoLineInput } from "./credit-memos.js";

/** One returned order line as erp-finance keeps it. shipped null: unknown (an event from before returnLines). */
export interface ReturnCreditLine {
  lineNumber: number;
  orderLineId: string;
  sku: string;
  unit: string;
  unitPrice: string;
  received: number;
  shipped: number | null;
}

export const returnCreditKey = (returnId: string, n: number) => (n === 1 ? `RETURN:${returnId}` : `RETURN:${returnId}:${n}`);

function creditLinesOf(p: ReturnChangedPayload): ReturnCreditLine[] {
  if (p.returnLines) {
    return p.returnLines
      .filter((l) => l.received > 0)
      .map((l) => ({
        lineNumber: l.lineNumber,
        orderLineId: l.orderLineId,
        sku: l.sku,
        unit: l.unit,
        unitPrice: l.unitPrice,
        received: l.received,
        shipped: l.shipped,
      }));
  }
  // Appended before returnLines existed: the lines are this receipt's, and with the return RECEIVED each authorized quantity came back.
  return p.lines.map((l) => ({
    lineNumber: l.lineNumber,
    orderLineId: l.orderLineId,
    sku: l.sku,
    unit: l.unit,
    unitPrice: l.unitPrice,
    received: l.authorized,
    shipped: null,
  }));
}

/** Records a return received in full and credits it (or leaves it waiting for its invoice). Idempotent. */
export async function creditReceivedReturn(tx: Tx, p: ReturnChangedPayload, correlationId: string): Promise<ReturnCredit> {
  const existing = await tx.returnCredit.findUnique({ where: { returnId: p.returnId } });
  if (existing && existing.status !== "WAITING_FOR_INVOICE") return existing;
  const row =
    existing ??
    (await tx.returnCredit.create({
      data: {
        returnId: p.returnId,
        returnNumber: p.returnNumber,
        orderId: p.orderId,
        customerId: p.customerId,
        reason: p.reason,
        status: "WAITING_FOR_INVOICE",
        lines: creditLinesOf(p) as unknown as Prisma.InputJsonValue,
        correlationId,
      },
    }));
  return settleReturnCredit(tx, row);
}

/** Called by the invoicing consumer after it created an invoice for the order: credits returns that waited for it. */
export async function settleWaitingReturnCredits(tx: Tx, orderId: string): Promise<void> {
  const waiting = await tx.returnCredit.findMany({ where: { orderId, status: "WAITING_FOR_INVOICE" }, orderBy: { createdAt: "asc" } });
  for (const row of waiting) await settleReturnCredit(tx, row);
}

async function settleReturnCredit(tx: Tx, row: ReturnCredit): Promise<ReturnCredit> {
  const lines = row.lines as unknown as ReturnCreditLine[];
  // Finance may have credited the return by hand under its key (createCreditMemo, RETURN:<return id>)
  // before it was received in full, or before this consumer existed: that memo is the return's credit.
  const byHand = await tx.creditMemo.findUnique({ where: { idempotencyKey: returnCreditKey(row.returnId, 1) } });
  if (byHand) {
    return tx.returnCredit.update({
      where: { returnId: row.returnId },
      data: {
        status: "CREDITED",
        note: `credited before it was received in full, by ${byHand.creditMemoNumber} (key ${byHand.idempotencyKey}); nothing more credited`,
      },
    });
  }
  const invoices = await tx.invoice.findMany({
    where: { orderId: row.orderId, status: { not: "VOID" } },
    include: { lines: { orderBy: { lineNumber: "asc" } } },
    orderBy: [{ invoiceDate: "asc" }, { id: "asc" }],
  });
  const invoiceIds = invoices.map((i) => i.id);
  const credited = new Map<string, number>();
  const creditedKey = (invoiceId: string, lineNumber: number) => `${invoiceId}#${lineNumber}`;
  if (invoiceIds.length) {
    // The same lock createCreditMemo takes, taken first and in one order: what is left to credit cannot change under us.
    await tx.$queryRaw`SELECT 1 FROM "finance"."Invoice" WHERE "id" IN (${Prisma.join(invoiceIds)}) ORDER BY "id" FOR UPDATE`;
    const done = await tx.creditMemoLine.findMany({
      where: { creditMemo: { invoiceId: { in: invoiceIds }, status: { not: "VOID" } }, invoiceLineNumber: { not: null } },
      select: { quantity: true, invoiceLineNumber: true, creditMemo: { select: { invoiceId: true } } },
    });
    for (const d of done) {
      const k = creditedKey(d.creditMemo.invoiceId!, d.invoiceLineNumber!);
      credited.set(k, (credited.get(k) ?? 0) + d.quantity);
    }
  }

  const byInvoice = new Map<string, CreditMemoLineInput[]>();
  const waiting: string[] = [];
  const short: string[] = [];
  for (const l of lines) {
    const billed = invoices.flatMap((invoice) =>
      invoice.lines.filter((x) => x.orderLineId === l.orderLineId && x.unit === l.unit).map((line) => ({ invoice, line })),
    );
    const invoiced = billed.reduce((s, b) => s + b.line.quantity, 0);
    let need = l.received;
    for (const { invoice, line } of billed) {
      const k = creditedKey(invoice.id, line.lineNumber);
      const take = Math.min(need, line.quantity - (credited.get(k) ?? 0));
      if (take <= 0) continue;
      credited.set(k, (credited.get(k) ?? 0) + take);
      need -= take;
      byInvoice.set(invoice.id, [...(byInvoice.get(invoice.id) ?? []), { sku: line.sku, quantity: take, invoiceLineNumber: line.lineNumber }]);
      if (need === 0) break;
    }
    if (need === 0) continue;
    if (l.shipped != null && invoiced < l.shipped) {
      waiting.push(`line ${l.lineNumber} (${l.sku}): ${l.shipped} ${l.unit} shipped, ${invoiced} invoiced so far`);
    } else {
      short.push(
        `line ${l.lineNumber} (${l.sku}): ${need} of the ${l.received} ${l.unit} returned not credited (${invoiced} invoiced, the rest already credited)`,
      );
    }
  }
  if (waiting.length) {
    return tx.returnCredit.update({ where: { returnId: row.returnId }, data: { note: `waiting for the invoice: ${waiting.join("; ")}` } });
  }
  let n = 0;
  for (const [invoiceId, memoLines] of byInvoice) {
    n += 1;
    await createCreditMemo(
      tx,
      {
        idempotencyKey: returnCreditKey(row.returnId, n),
        invoiceId,
        orderId: row.orderId,
        reason: `Return ${row.returnNumber}: ${row.reason}`,
        sourceReference: row.returnId,
        lines: memoLines,
      },
      { correlationId: row.correlationId },
    );
  }
  return tx.returnCredit.update({
    where: { returnId: row.returnId },
    data: { status: n === 0 ? "NOTHING_TO_CREDIT" : short.length ? "PARTLY_CREDITED" : "CREDITED", note: short.length ? short.join("; ") : null },
  });
}

export const returnCreditConsumer: ConsumerDefinition = {
  name: "erp-finance.return-credits",
  types: [ReturnChanged.name],
  // Only the receipt that completes the return: one memo per return, for all of it.
  wants: (event) => ((p) => p.change === "RECEIVED" && p.status === "RECEIVED")(ReturnChanged.payloadOf(event)),
  async handle(event, tx) {
    await creditReceivedReturn(tx, ReturnChanged.payloadOf(event), event.correlationId);
  },
};
