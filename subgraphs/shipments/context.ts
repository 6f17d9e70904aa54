import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import { createShipmentLoaders, type ShipmentLoaders } from "./loaders.js";

export interface SubgraphContext extends SubgraphRequestContext {
  loaders: ShipmentLoaders;
}

export const createShipmentsContext = (base: SubgraphRequestContext) => ({ loaders: createShipmentLoaders(base.db) });
