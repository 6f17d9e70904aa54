import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import type { HandlerRegistry } from "../../platform/ingest/handlers.js";
import { resolvers } from "./resolvers.js";

export const createOperationsSubgraph = (handlers: HandlerRegistry) => createSubgraph("operations", resolvers, () => ({ handlers }));
