// The dataset erp-finance offers for bulk export (GET /export/invoices).
import type { ExportDataset } from "../../platform/export/http.js";
import { Scope } from "../../platform/auth/scopes.js";

const columns = [
  "id",
  "invoiceNumber",
  "orderId",
  "shipmentId",
  "customerId",
  "businessUnitId",
  "status",
  "postingStatus",
  "erpDocumentNumber",
  "postedAt",
  "invoiceDate",
  "dueDate",
  "currency",
  "subtotal",
  "chargesTotal",
  "allowancesTotal",
  "taxTotal",
  "total",
  "amountPaid",
] as const;

export const financeExports: ExportDataset[] = [
  {
    name: "invoices",
    scope: Scope.FINANCE_READ,
    columns,
    key: ["id"],
    dateColumns: ["invoiceDate", "dueDate"],
    select: Object.fromEntries(columns.map((c) => [c, true as const])),
    find: (db, args) => db.invoice.findMany(args as never),
  },
];
