// Finance queries with validated filters.
import { rowWhere, type Identity } from "../../platform/auth/identity.js";
import { buildConnection, cursorWhere, pageWindow, readDirection, type ConnectionModel, type PageArgs } from "../../platform/graphql/connection.js";
import type { Db } from "../../platform/db/client.js";
import type {
  CreditMemo,
  Customer,
  ErpFileImport,
  ErpFileState,
  Invoice,
  InvoiceStatus,
  PostingStatus,
  Prisma,
  SupplierInvoice,
} from "../../platform/db/generated/client.js";

export interface CustomerFilter {
  businessUnitId?: string | null;
  creditHold?: boolean | null;
  search?: string | null;
}

export async function listCustomers(
  db: Db,
  filter: CustomerFilter | null | undefined,
  page: PageArgs = {},
  identity?: Identity | null,
): Promise<ConnectionModel<Customer>> {
  const window = pageWindow(page, 1);
  const dir = readDirection("asc", window);
  // A customer's token lists only itself; a business unit's token only that unit's customers.
  const scope = rowWhere(identity);
  const where: Prisma.CustomerWhereInput = {
    ...(scope.customerId && { id: scope.customerId }),
    ...(scope.businessUnitId && { AND: [{ businessUnitId: scope.businessUnitId }] }),
  };
  if (filter?.businessUnitId) where.businessUnitId = filter.businessUnitId;
  if (filter?.creditHold != null) where.creditHold = filter.creditHold;
  if (filter?.search) where.name = { contains: filter.search, mode: "insensitive" };
  const rows = await db.customer.findMany({
    where: { AND: [where, cursorWhere(window, null, "asc") as Prisma.CustomerWhereInput] },
    orderBy: { id: dir },
    take: window.limit + 1,
  });
  return buildConnection(
    rows,
    window,
    (c) => [c.id],
    () => db.customer.count({ where }),
  );
}

export interface InvoiceFilter {
  orderId?: string | null;
  customerId?: string | null;
  status?: InvoiceStatus[] | null;
  postingStatus?: PostingStatus[] | null;
}

export async function listInvoices(
  db: Db,
  filter: InvoiceFilter | null | undefined,
  page: PageArgs = {},
  identity?: Identity | null,
): Promise<ConnectionModel<Invoice>> {
  const window = pageWindow(page, 2);
  const dir = readDirection("desc", window);
  const where: Prisma.InvoiceWhereInput = { AND: [rowWhere(identity)] };
  if (filter?.orderId) where.orderId = filter.orderId;
  if (filter?.customerId) where.customerId = filter.customerId;
  if (filter?.status?.length) where.status = { in: filter.status };
  if (filter?.postingStatus?.length) where.postingStatus = { in: filter.postingStatus };
  const rows = await db.invoice.findMany({
    where: { AND: [where, cursorWhere(window, "invoiceDate", "desc") as Prisma.InvoiceWhereInput] },
    orderBy: [{ invoiceDate: dir }, { id: dir }],
    take: window.limit + 1,
  });
  return buildConnection(
    rows,
    window,
    (i) => [i.invoiceDate.toISOString(), i.id],
    () => db.invoice.count({ where }),
  );
}

export async function listCreditMemos(
  db: Db,
  filter: { customerId?: string | null; invoiceId?: string | null; orderId?: string | null; postingStatus?: PostingStatus[] | null } | null | undefined,
  page: PageArgs = {},
  identity?: Identity | null,
): Promise<ConnectionModel<CreditMemo>> {
  const window = pageWindow(page, 2);
  const dir = readDirection("desc", window);
  // A customer's or business unit's token sees its own memos only.
  const where: Prisma.CreditMemoWhereInput = { ...rowWhere(identity) };
  if (filter?.customerId) where.customerId = filter.customerId;
  if (filter?.invoiceId) where.invoiceId = filter.invoiceId;
  if (filter?.orderId) where.orderId = filter.orderId;
  if (filter?.postingStatus?.length) where.postingStatus = { in: filter.postingStatus };
  const rows = await db.creditMemo.findMany({
    where: { AND: [where, cursorWhere(window, "createdAt", "desc") as Prisma.CreditMemoWhereInput] },
    orderBy: [{ createdAt: dir }, { id: dir }],
    take: window.limit + 1,
  });
  return buildConnection(
    rows,
    window,
    (c) => [c.createdAt.toISOString(), c.id],
    () => db.creditMemo.count({ where }),
  );
}

export async function listSupplierInvoices(
  db: Db,
  filter: { supplierId?: string | null; purchaseOrderNumber?: string | null } | null | undefined,
  page: PageArgs = {},
): Promise<ConnectionModel<SupplierInvoice>> {
  const window = pageWindow(page, 2);
  const dir = readDirection("desc", window);
  const where: Prisma.SupplierInvoiceWhereInput = {};
  if (filter?.supplierId) where.supplierId = filter.supplierId;
  if (filter?.purchaseOrderNumber) where.purchaseOrderNumber = filter.purchaseOrderNumber;
  const rows = await db.supplierInvoice.findMany({
    where: { AND: [where, cursorWhere(window, "receivedAt", "desc") as Prisma.SupplierInvoiceWhereInput] },
    orderBy: [{ receivedAt: dir }, { id: dir }],
    take: window.limit + 1,
  });
  return buildConnection(
    rows,
    window,
    (i) => [i.receivedAt.toISOString(), i.id],
    () => db.supplierInvoice.count({ where }),
  );
}

export async function listErpFileImports(
  db: Db,
  businessUnitId: string | null | undefined,
  state: ErpFileState[] | null | undefined,
  page: PageArgs = {},
): Promise<ConnectionModel<ErpFileImport>> {
  const window = pageWindow(page, 2);
  const dir = readDirection("desc", window);
  const where: Prisma.ErpFileImportWhereInput = {};
  if (businessUnitId) where.businessUnitId = businessUnitId;
  if (state?.length) where.state = { in: state };
  const rows = await db.erpFileImport.findMany({
    where: { AND: [where, cursorWhere(window, "receivedAt", "desc") as Prisma.ErpFileImportWhereInput] },
    orderBy: [{ receivedAt: dir }, { id: dir }],
    take: window.limit + 1,
  });
  return buildConnection(
    rows,
    window,
    (i) => [i.receivedAt.toISOString(), i.id],
    () => db.erpFileImport.count({ where }),
  );
}
