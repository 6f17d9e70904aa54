// Declared event types: each event type has one payload schema (zod), defined once in the events.ts
// of the domain that publishes it and imported by its producer and by every consumer. appendEvents
// checks each payload against its type's schema before it is written, so a producer cannot put a
// payload into the log that its consumers would misread; an undeclared type is refused as well.
// Consumers read payloads with payloadOf, typed by the same schema (no local copies of the shape).
import type { z } from "zod";
import type { Prisma } from "../db/generated/client.js";
import type { NewEvent, StoredEvent } from "./event-log.js";

export interface EventType<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly aggregateType: string;
  readonly schema: S;
  /** The payload of a stored event of this type, typed (the schema was checked when it was appended). */
  payloadOf(event: Pick<StoredEvent, "type" | "payload">): z.infer<S>;
  /** A new event of this type for appendEvents. */
  event(e: { aggregateId: string; aggregateVersion: number; occurredAt?: Date; payload: z.input<S> }): NewEvent;
}

export type PayloadOf<T> = T extends EventType<infer S> ? z.infer<S> : never;

const declared = new Map<string, EventType>();

export class EventSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EventSchemaError";
  }
}

/** Declares an event type; declaring one name twice with two schemas is a programming error. */
export function defineEvent<S extends z.ZodType>(name: string, aggregateType: string, schema: S): EventType<S> {
  const existing = declared.get(name);
  if (existing && existing.schema !== schema) throw new Error(`event type ${name} is declared twice`);
  const type: EventType<S> = {
    name,
    aggregateType,
    schema,
    payloadOf(event) {
      if (event.type !== name) throw new Error(`expected a ${name} event, got ${event.type}`);
      return event.payload as z.infer<S>;
    },
    event: (e) => ({
      type: name,
      aggregateType,
      aggregateId: e.aggregateId,
      aggregateVersion: e.aggregateVersion,
      occurredAt: e.occurredAt ?? new Date(),
      payload: e.payload as Prisma.InputJsonValue,
    }),
  };
  declared.set(name, type);
  return type;
}

export const declaredEventTypes = (): string[] => [...declared.keys()].sort();

/** Throws EventSchemaError naming the event type and each field that does not fit its declared payload. */
export function checkEventPayload(type: string, payload: unknown): void {
  const declaredType = declared.get(type);
  if (!declaredType) throw new EventSchemaError(`event type ${type} has no declared payload type (declare it with defineEvent in its domain's events.ts)`);
  const result = declaredType.schema.safeParse(payload);
  if (result.success) return;
  const problems = result.error.issues.map((i) => `${i.path.length ? `$.${i.path.join(".")}` : "$"}: ${i.message}`);
  throw new EventSchemaError(`${type} payload does not match its declared type: ${problems.join("; ")}`);
}
