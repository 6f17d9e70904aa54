// Connects the entity cache to this replica's event follower: every event read from the log
// evicts what it touched, and the cache serves only while the log is being read.
import { isAfter, logHead } from "../../platform/events/event-log.js";
import type { EventFollower } from "../subscriptions/event-follower.js";
import type { EntityCache } from "./entity-cache.js";
import { eventTags } from "./event-tags.js";

/** How long a mutation's answer waits for this replica to read the events it wrote. */
const CATCH_UP_LIMIT_MS = 1000;

export class EntityCacheFeed {
  private follower: EventFollower | null = null;

  constructor(readonly cache: EntityCache) {}

  /** Called before the follower starts, so the cache's listener runs before any subscription's. */
  attach(follower: EventFollower): void {
    this.follower = follower;
    follower.listen((event) => void this.cache.evict(eventTags(event)));
    follower.onReadStatus((ok) => this.cache.setFollowing(ok));
  }

  /**
   * Waits until this replica has read the log up to its head now: after a mutation, the caller's
   * next query on this replica sees what the mutation changed (other replicas within the log's
   * notification delay). Bounded: the answer is not held for longer than CATCH_UP_LIMIT_MS.
   */
  async catchUp(): Promise<void> {
    const follower = this.follower;
    if (!follower || !this.cache.serving) return;
    const head = await logHead(follower.db);
    const deadline = Date.now() + CATCH_UP_LIMIT_MS;
    while (isAfter(head, follower.position) && Date.now() < deadline) {
      await follower.poke();
      if (isAfter(head, follower.position)) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
