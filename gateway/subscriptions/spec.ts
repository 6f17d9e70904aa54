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
  /**
   * The root query field that fetches many of these entities by key through the gateway, in the
   * order given with null for a missing one (e.g. ordersById(ids: [ID!]!)): its name, its key-list
   * argument and that argument's type. One follow-up query then serves many events.
   */
  entityQuery: { field: string; argument: string; type: string };
  /** The entity's key for one event: one item of that argument (an id, or a key object). */
  entityKey(event: StoredEvent): unknown;
  /** Whether the event passes the subscriber's arguments. */
  matches(event: StoredEvent, args: Record<string, unknown>): boolean;
  /** The event object's own fields (everything but the entity). */
  eventFields(event: StoredEvent): Record<string, unknown>;
}
