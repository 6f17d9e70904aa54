import type { SubgraphRequestContext } from "../../platform/graphql/subgraph-server.js";
import { createInventoryLoaders, type InventoryLoaders } from "./loaders.js";

/** Settings the host gives the inventory subgraph. */
export interface InventoryOptions {
  /** INGEST_MAX_CLOCK_SKEW: how far ahead of this server's clock a snapshot time may be. */
  maxClockSkewMs: number;
  /** The clock future-dated times are judged by (tests fix it; default: the system clock). */
  now?: () => Date;
}

export interface SubgraphContext extends SubgraphRequestContext {
  loaders: InventoryLoaders;
  options: InventoryOptions;
}

export const createInventoryContext = (options: InventoryOptions) => (base: SubgraphRequestContext) => ({ loaders: createInventoryLoaders(base.db), options });
