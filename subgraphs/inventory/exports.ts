// The dataset inventory offers for bulk export (GET /export/positions).
import type { ExportDataset, ExportRow } from "../../platform/export/http.js";
import { Scope } from "../../platform/auth/scopes.js";

const stored = ["sku", "locationId", "onHand", "allocated", "reserved", "damaged", "qualityHold", "safetyStock", "inbound", "asOf", "version"] as const;
const n = (row: ExportRow, k: string) => Number(row[k] ?? 0);

export const inventoryExports: ExportDataset[] = [
  {
    name: "positions",
    scope: Scope.INVENTORY_READ,
    columns: [...stored.slice(0, 9), "available", "asOf", "version"],
    key: ["sku", "locationId"],
    select: Object.fromEntries(stored.map((c) => [c, true as const])),
    find: (db, args) => db.inventoryPosition.findMany(args as never),
    derive: (p) => ({ ...p, available: n(p, "onHand") - n(p, "allocated") - n(p, "reserved") - n(p, "damaged") - n(p, "qualityHold") - n(p, "safetyStock") }),
  },
];
