// Wires subscriptions into a gateway process: the event follower, the follow-up cache executing
// through the gateway itself (batched, paced), the engine, and graphql-ws on the HTTP server.
import type http from "node:http";
import type { ApolloServer } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Database } from "../../platform/db/index.js";
import type { MemoryGuard } from "../../platform/limits/memory-guard.js";
import type { GatewayContext } from "../context.js";
import { executeThroughGateway } from "../execute.js";
import { SubscriptionEngine, type EngineOptions } from "./engine.js";
import type { SubscriptionSpec } from "./spec.js";
import { EventFollower } from "./event-follower.js";
import { FollowUpCache } from "./follow-up.js";
import { FollowUpPacer } from "./pacing.js";
import { attachSubscriptions, type WsHandle } from "./ws-server.js";
import type { GatewaySecurity } from "../security/index.js";
import type { EntityCacheFeed } from "../cache/event-feed.js";

export interface SubscriptionOptions extends EngineOptions {
  /** EVENT_POLL_MS: fallback poll of the event log when no notification arrives (default 1000). */
  pollIntervalMs: number;
  /** WS_INIT_TIMEOUT_MS (default 3000). */
  connectionInitWaitTimeout: number;
  /** FOLLOW_UP_CONCURRENCY: follow-up queries executing at once in this process (default 4). */
  followUpConcurrency: number;
  /** WS_MAX_CONNECTIONS (default 1000). */
  maxConnections: number;
  /** WS_MAX_SUBSCRIPTIONS_PER_SOCKET (default 100). */
  maxSubscriptionsPerSocket: number;
}

/** What the process around the subscriptions decides: message size (BODY_LIMIT) and memory. */
export interface SubscriptionLimits {
  maxMessageBytes: number;
  memory: MemoryGuard;
}

export interface Subscriptions {
  engine: SubscriptionEngine;
  follower: EventFollower | null;
  followUps: FollowUpCache;
  pacer: FollowUpPacer;
  ws: WsHandle;
  close(): Promise<void>;
}

export async function startSubscriptions(
  httpServer: http.Server,
  gateway: ApolloServer<GatewayContext>,
  apiSchema: () => GraphQLSchema,
  database: Database | null,
  specs: SubscriptionSpec[],
  options: SubscriptionOptions,
  limits: SubscriptionLimits,
  security: GatewaySecurity,
  entityCache: EntityCacheFeed | null = null,
): Promise<Subscriptions> {
  const follower = database
    ? new EventFollower(
        database.db,
        database.store,
        // The entity cache is evicted by every kind of event; subscriptions need only theirs.
        entityCache ? null : specs.map((s) => s.eventType),
        options.pollIntervalMs,
      )
    : null;
  if (follower && entityCache) entityCache.attach(follower);
  await follower?.start();
  const pacer = new FollowUpPacer(options.followUpConcurrency);
  // Follow-ups run as their subscriber (identity included), so authorization and row-level rules apply.
  const followUps = new FollowUpCache(
    (query, variables, subscriber) => executeThroughGateway(gateway, { query, variables }, security.contexts.forFollowUp(subscriber)),
    pacer,
    { batchSize: options.followUpBatchSize },
  );
  const engine = new SubscriptionEngine(apiSchema, follower, followUps, pacer, specs, options);
  const ws = attachSubscriptions(httpServer, {
    path: "/graphql",
    schema: apiSchema,
    engine,
    gateway,
    connectionInitWaitTimeout: options.connectionInitWaitTimeout,
    caps: {
      maxConnections: options.maxConnections,
      maxSubscriptionsPerSocket: options.maxSubscriptionsPerSocket,
      maxMessageBytes: limits.maxMessageBytes,
      memory: limits.memory,
    },
    security,
  });
  return {
    engine,
    follower,
    followUps,
    pacer,
    ws,
    close: async () => {
      await ws.close();
      await follower?.stop();
    },
  };
}
