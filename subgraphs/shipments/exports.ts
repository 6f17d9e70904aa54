// The dataset shipments offers for bulk export (GET /export/shipments).
import type { ExportDataset } from "../../platform/export/http.js";
import { Scope } from "../../platform/auth/scopes.js";

const columns = [
  "id",
  "shipmentNumber",
  "orderId",
  "shipFromLocationId",
  "carrierScac",
  "serviceLevel",
  "trackingNumber",
  "status",
  "shippedAt",
  "estimatedDelivery",
  "deliveredAt",
] as const;

export const shipmentExports: ExportDataset[] = [
  {
    name: "shipments",
    scope: Scope.SHIPMENTS_READ,
    columns,
    key: ["id"],
    select: Object.fromEntries(columns.map((c) => [c, true as const])),
    find: (db, args) => db.shipment.findMany(args as never),
  },
];
