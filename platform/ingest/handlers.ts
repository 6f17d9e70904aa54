// What an ingest handler is: a source format's adapter (parse, validate, map to canonical
// commands) plus the owning domain's apply, which runs in the transaction that also appends the
// events and marks the message done. Adapters never write; apply never parses.
import type { Db } from "../db/client.js";
import type { Tx } from "../events/event-log.js";
import type { Prisma } from "../db/generated/client.js";
import { validationError } from "./errors.js";

/** What every step gets besides its input. */
export interface StepContext {
  /**
   * Records a warning on the message: stored, answered to the sender, shown in the operations
   * schema and the ops CLI. Processing goes on. E.g. ctx.warn({ code: "GS1_CHECK_DIGIT",
   * message: `GTIN ${gtin} has a bad check digit`, where: "segment 5 (LIN)" }).
   */
  warn(warning: { code: string; message: string; where?: string | null }): void;
  /**
   * A source time, checked against this server's clock: returned as it is, or refused (a
   * validation error naming it) when it is further ahead than the allowed clock skew. Every
   * absolute level and delta time from a source goes through it, so a mistyped year cannot
   * freeze a position behind a level dated in the far future.
   */
  sourceTime(at: Date, where: string): Date;
  /**
   * The message's id and correlation id (for a step that calls another subgraph: order capture's
   * credit check), and its idempotency key (which can carry what the route knew from the request's
   * headers: a Shopify order webhook's shop).
   */
  message?: { id: string; correlationId: string; idempotencyKey?: string };
}

export interface ApplyContext {
  messageId: string;
  correlationId: string;
  source: string;
  /** Records a warning found while applying (stock driven negative, say). */
  warn: StepContext["warn"];
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
  parse(raw: Buffer, ctx: StepContext): Parsed;
  /** Structure rules (types, required fields, possible quantities, source times); throws validationError. */
  validate(parsed: Parsed, ctx: StepContext): Valid;
  /**
   * External identifiers and units to canonical ones; may read mapping data; throws mappingError.
   * Lookups may be cached on `scope`, which lives for one batch of messages. `message` carries the
   * message's id and correlation id, for a map step that calls another subgraph (order capture's
   * credit check).
   */
  map(valid: Valid, db: Db, scope: object, ctx: StepContext): Promise<Command>;
  /**
   * True when `map` only reads (lookups): then the map steps of a batch's messages run at once, so
   * their lookups go out together. Otherwise (order capture reserves credit and asks erp-finance)
   * they run one after another in arrival order, so the first order in a document is the first to
   * reserve credit.
   */
  mapsConcurrently?: boolean;
  /**
   * Applies in the given transaction. Throwing an IngestError (validationError: a rule that needs
   * the current state, such as a stock bound) dead-letters the message at once; any other error
   * is treated as transient and retried.
   */
  apply(command: Command, tx: Tx, context: ApplyContext): Promise<ApplyOutcome>;
  /**
   * Optional: applies several messages' commands in the given order, in one go, with the same
   * outcomes as `apply` on each in turn, in fewer statements (a request's batch). An error fails
   * them all; the pipeline then applies each on its own.
   */
  applyMany?(items: { command: Command; context: ApplyContext }[], tx: Tx): Promise<ApplyOutcome[]>;
}

export interface IngestPolicy {
  /** INGEST_MAX_CLOCK_SKEW: how far ahead of this server's clock a source time may be (default 5 minutes). */
  maxClockSkewMs: number;
  /** The clock source times are checked against (tests fix it; default: the system clock). */
  now?: () => Date;
}

export const DEFAULT_INGEST_POLICY: IngestPolicy = { maxClockSkewMs: 5 * 60_000 };

export class HandlerRegistry {
  private handlers = new Map<string, IngestHandler>();

  constructor(readonly policy: IngestPolicy = DEFAULT_INGEST_POLICY) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one registry for handlers of every payload type
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

/** "5 minutes", "90 seconds", "2 hours": durations in messages people read. */
export function describeDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1000, "second"],
  ];
  for (const [size, name] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? "" : "s"}`;
  return `${ms} ms`;
}

/** The source-time check of StepContext, for a given policy and clock. */
export function checkSourceTime(policy: IngestPolicy, now: Date, at: Date, where: string): Date {
  if (at.getTime() - now.getTime() > policy.maxClockSkewMs) {
    throw validationError(
      `source time ${at.toISOString()} is more than the allowed clock skew of ${describeDuration(policy.maxClockSkewMs)} ahead of this server's clock (${now.toISOString()})`,
      where,
    );
  }
  return at;
}

/**
 * A step context outside the pipeline (adapter tests, tools): warnings are collected in the
 * returned list, source times checked against `now` (default: the clock).
 */
export function detachedStepContext(
  options: { policy?: IngestPolicy; now?: Date } = {},
): StepContext & { warnings: { code: string; message: string; where?: string | null }[] } {
  const warnings: { code: string; message: string; where?: string | null }[] = [];
  return {
    warnings,
    warn: (w) => void warnings.push(w),
    sourceTime: (at, where) => checkSourceTime(options.policy ?? DEFAULT_INGEST_POLICY, options.now ?? new Date(), at, where),
  };
}
