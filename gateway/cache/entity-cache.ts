// The gateway's entity cache: answers to queries, each tagged with the entities it contains,
// evicted by the event log. Every replica follows the log itself (subscriptions/event-follower.ts),
// so an InventoryChanged, order or shipment event evicts exactly the answers that show what it
// touched, on every replica, as soon as that replica reads the event (the log's notification delay).
//
// An answer computed while an event that touches it was being read must not be stored after the
// eviction ran: the cache numbers every eviction, an execution remembers the number when it
// starts, and its answer is stored only if no eviction since then touched one of its tags. When
// the log cannot be read, nothing is served from the cache (and it is emptied): without the log
// the cache could not know what went stale.
import { entityCacheEntries, entityCacheEvictions } from "../../platform/telemetry/metrics.js";

export interface EntityCacheOptions {
  /** GATEWAY_CACHE_TTL_MS: the longest an answer is kept, for what changes without an event. */
  ttlMs: number;
  /** GATEWAY_CACHE_MAX_ENTRIES: answers kept; the least recently used go first. */
  maxEntries: number;
  /** GATEWAY_CACHE_MAX_BYTES: the answers' size kept, counted as their JSON length. */
  maxBytes: number;
}

interface Entry {
  data: Record<string, unknown>;
  tags: string[];
  expiresAt: number;
  bytes: number;
}

/** Evictions remembered for executions still running (an older execution's answer is not stored). */
const RECENT_EVICTIONS = 10_000;

export class EntityCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byTag = new Map<string, Set<string>>();
  private recent: { seq: number; tags: Set<string> }[] = [];
  private seq = 0;
  /** Evictions before this number are no longer in `recent`. */
  private forgottenBefore = 1;
  private following = false;
  private bytes = 0;

  constructor(readonly options: EntityCacheOptions) {}

  /** Whether the cache is serving: the event log is being read. */
  get serving(): boolean {
    return this.following;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The eviction number an execution starting now remembers. */
  get version(): number {
    return this.seq;
  }

  /** The follower read the log (true) or failed to (false). */
  setFollowing(following: boolean): void {
    if (this.following && !following) this.clear();
    this.following = following;
  }

  get(key: string, now = Date.now()): Record<string, unknown> | undefined {
    if (!this.following) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(key);
      return undefined;
    }
    // Most recently used last: eviction for room takes the first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.data;
  }

  /** Stores an answer computed by an execution that started at `version`; false when it may be stale. */
  set(key: string, data: Record<string, unknown>, tags: Set<string>, version: number, now = Date.now()): boolean {
    if (!this.following || this.touchedSince(version, tags)) return false;
    // Its JSON length stands for its memory (which is a small multiple of it).
    const bytes = JSON.stringify(data).length;
    if (bytes > this.options.maxBytes) return false;
    this.remove(key);
    while (this.entries.size >= this.options.maxEntries || this.bytes + bytes > this.options.maxBytes) this.remove(this.entries.keys().next().value!);
    this.entries.set(key, { data, tags: [...tags], expiresAt: now + this.options.ttlMs, bytes });
    this.bytes += bytes;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    entityCacheEntries.set(this.entries.size);
    return true;
  }

  /** Evicts every answer with one of these tags (an event from the log touched them). */
  evict(tags: Set<string>): number {
    this.seq++;
    this.recent.push({ seq: this.seq, tags });
    if (this.recent.length > RECENT_EVICTIONS) {
      const dropped = this.recent.splice(0, this.recent.length - RECENT_EVICTIONS);
      this.forgottenBefore = dropped[dropped.length - 1]!.seq + 1;
    }
    let evicted = 0;
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) if (this.remove(key)) evicted++;
    }
    if (evicted) entityCacheEvictions.inc(evicted);
    return evicted;
  }

  clear(): void {
    this.seq++;
    // Nothing computed before now may be stored: it may have missed evictions.
    this.recent = [];
    this.forgottenBefore = this.seq + 1;
    this.entries.clear();
    this.byTag.clear();
    this.bytes = 0;
    entityCacheEntries.set(0);
  }

  private touchedSince(version: number, tags: Set<string>): boolean {
    if (version === this.seq) return false;
    if (version + 1 < this.forgottenBefore) return true;
    for (let i = this.recent.length - 1; i >= 0 && this.recent[i]!.seq > version; i--) {
      for (const tag of this.recent[i]!.tags) if (tags.has(tag)) return true;
    }
    return false;
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys && !keys.size) this.byTag.delete(tag);
    }
    entityCacheEntries.set(this.entries.size);
    return true;
  }
}
