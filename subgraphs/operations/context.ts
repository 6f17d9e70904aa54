import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import type { HandlerRegistry } from "../../platform/ingest/handlers.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import { createRawSliceLoader, RawBudget, type RawSliceLoader } from "./raw-bodies.js";

/** What the host process gives the operations subgraph: the ingest adapters, the consumers by name, the raw-body budget. */
export interface OperationsDeps {
  handlers: HandlerRegistry;
  consumerByName: (name: string) => ConsumerDefinition | undefined;
  /** RAW_READ_BUDGET: raw-body bytes one request may read (default 16 MiB). */
  rawReadBudgetBytes?: number;
}

export interface SubgraphContext extends SubgraphRequestContext, OperationsDeps {
  rawBudget: RawBudget;
  rawSlices: RawSliceLoader;
}

export const DEFAULT_RAW_READ_BUDGET = 16 * 1024 * 1024;

export const createOperationsContext = (deps: OperationsDeps) => (base: SubgraphRequestContext) => ({
  ...deps,
  rawBudget: new RawBudget(deps.rawReadBudgetBytes ?? DEFAULT_RAW_READ_BUDGET),
  rawSlices: createRawSliceLoader(base.db),
});
