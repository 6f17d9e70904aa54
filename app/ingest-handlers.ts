// Every source adapter the graph accepts, by (source, kind). Adding a partner format means
// adding its adapter file and one line here.
import { HandlerRegistry, DEFAULT_INGEST_POLICY, type IngestPolicy } from "../platform/ingest/handlers.js";
import { wmsInventoryHandler } from "../subgraphs/inventory/sources/wms-inventory.js";
import { shopifyInventoryLevelsHandler } from "../subgraphs/inventory/sources/shopify-inventory-levels.js";
import { x12InventoryAdviceHandler } from "../subgraphs/inventory/sources/x12-846.js";

export function createHandlerRegistry(policy: IngestPolicy = DEFAULT_INGEST_POLICY): HandlerRegistry {
  const registry = new HandlerRegistry(policy);
  registry.register(wmsInventoryHandler);
  registry.register(shopifyInventoryLevelsHandler);
  registry.register(x12InventoryAdviceHandler);
  return registry;
}
