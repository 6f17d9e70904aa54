import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import type { HandlerRegistry } from "../../platform/ingest/handlers.js";
import type { ConsumerDefinition } from "../../platform/events/consumer.js";

/** What the host process gives the operations subgraph: the ingest adapters and the consumers, by name. */
export interface OperationsDeps {
  handlers: HandlerRegistry;
  consumerByName: (name: string) => ConsumerDefinition | undefined;
}

export interface SubgraphContext extends SubgraphRequestContext, OperationsDeps {}
