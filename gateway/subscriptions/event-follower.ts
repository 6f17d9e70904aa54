// Follows the event log for this gateway process: wakes on NOTIFY (polling as the fallback),
// reads events after the last one seen, and hands each to the current listeners. Each gateway
// replica runs its own follower, so a subscriber on any replica sees every committed change.
import type { Db } from "../../platform/db/client.js";
import type { Store } from "../../platform/db/adapter.js";
import { readEventsAfter, type StoredEvent } from "../../platform/events/event-log.js";
import { listenForEvents, type Unlisten } from "../../platform/events/notifications.js";

export type EventListener = (event: StoredEvent) => void;

export class EventFollower {
  private listeners = new Set<EventListener>();
  private lastSequence = 0n;
  private running = false;
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: Unlisten | null = null;

  constructor(
    readonly db: Db,
    private readonly store: Store,
    private readonly types: string[],
    private readonly pollIntervalMs = 1000,
  ) {}

  /** The last sequence handed to listeners: everything after it is still to come. */
  get position(): bigint {
    return this.lastSequence;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async start() {
    const head = await this.db.eventLog.aggregate({ _max: { sequence: true } });
    this.lastSequence = head._max.sequence ?? 0n;
    this.running = true;
    this.unlisten = await listenForEvents(this.store, () => this.poke()).catch(() => null);
    this.schedule();
  }

  async stop() {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.reading;
    await this.unlisten?.().catch(() => {});
    this.listeners.clear();
  }

  /** Registers a listener; returns its removal. Listeners must not throw. */
  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads now (NOTIFY arrived, or a test wants it); coalesces overlapping calls. */
  poke(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readAll().finally(() => {
      this.reading = null;
      if (this.again) {
        this.again = false;
        void this.poke();
      }
    });
    return this.reading;
  }

  private schedule() {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.poke().finally(() => this.schedule()), this.pollIntervalMs);
    this.timer.unref();
  }

  private async readAll() {
    for (;;) {
      let batch: StoredEvent[];
      try {
        batch = await readEventsAfter(this.db, this.lastSequence, 500, this.types);
      } catch {
        return; // the database is away; the next poll tries again
      }
      if (!batch.length) return;
      for (const event of batch) {
        this.lastSequence = event.sequence;
        for (const listener of [...this.listeners]) listener(event);
      }
    }
  }
}
