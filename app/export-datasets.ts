// Which subgraph offers which bulk export dataset (GET /export/<dataset>): the embedded app mounts
// all of them, a subgraph process its own, and the gateway process forwards each to its owner.
import type { ExportDataset } from "../platform/export/http.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import { orderExports } from "../subgraphs/orders/exports.js";
import { inventoryExports } from "../subgraphs/inventory/exports.js";
import { shipmentExports } from "../subgraphs/shipments/exports.js";
import { financeExports } from "../subgraphs/erp-finance/exports.js";

export const exportDatasets: Partial<Record<SubgraphName, ExportDataset[]>> = {
  orders: orderExports,
  inventory: inventoryExports,
  "erp-finance": financeExports,
  shipments: shipmentExports,
};

export const datasetsOf = (names: readonly SubgraphName[]) => names.flatMap((n) => exportDatasets[n] ?? []);

/** dataset -> owning subgraph, for the gateway's forwarding. */
export const exportOwners: Record<string, string> = Object.fromEntries(
  Object.entries(exportDatasets).flatMap(([subgraph, datasets]) => datasets.map((d) => [d.name, subgraph])),
);

/** dataset -> the scope a token needs to read it, for the gateway's check. */
export const exportScopes: Record<string, string> = Object.fromEntries(
  Object.values(exportDatasets).flatMap((datasets) => datasets.map((d) => [d.name, d.scope])),
);
