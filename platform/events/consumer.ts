// A durable event consumer: reads the log after its stored position (in log order, see
// event-log.ts), and runs its handler and the position update in one transaction, so a handler's
// database effects happen exactly once even if the process dies mid-way (at-least-once delivery,
// idempotent application). Row-locking the position serializes replicas that run the same
// consumer. A batch of events is handled in one transaction; if that fails, its events are
// handled one by one, so a failing event is retried and parked on its own.
import type { Db } from "../db/client.js";
import type { Store } from "../db/adapter.js";
import { isAfter, LOG_START, positionOf, readEventsAfter, type LogPosition, type StoredEvent, type Tx } from "./event-log.js";
import { listenForEvents, type Unlisten } from "./notifications.js";
import { classifyDbError, isTransient } from "../db/errors.js";
import { log, logFor } from "../telemetry/log.js";
import { handlingInsert, recordHandling, startTimer } from "./handling-record.js";

/** What a consumer does: the definition lives with the domain that consumes (its events.ts). */
export interface ConsumerDefinition {
  name: string;
  /** Event types to handle; others advance the position untouched. Empty: all. */
  types?: string[];
  /**
   * Optional finer filter, asked outside any transaction for events of those types: false skips
   * the event like one of another type (no handler transaction). Only for what the consumer's own
   * earlier handling decides, which is settled by the time a later event is asked about (so a
   * consumer with `wants` handles its events one at a time, never as a batch).
   */
  wants?: (event: StoredEvent, db: Db) => Promise<boolean> | boolean;
  /** Runs in the transaction that also advances the position; must only touch its own domain's tables. */
  handle: (event: StoredEvent, tx: Tx) => Promise<void>;
  /**
   * Optional: handles several events (in log order) at once, with the same effect as `handle` on
   * each in turn, in fewer statements. Used for batches; single events (and a batch that failed)
   * go through `handle`.
   */
  handleBatch?: (events: StoredEvent[], tx: Tx) => Promise<void>;
}

/**
 * How long a consumer waits after a notification of events it does not handle before it reads
 * (to move its position past them): one read and one update for every such event, per consumer,
 * was most of ingestion's statements; this coalesces them while keeping positions (and the lag
 * gauges) near the head.
 */
export const SKIP_WAKE_DELAY_MS = 500;

/** Whether a notification (the appended events' types, comma-separated; empty: unknown) may concern a consumer of `types`. */
export function concerns(types: string[] | undefined, payload: string): boolean {
  if (!types?.length || !payload) return true;
  return payload.split(",").some((t) => types.includes(t));
}

export interface ConsumerOptions extends ConsumerDefinition {
  batchSize?: number;
  /** Fallback poll when no notification arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /** Attempts before an event is parked (default 5). */
  maxAttempts?: number;
}

export class EventConsumer {
  private running = false;
  private registered = false;
  /** Set by every notification; cleared before each read, so one arriving during a batch triggers another read. */
  private notified = true;
  /** Where this replica knows the position to be (another replica may have moved it further). */
  private known: LogPosition | null = null;
  /** The last read returned fewer events than a batch: nothing more was there to read then. */
  private caughtUp = false;
  private wake: (() => void) | null = null;
  /** The delayed wake for notifications of events this consumer does not handle (SKIP_WAKE_DELAY_MS). */
  private skipWake: NodeJS.Timeout | null = null;
  private unlisten: Unlisten | null = null;
  private loop: Promise<void> | null = null;
  private failures = new Map<bigint, number>();
  /** Set when the last batch stopped on a failing event, so the loop backs off before retrying. */
  private blocked = false;
  /** Consecutive transient failures (a lock or statement timeout, the database away): retried, never parked. */
  private transientFailures = 0;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly db: Db,
    private readonly store: Store,
    private readonly options: ConsumerOptions,
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  get name() {
    return this.options.name;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.register();
    this.unlisten = await listenForEvents(this.store, (payload) => {
      if (concerns(this.options.types, payload)) this.notify();
      else this.skipWake ??= setTimeout(() => this.notify(), Math.min(SKIP_WAKE_DELAY_MS, this.pollIntervalMs));
    }).catch(() => null);
    this.loop = this.run();
  }

