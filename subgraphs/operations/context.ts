import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import type { HandlerRegistry } from "../../platform/ingest/handlers.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";
import { createRawSliceLoader, RawBudget, type RawSliceLoader } from "./raw-bodies.js";
import { operationsExceptions, type ExceptionContributor } from "./exceptions.js";

/** What the host process gives the operations subgraph: the ingest adapters, the consumers by name, the raw-body budget. */
export interface OperationsDeps {
  handlers: HandlerRegistry;
  consumerByName: (name: string) => ConsumerDefinition | undefined;
  /** RAW_READ_BUDGET: raw-body bytes one request may read (default 16 MiB). */
  rawReadBudgetBytes?: number;
  /**
   * The other domains' contributions to the exception queue (erp-finance's postings, shipments'
   * deliveries), each read through its owner's API with the request's correlation id; wired by app/.
   */
  remoteExceptions?: (request: { correlationId: string }) => ExceptionContributor[];
}

export interface SubgraphContext extends SubgraphRequestContext, OperationsDeps {
  rawBudget: RawBudget;
  rawSlices: RawSliceLoader;
  /** Every domain's contributor to the exception queue, operations' own first. */
  exceptionContributors: (ctx: SubgraphContext) => ExceptionContributor[];
}

export const DEFAULT_RAW_READ_BUDGET = 16 * 1024 * 1024;

export const createOperationsContext = (deps: OperationsDeps) => (base: SubgraphRequestContext) => ({
  ...deps,
  rawBudget: new RawBudget(deps.rawReadBudgetBytes ?? DEFAULT_RAW_READ_BUDGET),
  rawSlices: createRawSliceLoader(base.db),
  exceptionContributors: (ctx: SubgraphContext) => [operationsExceptions(ctx), ...(deps.remoteExceptions?.(ctx) ?? [])],
});
