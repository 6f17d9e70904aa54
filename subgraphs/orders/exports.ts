// The datasets orders offers for bulk export (GET /export/orders, /export/lines).
import type { ExportDataset } from "../../platform/export/http.js";
import { Scope } from "../../platform/auth/scopes.js";

const orderColumns = [
  "id",
  "orderNumber",
  "customerId",
  "customerPo",
  "channel",
  "businessUnitId",
  "status",
  "currency",
  "placedAt",
  "requestedShipDate",
  "requestedDeliveryDate",
  "shipToLocationId",
  "version",
  "createdAt",
  "updatedAt",
] as const;
const lineColumns = [
  "id",
  "orderId",
  "lineNumber",
  "sku",
  "unit",
  "unitFactor",
  "baseUnit",
  "unitPrice",
  "quantityOrdered",
  "quantityAllocated",
  "quantityBackordered",
  "quantityShipped",
  "quantityInvoiced",
  "requestedDate",
] as const;
const select = (columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, true as const]));

export const orderExports: ExportDataset[] = [
  {
    name: "orders",
    scope: Scope.ORDERS_READ,
    columns: orderColumns,
    key: ["id"],
    dateColumns: ["requestedShipDate", "requestedDeliveryDate"],
    select: select(orderColumns),
    find: (db, args) => db.order.findMany(args as never),
  },
  {
    name: "lines",
    scope: Scope.ORDERS_READ,
    columns: lineColumns,
    key: ["id"],
    dateColumns: ["requestedDate"],
    select: select(lineColumns),
    find: (db, args) => db.orderLine.findMany(args as never),
  },
];
