// Our invoices and credit memos as the documents an ERP receives (sources/erp/connector.ts
// ErpDocument), with the ERP's own numbers: the customer's (an external ref or a CUSTOMER
// cross-reference under the connector's system) and each item's (a PRODUCT cross-reference under
// that system, else our sku). What cannot be posted as it stands is named, per document.
import type { Db } from "../../../platform/db/client.js";
import type { ErpPosting } from "../../../platform/db/generated/client.js";
import { referencesTo } from "../../../platform/mapping/index.js";
import type { ErpDocument } from "../sources/erp/connector.js";

const day = (d: Date) => d.toISOString().slice(0, 10);
const money = (v: { toFixed(dp: number): string }) => v.toFixed(2);

/** What an invoice line and a credit-memo line have in common, as the document needs it. */
interface DocumentLineRow {
  lineNumber: number;
  sku: string;
  quantity: number;
  unit: string;
  unitPrice: { toFixed(dp: number): string };
  amount: { toFixed(dp: number): string };
}

export type LoadedDocument = { posting: ErpPosting; document: ErpDocument } | { posting: ErpPosting; problem: string };

export async function loadDocuments(db: Db, postings: ErpPosting[], system: string): Promise<LoadedDocument[]> {
  const invoiceIds = postings.filter((p) => p.documentType === "INVOICE").map((p) => p.documentId);
  const memoIds = postings.filter((p) => p.documentType === "CREDIT_MEMO").map((p) => p.documentId);
  const [invoices, memos] = await Promise.all([
    invoiceIds.length
      ? db.invoice.findMany({
          where: { id: { in: invoiceIds } },
          include: { lines: { orderBy: { lineNumber: "asc" } }, adjustments: { orderBy: { id: "asc" } } },
        })
      : [],
    memoIds.length ? db.creditMemo.findMany({ where: { id: { in: memoIds } }, include: { lines: { orderBy: { lineNumber: "asc" } } } }) : [],
  ]);
  const customerIds = [...new Set([...invoices.map((i) => i.customerId), ...memos.map((m) => m.customerId)])];
  const skus = [...new Set([...invoices.flatMap((i) => i.lines.map((l) => l.sku)), ...memos.flatMap((m) => m.lines.map((l) => l.sku))])];
  const creditedInvoiceIds = memos.map((m) => m.invoiceId).filter((x): x is string => !!x);
  const [customers, customerRefs, itemRefs, creditedInvoices] = await Promise.all([
    db.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, externalRefs: true } }),
    referencesTo(db, "CUSTOMER", customerIds),
    referencesTo(db, "PRODUCT", skus),
    creditedInvoiceIds.length ? db.invoice.findMany({ where: { id: { in: creditedInvoiceIds } }, select: { id: true, invoiceNumber: true } }) : [],
  ]);
  const customerNumber = new Map<string, string>();
  for (const r of customerRefs) if (r.system === system && !customerNumber.has(r.canonicalId)) customerNumber.set(r.canonicalId, r.externalValue);
  // The customer's own external ref under the ERP's system wins over a cross-reference.
  for (const c of customers) {
    const ref = (c.externalRefs as { system?: string; value?: string }[]).find((r) => r.system === system && r.value);
    if (ref) customerNumber.set(c.id, ref.value!);
  }
  const itemNumber = new Map<string, string>();
  for (const r of itemRefs) if (r.system === system && !itemNumber.has(r.canonicalId)) itemNumber.set(r.canonicalId, r.externalValue);
  // Invoice and credit-memo lines alike, with the ERP's item number where it has one.
  const documentLines = (lines: DocumentLineRow[]): ErpDocument["lines"] =>
    lines.map((l) => ({
      lineNumber: l.lineNumber,
      itemNumber: itemNumber.get(l.sku) ?? l.sku,
      sku: l.sku,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice.toFixed(4),
      amount: money(l.amount),
    }));
  const invoiceById = new Map(invoices.map((i) => [i.id, i]));
  const memoById = new Map(memos.map((m) => [m.id, m]));
  const invoiceNumberById = new Map(creditedInvoices.map((i) => [i.id, i.invoiceNumber]));

  const noNumber = (customerId: string) =>
    `customer ${customerId} has no customer number in ${system} (no external ref or CUSTOMER cross-reference under ${system}): import the ERP's customers, or add the cross-reference, then retry`;
  return postings.map((posting): LoadedDocument => {
    if (posting.documentType === "INVOICE") {
      const i = invoiceById.get(posting.documentId);
      if (!i) return { posting, problem: `invoice ${posting.documentId} does not exist` };
      if (i.status === "VOID") return { posting, problem: `invoice ${i.invoiceNumber} is VOID: not posted` };
      const number = customerNumber.get(i.customerId);
      if (!number) return { posting, problem: noNumber(i.customerId) };
      const adj = (kind: "CHARGE" | "ALLOWANCE") =>
        i.adjustments.filter((a) => a.kind === kind).map((a) => ({ code: a.code, description: a.description, amount: money(a.amount) }));
      return {
        posting,
        document: {
          type: "INVOICE",
          number: i.invoiceNumber,
          date: day(i.invoiceDate),
          dueDate: day(i.dueDate),
          customerNumber: number,
          currency: i.currency,
          customerPo: null,
          orderReference: i.orderId,
          appliesToInvoice: null,
          lines: documentLines(i.lines),
          charges: adj("CHARGE"),
          allowances: adj("ALLOWANCE"),
          taxTotal: money(i.taxTotal),
          total: money(i.total),
        },
      };
    }
    const m = memoById.get(posting.documentId);
    if (!m) return { posting, problem: `credit memo ${posting.documentId} does not exist` };
    if (m.status === "VOID") return { posting, problem: `credit memo ${m.creditMemoNumber} is VOID: not posted` };
    const number = customerNumber.get(m.customerId);
    if (!number) return { posting, problem: noNumber(m.customerId) };
    return {
      posting,
      document: {
        type: "CREDIT_MEMO",
        number: m.creditMemoNumber,
        date: day(m.creditMemoDate),
        dueDate: null,
        customerNumber: number,
        currency: m.currency,
        customerPo: null,
        orderReference: m.orderId,
        appliesToInvoice: m.invoiceId ? (invoiceNumberById.get(m.invoiceId) ?? null) : null,
        lines: documentLines(m.lines),
        charges: [],
        allowances: [],
        taxTotal: money(m.taxTotal),
        total: money(m.total),
      },
    };
  });
}
