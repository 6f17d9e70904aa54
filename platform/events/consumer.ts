// A durable event consumer: reads the log by sequence after its stored offset, and runs its
// handler and the offset update in one transaction, so a handler's database effects happen
// exactly once even if the process dies mid-way (at-least-once delivery, idempotent application).
// Row-locking the offset serializes replicas that run the same consumer.
import type { Db } from "../db/client.js";
import type { Store } from "../db/adapter.js";
import { readEventsAfter, type StoredEvent, type Tx } from "./event-log.js";
import { listenForEvents, type Unlisten } from "./notifications.js";
import { classifyDbError, isTransient } from "../db/errors.js";

/** What a consumer does: the definition lives with the domain that consumes (its events.ts). */
export interface ConsumerDefinition {
  name: string;
  /** Event types to handle; others advance the offset untouched. Empty: all. */
  types?: string[];
  /**
   * Optional finer filter, asked outside any transaction for events of those types: false skips
   * the event like one of another type (no handler transaction). Only for what the consumer's own
   * earlier handling decides, which is settled by the time a later event is asked about.
   */
  wants?: (event: StoredEvent, db: Db) => Promise<boolean> | boolean;
  /** Runs in the transaction that also advances the offset; must only touch its own domain's tables. */
  handle: (event: StoredEvent, tx: Tx) => Promise<void>;
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
  private wake: (() => void) | null = null;
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
    // Replicas may start together: an atomic insert-if-absent, not Prisma's read-then-write upsert.
    await this.db.$executeRaw`
      INSERT INTO "platform"."ConsumerOffset" ("consumer", "position", "updatedAt") VALUES (${this.name}, 0, now()) ON CONFLICT DO NOTHING`;
    this.unlisten = await listenForEvents(this.store, () => this.wake?.()).catch(() => null);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    // The store may already be gone (shutdown after a database failure): nothing left to release.
    await this.unlisten?.().catch(() => {});
  }

  async position(): Promise<bigint> {
    const row = await this.db.consumerOffset.findUnique({ where: { consumer: this.name } });
    return row?.position ?? 0n;
  }

  /** Handles everything currently in the log; returns how many events were handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      if (n < 0) return total;
      total += n;
    }
  }

  /** One batch. Returns the number handled, or -1 when caught up. */
  async runOnce(): Promise<number> {
    const after = await this.position();
    const events = await readEventsAfter(this.db, after, this.batchSize);
    if (!events.length) return -1;
    let handled = 0;
    // Events of other types only move the offset: one update for a run of them, not a transaction each.
    let skipTo: bigint | null = null;
    for (const event of events) {
      const wanted = (!this.options.types?.length || this.options.types.includes(event.type)) && (!this.options.wants || (await this.options.wants(event, this.db)));
      if (!wanted) {
        skipTo = event.sequence;
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

  private async advanceTo(sequence: bigint) {
    await this.db.$executeRaw`
      UPDATE "platform"."ConsumerOffset" SET "position" = ${sequence}, "updatedAt" = now() WHERE "consumer" = ${this.name} AND "position" < ${sequence}`;
  }

  private async process(event: StoredEvent, wanted: boolean): Promise<boolean> {
    try {
      await this.db.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<{ position: bigint }[]>`
          SELECT "position" FROM "platform"."ConsumerOffset" WHERE "consumer" = ${this.name} FOR UPDATE`;
        if (row && row.position >= event.sequence) return; // another replica got here first
        if (wanted) await this.options.handle(event, tx);
        await tx.consumerOffset.update({ where: { consumer: this.name }, data: { position: event.sequence } });
      });
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
      // Under the offset lock, like handling: a replica that already moved past it wins.
      const [row] = await tx.$queryRaw<{ position: bigint }[]>`
        SELECT "position" FROM "platform"."ConsumerOffset" WHERE "consumer" = ${this.name} FOR UPDATE`;
      if (row && row.position >= event.sequence) return;
      await tx.$executeRaw`
        INSERT INTO "platform"."ParkedEvent" ("consumer", "sequence", "attempts", "error") VALUES (${this.name}, ${event.sequence}, ${attempts}, ${error})
        ON CONFLICT ("consumer", "sequence") DO UPDATE SET "attempts" = EXCLUDED."attempts", "error" = EXCLUDED."error", "resolvedAt" = NULL`;
      await tx.consumerOffset.update({ where: { consumer: this.name }, data: { position: event.sequence } });
    });
    console.error(JSON.stringify({ level: "error", msg: "event parked", consumer: this.name, sequence: String(event.sequence), type: event.type, error }));
  }

  private async run() {
    while (this.running) {
      let n = -1;
      try {
        n = await this.runOnce();
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "consumer read failed", consumer: this.name, error: String(err) }));
      }
      if ((n >= 0 && !this.blocked) || !this.running) continue;
      const attempts = Math.max(0, this.transientFailures, ...this.failures.values());
      const delay = this.blocked ? Math.min(50 * 2 ** Math.min(attempts, 16), this.pollIntervalMs) : this.pollIntervalMs;
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
      await definition.handle(event, tx);
      return tx.parkedEvent.update({ where: key, data: { resolvedAt: new Date(), attempts: { increment: 1 } } });
    });
  } catch (err) {
    return db.parkedEvent.update({ where: key, data: { attempts: { increment: 1 }, error: err instanceof Error ? err.message : String(err) } });
  }
}
