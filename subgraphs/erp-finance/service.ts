// Finance queries with validated filters.
import { afterCursorWhere, buildConnection, decodeCursor, pageSize, type ConnectionModel } from "../../platform/graphql/connection.js";
import type { Db } from "../../platform/db/client.js";
import type { Customer, Invoice, InvoiceStatus, PostingStatus, Prisma } from "../../platform/db/generated/client.js";

export interface CustomerFilter {
  businessUnitId?: string | null;
  creditHold?: boolean | null;
  search?: string | null;
}

export async function listCustomers(db: Db, filter: CustomerFilter | null | undefined, first?: number | null, after?: string | null): Promise<ConnectionModel<Customer>> {
  const limit = pageSize(first);
  const where: Prisma.CustomerWhereInput = {};
  if (filter?.businessUnitId) where.businessUnitId = filter.businessUnitId;
  if (filter?.creditHold != null) where.creditHold = filter.creditHold;
  if (filter?.search) where.name = { contains: filter.search, mode: "insensitive" };
  const rows = await db.customer.findMany({
    where: { AND: [where, afterCursorWhere(decodeCursor(after, 1), null, "asc") as Prisma.CustomerWhereInput] },
    orderBy: { id: "asc" },
    take: limit + 1,
  });
  return buildConnection(rows, limit, (c) => [c.id], () => db.customer.count({ where }));
}

export interface InvoiceFilter {
  orderId?: string | null;
  customerId?: string | null;
  status?: InvoiceStatus[] | null;
  postingStatus?: PostingStatus[] | null;
}

export async function listInvoices(db: Db, filter: InvoiceFilter | null | undefined, first?: number | null, after?: string | null): Promise<ConnectionModel<Invoice>> {
  const limit = pageSize(first);
  const where: Prisma.InvoiceWhereInput = {};
  if (filter?.orderId) where.orderId = filter.orderId;
  if (filter?.customerId) where.customerId = filter.customerId;
  if (filter?.status?.length) where.status = { in: filter.status };
  if (filter?.postingStatus?.length) where.postingStatus = { in: filter.postingStatus };
  const rows = await db.invoice.findMany({
    where: { AND: [where, afterCursorWhere(decodeCursor(after, 2), "invoiceDate", "desc") as Prisma.InvoiceWhereInput] },
    orderBy: [{ invoiceDate: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  return buildConnection(rows, limit, (i) => [i.invoiceDate.toISOString(), i.id], () => db.invoice.count({ where }));
}