  private notify() {
    if (this.skipWake) clearTimeout(this.skipWake);
    this.skipWake = null;
    this.notified = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.skipWake) clearTimeout(this.skipWake);
    this.skipWake = null;
    this.wake?.();
    await this.loop;
    // The store may already be gone (shutdown after a database failure): nothing left to release.
    await this.unlisten?.().catch(() => {});
  }

  /** The sequence of the last event handled (or parked). */
  async position(): Promise<bigint> {
    return (await this.cursor()).sequence;
  }

  /** Where the consumer resumes: after this place in the log. */
  async cursor(): Promise<LogPosition> {
    const row = await this.db.consumerOffset.findUnique({ where: { consumer: this.name } });
    return row ? { txOrder: row.txOrder, sequence: row.position } : LOG_START;
  }

  private wants(event: StoredEvent) {
    return !this.options.types?.length || this.options.types.includes(event.type);
  }

  /** Creates the consumer's position if it has none yet (at the start of the log). */
  private async register() {
    if (this.registered) return;
    // Replicas may start together: an atomic insert-if-absent, not Prisma's read-then-write upsert.
    await this.db.$executeRaw`
      INSERT INTO "platform"."ConsumerOffset" ("consumer", "position", "updatedAt") VALUES (${this.name}, 0, now()) ON CONFLICT DO NOTHING`;
    this.registered = true;
  }

  /** Handles everything currently in the log; returns how many events were handled. */
  async drain(): Promise<number> {
    await this.register();
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      if (n < 0) return total;
      total += n;
    }
  }

  /** One batch. Returns the number handled, or -1 when caught up. */
  async runOnce(): Promise<number> {
    this.notified = false;
    const events = await readEventsAfter(this.db, this.known ?? (this.known = await this.cursor()), this.batchSize);
    this.caughtUp = events.length < this.batchSize;
    if (!events.length) return -1;
    // Nothing here for this consumer: move past it with one conditional update, no transaction.
    if (!events.some((e) => this.wants(e))) {
      await this.advanceTo(events.at(-1)!);
      return 0;
    }
    // A batch in one transaction, unless the consumer asks `wants` (answered only once the events
    // before are handled).
    if (events.length > 1 && !this.options.wants) {
      this.blocked = false;
      const together = await this.processTogether(events);
      if (together !== null) {
        this.blocked = false;
        return together;
      }
      if (this.blocked) return 0; // a transient failure: wait, then retry the batch
    }
    let handled = 0;
    // Events of other types only move the offset: one update for a run of them, not a transaction each.
    let skipTo: StoredEvent | null = null;
    for (const event of events) {
      const wanted = this.wants(event) && (!this.options.wants || (await this.options.wants(event, this.db)));
      if (!wanted) {
        skipTo = event;
        continue;
      }
      if (skipTo !== null) await this.advanceTo(skipTo);
      skipTo = null;
      const ok = await this.process(event, true);
      this.blocked = !ok;
      if (!ok) return handled; // retry this event on the next round
      handled++;
    }
    if (skipTo !== null) await this.advanceTo(skipTo);
    return handled;
  }

  /** Moves the position past events it does not want, without a transaction (never backwards). */
  private async advanceTo(event: StoredEvent) {
    await this.db.$executeRaw`
      UPDATE "platform"."ConsumerOffset" SET "position" = ${event.sequence}, "txOrder" = ${event.txOrder}, "updatedAt" = now()
      WHERE "consumer" = ${this.name} AND ("txOrder", "position") < (${event.txOrder}, ${event.sequence})`;
    if (!this.known || isAfter(positionOf(event), this.known)) this.known = positionOf(event);
  }

  /** Locks the position; returns it (another replica may have moved it since it was read). */
  private async lockPosition(tx: Tx): Promise<LogPosition | null> {
    const [row] = await tx.$queryRaw<{ position: bigint; txOrder: bigint }[]>`
      SELECT "position", "txOrder" FROM "platform"."ConsumerOffset" WHERE "consumer" = ${this.name} FOR UPDATE`;
    return row ? { txOrder: row.txOrder, sequence: row.position } : null;
  }

  private async moveTo(tx: Tx, event: StoredEvent) {
    await tx.$executeRaw`
      UPDATE "platform"."ConsumerOffset" SET "position" = ${event.sequence}, "txOrder" = ${event.txOrder}, "updatedAt" = now() WHERE "consumer" = ${this.name}`;
  }

  /**
   * Records the handling of `handled` and moves the position to `to`, in one statement (one round
   * trip less per handled batch; a data-modifying CTE always runs to completion).
   */
  private async recordAndMoveTo(tx: Tx, handled: StoredEvent[], durationMs: number, to: StoredEvent) {
    if (!handled.length) return this.moveTo(tx, to);
    await tx.$executeRaw`
      WITH "recorded" AS (${handlingInsert(this.name, handled, durationMs)})
      UPDATE "platform"."ConsumerOffset" SET "position" = ${to.sequence}, "txOrder" = ${to.txOrder}, "updatedAt" = now() WHERE "consumer" = ${this.name}`;
  }

  /**
   * Handles a batch in one transaction. Returns how many were handled, or null when the batch
   * failed (then `blocked` says whether the failure was transient, else the events are to be
   * handled one by one).
   */
  private async processTogether(events: StoredEvent[]): Promise<number | null> {
    try {
      const handled = await this.db.$transaction(async (tx) => {
        const at = await this.lockPosition(tx);
        const fresh = at ? events.filter((e) => isAfter(positionOf(e), at)) : events;
        if (!fresh.length) {
          this.known = at; // another replica handled them: resume after it
          return 0;
        }
        const wanted = fresh.filter((e) => this.wants(e));
        const elapsed = startTimer();
        if (wanted.length > 1 && this.options.handleBatch) await this.options.handleBatch(wanted, tx);
        else for (const e of wanted) await this.options.handle(e, tx);
        await this.recordAndMoveTo(tx, wanted, elapsed(), fresh.at(-1)!);
        return wanted.length;
      });
      this.known = positionOf(events.at(-1)!);
      for (const e of events) this.failures.delete(e.sequence);
      this.transientFailures = 0;
      return handled;
    } catch (err) {
      if (isTransient(classifyDbError(err))) {
        this.transientFailures++;
        this.blocked = true;
      }
      return null;
    }
  }

  private async process(event: StoredEvent, wanted: boolean): Promise<boolean> {
    try {
      await this.db.$transaction(async (tx) => {
        const at = await this.lockPosition(tx);
        if (at && !isAfter(positionOf(event), at)) return; // another replica got here first
        const elapsed = startTimer();
        if (wanted) await this.options.handle(event, tx);
        await this.recordAndMoveTo(tx, wanted ? [event] : [], elapsed(), event);
      });
      if (!this.known || isAfter(positionOf(event), this.known)) this.known = positionOf(event);
      this.failures.delete(event.sequence);
      this.transientFailures = 0;
      return true;
    } catch (err) {
      // A lock held by another session is not the event's fault: wait it out, with backoff.
      if (isTransient(classifyDbError(err))) {
        this.transientFailures++;
        return false;
      }
      const attempts = (this.failures.get(event.sequence) ?? 0) + 1;
      this.failures.set(event.sequence, attempts);
      if (attempts < this.maxAttempts) return false;
      await this.park(event, attempts, err);
      this.failures.delete(event.sequence);
      return true;
    }
  }

  private async park(event: StoredEvent, attempts: number, err: unknown) {
    const error = err instanceof Error ? err.message : String(err);
    await this.db.$transaction(async (tx) => {
      // Under the position lock, like handling: a replica that already moved past it wins.
      const at = await this.lockPosition(tx);
      if (at && !isAfter(positionOf(event), at)) return;
      await tx.$executeRaw`
        INSERT INTO "platform"."ParkedEvent" ("consumer", "sequence", "attempts", "error") VALUES (${this.name}, ${event.sequence}, ${attempts}, ${error})
        ON CONFLICT ("consumer", "sequence") DO UPDATE SET "attempts" = EXCLUDED."attempts", "error" = EXCLUDED."error", "resolvedAt" = NULL,
          "exceptionState" = 'OPEN', "resolutionNote" = NULL`;
      await this.moveTo(tx, event);
    });
    if (!this.known || isAfter(positionOf(event), this.known)) this.known = positionOf(event);
    logFor(event.correlationId).error({ consumer: this.name, sequence: String(event.sequence), type: event.type, error }, "event parked");
  }

  private async run() {
    while (this.running) {
      let n = -1;
      try {
        n = await this.runOnce();
      } catch (err) {
        log.error({ consumer: this.name, error: String(err) }, "consumer read failed");
      }
      // Read again at once after a full batch, or when a notification came in meanwhile; else wait for one.
      if ((n >= 0 && !this.blocked && (!this.caughtUp || this.notified)) || !this.running) continue;
      const attempts = Math.max(0, this.transientFailures, ...this.failures.values());
      const delay = this.blocked ? Math.min(50 * 2 ** Math.min(attempts, 16), this.pollIntervalMs) : this.pollIntervalMs;
      if (!this.blocked && this.notified) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

/** Runs a consumer's handler again on a parked event; resolves it on success, else records the error. */
export async function retryParkedEvent(db: Db, definition: ConsumerDefinition, sequence: bigint) {
  const key = { consumer_sequence: { consumer: definition.name, sequence } };
  const parked = await db.parkedEvent.findUnique({ where: key });
  if (!parked) return null;
  if (parked.resolvedAt) return parked;
  const event = await db.eventLog.findUnique({ where: { sequence } });
  if (!event) return db.parkedEvent.update({ where: key, data: { error: `event ${sequence} is no longer in the log` } });
  try {
    return await db.$transaction(async (tx) => {
      const elapsed = startTimer();
      await definition.handle(event, tx);
      await recordHandling(tx, definition.name, [event], elapsed());
      return tx.parkedEvent.update({
        where: key,
        data: { resolvedAt: new Date(), attempts: { increment: 1 }, exceptionState: "RESOLVED", resolutionNote: "retried: handled" },
      });
    });
  } catch (err) {
    return db.parkedEvent.update({ where: key, data: { attempts: { increment: 1 }, error: err instanceof Error ? err.message : String(err) } });
  }
}
