// Every durable event consumer, by name. The process that hosts a domain runs its consumers.
import type { ConsumerDefinition } from "../platform/events/consumer.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import { stockAvailabilityProjection } from "../subgraphs/orders/events.js";

export const consumerDefinitions: { owner: SubgraphName; definition: ConsumerDefinition }[] = [{ owner: "orders", definition: stockAvailabilityProjection }];

export const consumerByName = (name: string) => consumerDefinitions.find((c) => c.definition.name === name)?.definition;
