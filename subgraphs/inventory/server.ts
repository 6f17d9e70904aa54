import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { subgraphTypeDefs } from "../catalog.js";
import { resolvers } from "./resolvers.js";
import { createInventoryContext } from "./context.js";

export const createInventorySubgraph = () => createSubgraph("inventory", subgraphTypeDefs("inventory"), resolvers, createInventoryContext);
