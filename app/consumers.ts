// Every durable event consumer, by name. The process that hosts a domain runs its consumers.
import type { ConsumerDefinition } from "../platform/events/consumer.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import { allocationRecorder, catalogProjection, stockAvailabilityProjection } from "../subgraphs/orders/events.js";
import { allocationConsumer } from "../subgraphs/inventory/allocation.js";
import { ediAcknowledgementConsumer } from "../subgraphs/orders/documents/x12-855.js";

export const consumerDefinitions: { owner: SubgraphName; definition: ConsumerDefinition }[] = [
  { owner: "orders", definition: stockAvailabilityProjection },
  { owner: "orders", definition: catalogProjection },
  { owner: "orders", definition: allocationRecorder },
  { owner: "orders", definition: ediAcknowledgementConsumer },
  { owner: "inventory", definition: allocationConsumer },
];

export const consumerByName = (name: string) => consumerDefinitions.find((c) => c.definition.name === name)?.definition;
