import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import { createInventoryLoaders, type InventoryLoaders } from "./loaders.js";

export interface SubgraphContext extends SubgraphRequestContext {
  loaders: InventoryLoaders;
}

export const createInventoryContext = (base: SubgraphRequestContext) => ({ loaders: createInventoryLoaders(base.db) });
