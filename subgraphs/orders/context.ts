import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import { createOrderLoaders, type OrderLoaders } from "./loaders.js";

export interface SubgraphContext extends SubgraphRequestContext {
  loaders: OrderLoaders;
}

export const createOrdersContext = (base: SubgraphRequestContext) => ({ loaders: createOrderLoaders(base.db) });
