import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { subgraphTypeDefs } from "../catalog.js";
import { resolvers } from "./resolvers.js";
import { createInventoryContext, type InventoryOptions } from "./context.js";

export const createInventorySubgraph = (options: InventoryOptions = { maxClockSkewMs: 5 * 60_000 }) =>
  createSubgraph("inventory", subgraphTypeDefs("inventory"), resolvers, createInventoryContext(options));
