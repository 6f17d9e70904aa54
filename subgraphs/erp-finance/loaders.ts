// Per-request DataLoaders for customers, business units and invoices.
import DataLoader from "dataloader";
import { Prisma } from "../../platform/db/generated/client.js";
import { loaderOfMany, loaderOfOne } from "../../platform/graphql/batch.js";
import type { Db } from "../../platform/db/client.js";

export function createFinanceLoaders(db: Db) {
  return {
    customerById: loaderOfOne((ids: string[]) => db.customer.findMany({ where: { id: { in: ids } } }), (c) => c.id),
    businessUnitById: loaderOfOne((ids: string[]) => db.businessUnit.findMany({ where: { id: { in: ids } } }), (b) => b.id),
    invoiceById: loaderOfOne((ids: string[]) => db.invoice.findMany({ where: { id: { in: ids } } }), (i) => i.id),
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

export type FinanceLoaders = ReturnType<typeof createFinanceLoaders>;
