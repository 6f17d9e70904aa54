// Per-request DataLoaders for customers, business units and invoices.
import DataLoader from "dataloader";
import { Prisma } from "../../platform/db/generated/client.js";
import { loaderOfMany, loaderOfOne } from "../../platform/graphql/batch.js";
import type { Db } from "../../platform/db/client.js";

export function createFinanceLoaders(db: Db) {
  return {
    customerById: loaderOfOne(
      (ids: string[]) => db.customer.findMany({ where: { id: { in: ids } } }),
      (c) => c.id,
    ),
    businessUnitById: loaderOfOne(
      (ids: string[]) => db.businessUnit.findMany({ where: { id: { in: ids } } }),
      (b) => b.id,
    ),
    invoiceById: loaderOfOne(
      (ids: string[]) => db.invoice.findMany({ where: { id: { in: ids } } }),
      (i) => i.id,
    ),
    invoicesByOrderId: loaderOfMany(
      (ids: string[]) => db.invoice.findMany({ where: { orderId: { in: ids } }, orderBy: [{ invoiceDate: "asc" }, { id: "asc" }] }),
      (i) => i.orderId,
    ),
    invoicesByCustomerId: loaderOfMany(
      (ids: string[]) => db.invoice.findMany({ where: { customerId: { in: ids } }, orderBy: [{ invoiceDate: "desc" }, { id: "desc" }] }),
      (i) => i.customerId,
    ),
    invoiceByShipmentId: loaderOfOne(
      (ids: string[]) => db.invoice.findMany({ where: { shipmentId: { in: ids }, status: { not: "VOID" } } }),
      (i) => i.shipmentId,
    ),
    linesByInvoiceId: loaderOfMany(
      (ids: string[]) => db.invoiceLine.findMany({ where: { invoiceId: { in: ids } }, orderBy: [{ invoiceId: "asc" }, { lineNumber: "asc" }] }),
      (l) => l.invoiceId,
    ),
    adjustmentsByInvoiceId: loaderOfMany(
      (ids: string[]) => db.invoiceAdjustment.findMany({ where: { invoiceId: { in: ids } }, orderBy: [{ invoiceId: "asc" }, { id: "asc" }] }),
      (a) => a.invoiceId,
    ),
    /** Open balance per customer, summed in SQL so a customer with many invoices costs one row. */
    exposureByCustomerId: new DataLoader<string, Prisma.Decimal>(async (ids) => {
      const rows = await db.invoice.groupBy({
        by: ["customerId"],
        where: { customerId: { in: [...ids] }, status: "OPEN" },
        _sum: { total: true, amountPaid: true },
      });
      const byId = new Map(rows.map((r) => [r.customerId, new Prisma.Decimal(r._sum.total ?? 0).sub(r._sum.amountPaid ?? 0)]));
      return ids.map((id) => byId.get(id) ?? new Prisma.Decimal(0));
    }),
  };
}

export type FinanceLoaders = ReturnType<typeof createFinanceLoaders> & ReturnType<typeof createErpLoaders>;

/** Loaders of the ERP posting, credit memo and supplier records. */
export function createErpLoaders(db: Db) {
  return {
    postingById: loaderOfOne(
      (ids: string[]) => db.erpPosting.findMany({ where: { id: { in: ids } } }),
      (p) => p.id,
    ),
    postingHistory: loaderOfMany(
      (ids: string[]) => db.erpPostingHistory.findMany({ where: { postingId: { in: ids } }, orderBy: [{ postingId: "asc" }, { id: "asc" }] }),
      (h) => h.postingId,
    ),
    connectorByBusinessUnit: loaderOfOne(
      (ids: string[]) => db.erpConnector.findMany({ where: { businessUnitId: { in: ids } } }),
      (c) => c.businessUnitId,
    ),
    cursorsByBusinessUnit: loaderOfMany(
      (ids: string[]) => db.erpSyncCursor.findMany({ where: { businessUnitId: { in: ids } }, orderBy: { entity: "asc" } }),
      (c) => c.businessUnitId,
    ),
    creditMemoById: loaderOfOne(
      (ids: string[]) => db.creditMemo.findMany({ where: { id: { in: ids } } }),
      (c) => c.id,
    ),
    creditMemosByInvoiceId: loaderOfMany(
      (ids: string[]) => db.creditMemo.findMany({ where: { invoiceId: { in: ids } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
      (c) => c.invoiceId!,
    ),
    returnCreditById: loaderOfOne(
      (ids: string[]) => db.returnCredit.findMany({ where: { returnId: { in: ids } } }),
      (r) => r.returnId,
    ),
    // A return's memos: those that name it (sourceReference, as the return-credits consumer writes them) or carry its key (one made by hand).
    creditMemosByReturnId: loaderOfMany(
      (ids: string[]) =>
        db.creditMemo.findMany({
          where: { OR: [{ sourceReference: { in: ids } }, { idempotencyKey: { in: ids.map((id) => `RETURN:${id}`) } }] },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
      (c) => c.sourceReference ?? c.idempotencyKey.slice("RETURN:".length),
    ),
    creditMemoLines: loaderOfMany(
      (ids: string[]) => db.creditMemoLine.findMany({ where: { creditMemoId: { in: ids } }, orderBy: [{ creditMemoId: "asc" }, { lineNumber: "asc" }] }),
      (l) => l.creditMemoId,
    ),
    supplierById: loaderOfOne(
      (ids: string[]) => db.supplier.findMany({ where: { id: { in: ids } } }),
      (s) => s.id,
    ),
    supplierInvoiceById: loaderOfOne(
      (ids: string[]) => db.supplierInvoice.findMany({ where: { id: { in: ids } } }),
      (s) => s.id,
    ),
    supplierInvoiceLines: loaderOfMany(
      (ids: string[]) =>
        db.supplierInvoiceLine.findMany({ where: { supplierInvoiceId: { in: ids } }, orderBy: [{ supplierInvoiceId: "asc" }, { lineNumber: "asc" }] }),
      (l) => l.supplierInvoiceId,
    ),
    supplierInvoiceAdjustments: loaderOfMany(
      (ids: string[]) =>
        db.supplierInvoiceAdjustment.findMany({ where: { supplierInvoiceId: { in: ids } }, orderBy: [{ supplierInvoiceId: "asc" }, { id: "asc" }] }),
      (a) => a.supplierInvoiceId,
    ),
  };
}
