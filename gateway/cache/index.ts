// The gateway's entity cache (GATEWAY_CACHE): see entity-cache.ts for what it guarantees.
import { log } from "../../platform/telemetry/log.js";
import { EntityCache, type EntityCacheOptions } from "./entity-cache.js";
import { EntityCacheFeed } from "./event-feed.js";

export { CACHE_HEADER } from "./caching-executor.js";
export { EntityCache, EntityCacheFeed };

/** The cache for a gateway process, or null when it is off or cannot be kept fresh. */
export function entityCacheFor(settings: (EntityCacheOptions & { enabled: boolean }) | undefined, hasEventLog: boolean): EntityCacheFeed | null {
  if (!settings?.enabled) return null;
  if (!hasEventLog) {
    // Without the log nothing would evict a stale answer: serve every query fresh instead.
    log.warn({ component: "gateway" }, "GATEWAY_CACHE is on but this gateway has no DATABASE_URL to follow the event log: the entity cache stays off");
    return null;
  }
  return new EntityCacheFeed(new EntityCache({ ttlMs: settings.ttlMs, maxEntries: settings.maxEntries, maxBytes: settings.maxBytes }));
}
