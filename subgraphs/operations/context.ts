import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import type { HandlerRegistry } from "../../platform/ingest/handlers.js";

export interface SubgraphContext extends SubgraphRequestContext {
  handlers: HandlerRegistry;
}
