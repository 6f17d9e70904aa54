import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import { createErpLoaders, createFinanceLoaders, type FinanceLoaders } from "./loaders.js";

export interface SubgraphContext extends SubgraphRequestContext {
  loaders: FinanceLoaders;
}

export const createFinanceContext = (base: SubgraphRequestContext) => ({ loaders: { ...createFinanceLoaders(base.db), ...createErpLoaders(base.db) } });
