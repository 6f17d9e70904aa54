import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import type { OrderCaptureDeps } from "./capture.js";
import { createOrderLoaders, type OrderLoaders } from "./loaders.js";

export interface SubgraphContext extends SubgraphRequestContext {
  loaders: OrderLoaders;
  /** The credit client and capture settings the hosting process gives this subgraph. */
  capture: OrderCaptureDeps;
}

export const createOrdersContext = (capture: OrderCaptureDeps) => (base: SubgraphRequestContext) => ({ loaders: createOrderLoaders(base.db), capture });
