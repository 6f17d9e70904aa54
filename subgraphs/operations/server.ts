import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { subgraphTypeDefs } from "../catalog.js";
import { createOperationsContext, type OperationsDeps } from "./context.js";
import { resolvers } from "./resolvers.js";

export const createOperationsSubgraph = (deps: OperationsDeps) =>
  createSubgraph("operations", subgraphTypeDefs("operations"), resolvers, createOperationsContext(deps));
