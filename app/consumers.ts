// Every durable event consumer, by name. The process that hosts a domain runs its consumers.
import type { ConsumerDefinition } from "../platform/events/consumer.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import { allocationRecorder, catalogProjection, stockAvailabilityProjection } from "../subgraphs/orders/events.js";
import { allocationConsumer } from "../subgraphs/inventory/allocation.js";
import { ediAcknowledgementConsumer } from "../subgraphs/orders/documents/x12-855.js";
import { autoReleaseConsumer, invoiceRecorder, shipmentRecorder } from "../subgraphs/orders/fulfillment.js";
import { warehouseReleaseConsumer } from "../subgraphs/shipments/release.js";
import { invoicingConsumer } from "../subgraphs/erp-finance/invoicing.js";
import { shipmentStockConsumer } from "../subgraphs/inventory/shipped-stock.js";
import { returnedStockConsumer } from "../subgraphs/inventory/returns.js";
import { financeCatalogProjection } from "../subgraphs/erp-finance/consumers.js";
import { returnCreditConsumer } from "../subgraphs/erp-finance/return-credits.js";

export interface ConsumerEntry {
  owner: SubgraphName;
  definition: ConsumerDefinition;
  /** A consumer that is a policy the host may switch off (ORDER_AUTO_RELEASE for orders.release). */
  optional?: "autoRelease";
}

export const consumerDefinitions: ConsumerEntry[] = [
  { owner: "orders", definition: stockAvailabilityProjection },
  { owner: "orders", definition: catalogProjection },
  { owner: "orders", definition: allocationRecorder },
  { owner: "orders", definition: ediAcknowledgementConsumer },
  { owner: "orders", definition: autoReleaseConsumer, optional: "autoRelease" },
  { owner: "orders", definition: shipmentRecorder },
  { owner: "orders", definition: invoiceRecorder },
  { owner: "inventory", definition: allocationConsumer },
  { owner: "inventory", definition: shipmentStockConsumer },
  { owner: "inventory", definition: returnedStockConsumer },
  { owner: "shipments", definition: warehouseReleaseConsumer },
  { owner: "erp-finance", definition: invoicingConsumer },
  { owner: "erp-finance", definition: financeCatalogProjection },
  { owner: "erp-finance", definition: returnCreditConsumer },
];

export const consumerByName = (name: string) => consumerDefinitions.find((c) => c.definition.name === name)?.definition;
