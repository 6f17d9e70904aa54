import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { subgraphTypeDefs } from "../catalog.js";
import { resolvers } from "./resolvers.js";
import { createFinanceContext } from "./context.js";

export const createFinanceSubgraph = () => createSubgraph("erp-finance", subgraphTypeDefs("erp-finance"), resolvers, createFinanceContext);
