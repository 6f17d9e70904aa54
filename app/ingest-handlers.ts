// Every source adapter the graph accepts, by (source, kind). Adding a partner format means
// adding its adapter file and one line here.
import { HandlerRegistry, DEFAULT_INGEST_POLICY, type IngestPolicy } from "../platform/ingest/handlers.js";
import { checkMappings } from "../platform/mapping/index.js";
import { wmsInventoryHandler } from "../subgraphs/inventory/sources/wms-inventory.js";
import { shopifyInventoryLevelsHandler } from "../subgraphs/inventory/sources/shopify-inventory-levels.js";
import { x12InventoryAdviceHandler } from "../subgraphs/inventory/sources/x12-846.js";
import { orderChannelHandler } from "../subgraphs/orders/channel.js";
import type { OrderCaptureDeps } from "../subgraphs/orders/capture.js";
import { x12PurchaseOrderSpec } from "../subgraphs/orders/sources/x12-850.js";
import { edifactOrdersSpec } from "../subgraphs/orders/sources/edifact-orders.js";
import { shopifyOrderSpecs } from "../subgraphs/orders/sources/shopify-orders.js";
import { wmsShipmentHandler } from "../subgraphs/shipments/sources/wms-shipments.js";
import { x12WarehouseShippingAdviceHandler } from "../subgraphs/shipments/sources/x12-945.js";
import { tmsMilestoneHandler, x12CarrierStatusHandler } from "../subgraphs/shipments/sources/milestones.js";
import { shipNoticeHandler } from "./ship-notice.js";
import { erpSalesOrderSpec } from "../subgraphs/erp-finance/sources/erp/sales-order.js";
import { x12SupplierInvoiceHandler } from "../subgraphs/erp-finance/sources/x12-810.js";

/** Without orderCapture (a tool that only needs the stock adapters), the order channels are not registered. */
export function createHandlerRegistry(policy: IngestPolicy = DEFAULT_INGEST_POLICY, orderCapture?: OrderCaptureDeps): HandlerRegistry {
  const registry = new HandlerRegistry(policy);
  // checkMappings: a message's missing mappings are all reported at once, as one MAP dead letter.
  registry.register(checkMappings(wmsInventoryHandler));
  registry.register(checkMappings(shopifyInventoryLevelsHandler));
  registry.register(checkMappings(x12InventoryAdviceHandler));
  // Fulfillment: warehouse confirmations (shipments), supplier ship notices (inventory), carrier status.
  registry.register(wmsShipmentHandler);
  registry.register(x12WarehouseShippingAdviceHandler);
  registry.register(checkMappings(shipNoticeHandler));
  registry.register(checkMappings(x12CarrierStatusHandler));
  registry.register(checkMappings(tmsMilestoneHandler));
  // Inbound X12 810 from suppliers: a supplier invoice in erp-finance.
  registry.register(checkMappings(x12SupplierInvoiceHandler));
  // Order channels: each adapter makes the canonical order command; capture is the same code as placeOrder.
  if (orderCapture) {
    registry.register(orderChannelHandler(x12PurchaseOrderSpec, orderCapture));
    registry.register(orderChannelHandler(edifactOrdersSpec, orderCapture));
    for (const spec of shopifyOrderSpecs) registry.register(orderChannelHandler(spec, orderCapture));
    // Sales orders keyed into a business unit's ERP (pulled by erp-finance's ERP sync) are one more channel.
    registry.register(orderChannelHandler(erpSalesOrderSpec, orderCapture));
  }
  return registry;
}
