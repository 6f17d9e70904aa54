// What the subscription engine needs to know about one subscription field: which event feeds it,
// how its arguments filter events, and which root query fetches the entity it carries. The
// domains provide the specs (app/subscription-specs.ts); the engine only executes them.
import type { StoredEvent } from "../../platform/events/event-log.js";

export interface SubscriptionSpec {
  /** Subscription root field in the supergraph. */
  field: string;
  eventType: string;
  /** Field of the event object that carries the federated entity. */
  entityField: string;
  /** The root query field that fetches that entity through the gateway, with its key arguments' types. */
  entityQuery: { field: string; args: Record<string, string> };
  /** The entity's key arguments for one event. */
  entityKey(event: StoredEvent): Record<string, unknown>;
  /** Whether the event passes the subscriber's arguments. */
  matches(event: StoredEvent, args: Record<string, unknown>): boolean;
  /** The event object's own fields (everything but the entity). */
  eventFields(event: StoredEvent): Record<string, unknown>;
}
