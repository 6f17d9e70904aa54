// Follows the event log for this gateway process: wakes on NOTIFY (polling as the fallback),
// reads events after the last one seen, and hands each to the current listeners. Each gateway
// replica runs its own follower, so a subscriber on any replica sees every committed change.
import type { Db } from "../../platform/db/client.js";
import type { Store } from "../../platform/db/adapter.js";
import { LOG_START, logHead, positionOf, readEventsAfter, type LogPosition, type StoredEvent } from "../../platform/events/event-log.js";
import { listenForEvents, type Unlisten } from "../../platform/events/notifications.js";

export type EventListener = (event: StoredEvent) => void;
/** Told after each attempt to read the log: true when it could be read, false when it could not. */
export type ReadStatusListener = (ok: boolean) => void;

const PAGE = 500;

export class EventFollower {
  private listeners = new Set<EventListener>();
  private readStatus: ReadStatusListener = () => {};
  private last: LogPosition = LOG_START;
  private running = false;
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: Unlisten | null = null;

  constructor(
    readonly db: Db,
    private readonly store: Store,
    /** The event types to read; null reads every type (the entity cache needs them all). */
    private readonly types: string[] | null,
    private readonly pollIntervalMs = 1000,
  ) {}

  /** The place in the log of the last event handed to listeners: everything after it is still to come. */
  get position(): LogPosition {
    return this.last;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async start() {
    this.last = await logHead(this.db);
    this.running = true;
    this.readStatus(true);
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

  onReadStatus(listener: ReadStatusListener): void {
    this.readStatus = listener;
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
    if (!this.listeners.size) {
      // Nobody to hand events to: move to the head without reading them. A listener that came in
      // meanwhile was told the old position, so then read from there as usual.
      try {
        const head = await logHead(this.db);
        if (!this.listeners.size) {
          this.last = head;
          return;
        }
      } catch {
        this.readStatus(false);
        return; // the database is away; the next poll tries again
      }
    }
    for (;;) {
      let batch: StoredEvent[];
      try {
        batch = await readEventsAfter(this.db, this.last, PAGE, this.types);
      } catch {
        this.readStatus(false);
        return; // the database is away; the next poll tries again
      }
      this.readStatus(true);
      for (const event of batch) {
        this.last = positionOf(event);
        for (const listener of [...this.listeners]) listener(event);
      }
      // A short page is the end for now; a notification during the read makes poke() read again.
      if (batch.length < PAGE) return;
    }
  }
}
