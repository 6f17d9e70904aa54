import { createSubgraph } from "../../platform/graphql/subgraph-server.js";
import { resolvers } from "./resolvers.js";
import { createFinanceContext } from "./context.js";

export const createFinanceSubgraph = () => createSubgraph("erp-finance", resolvers, createFinanceContext);
