// Builds any of our subgraphs by name; the embedded app and the standalone launcher use it.
import type { Subgraph } from "../platform/graphql/subgraph-server.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import { createOrdersSubgraph } from "../subgraphs/orders/server.js";
import { createInventorySubgraph } from "../subgraphs/inventory/server.js";
import { createFinanceSubgraph } from "../subgraphs/erp-finance/server.js";
import { createShipmentsSubgraph } from "../subgraphs/shipments/server.js";
import { createOperationsSubgraph } from "../subgraphs/operations/server.js";
import type { HandlerRegistry } from "../platform/ingest/handlers.js";
import type { OrderCaptureDeps } from "../subgraphs/orders/capture.js";
import { consumerByName } from "./consumers.js";
import type { IngestOptions } from "./config.js";
import type { ExceptionContributor } from "../platform/exceptions/queue.js";

/** What a subgraph may need from its host process beyond the database. */
export interface SubgraphDeps {
  handlers: HandlerRegistry;
  ingest: IngestOptions;
  /** Order capture's credit client (erp-finance in-process or over HTTP) and defaults. */
  orderCapture: OrderCaptureDeps;
  /** The other domains' contributions to operations' exception queue (app/host.ts). */
  remoteExceptions?: (request: { correlationId: string }) => ExceptionContributor[];
}

// Each subgraph has its own context type; callers only need the common surface.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySubgraph = Subgraph<any>;

export const subgraphFactories: Record<SubgraphName, (deps: SubgraphDeps) => AnySubgraph> = {
  orders: ({ orderCapture }) => createOrdersSubgraph(orderCapture),
  inventory: ({ ingest }) => createInventorySubgraph({ maxClockSkewMs: ingest.maxClockSkewMs, now: ingest.now }),
  "erp-finance": createFinanceSubgraph,
  shipments: createShipmentsSubgraph,
  operations: ({ handlers, ingest, remoteExceptions }) =>
    createOperationsSubgraph({ handlers, consumerByName, rawReadBudgetBytes: ingest.rawReadBudgetBytes, remoteExceptions }),
};
