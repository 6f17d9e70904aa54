// What an ingest handler is: a source format's adapter (parse, validate, map to canonical
// commands) plus the owning domain's apply, which runs in the transaction that also appends the
// events and marks the message done. Adapters never write; apply never parses.
import type { Db } from "../db/client.js";
import type { Tx } from "../events/event-log.js";
import type { Prisma } from "../db/generated/client.js";

export interface ApplyContext {
  messageId: string;
  correlationId: string;
  source: string;
}

export interface ApplyOutcome {
  /** RECONCILED when nothing was applied because the message was stale. */
  state: "PROCESSED" | "RECONCILED";
  result: Prisma.InputJsonValue;
}

export interface IngestHandler<Parsed = unknown, Valid = unknown, Command = unknown> {
  source: string;
  kind: string;
  /** Bytes to a structure; throws parseError. */
  parse(raw: Buffer): Parsed;
  /** Structure rules (types, required fields, possible quantities); throws validationError. */
  validate(parsed: Parsed): Valid;
  /**
   * External identifiers and units to canonical ones; may read mapping data; throws mappingError.
   * Lookups may be cached on `scope`, which lives for one batch of messages.
   */
  map(valid: Valid, db: Db, scope: object): Promise<Command>;
  apply(command: Command, tx: Tx, context: ApplyContext): Promise<ApplyOutcome>;
}

export class HandlerRegistry {
  private handlers = new Map<string, IngestHandler>();

  register(handler: IngestHandler<any, any, any>) {
    this.handlers.set(`${handler.source}\u0000${handler.kind}`, handler);
  }

  kindsOf(source: string): string[] {
    return [...this.handlers.values()].filter((h) => h.source === source).map((h) => h.kind);
  }

  get(source: string, kind: string): IngestHandler | undefined {
    return this.handlers.get(`${source}\u0000${kind}`);
  }
}
