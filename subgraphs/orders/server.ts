import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { subgraphTypeDefs } from "../catalog.js";
import { resolvers } from "./resolvers.js";
import { createOrdersContext } from "./context.js";

export const createOrdersSubgraph = () => createSubgraph("orders", subgraphTypeDefs("orders"), resolvers, createOrdersContext);
