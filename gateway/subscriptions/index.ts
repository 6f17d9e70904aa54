// Wires subscriptions into a gateway process: the event follower, the follow-up cache executing
// through the gateway itself, the engine, and graphql-ws on the HTTP server.
import type http from "node:http";
import type { ApolloServer } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Database } from "../../platform/db/index.js";
import type { GatewayContext } from "../context.js";
import { executeThroughGateway } from "../execute.js";
import { SubscriptionEngine, type EngineOptions } from "./engine.js";
import type { SubscriptionSpec } from "./spec.js";
import { EventFollower } from "./event-follower.js";
import { FollowUpCache } from "./follow-up.js";
import { attachSubscriptions, type WsHandle } from "./ws-server.js";

export interface SubscriptionOptions extends EngineOptions {
  pollIntervalMs: number;
  connectionInitWaitTimeout: number;
}

export interface Subscriptions {
  engine: SubscriptionEngine;
  follower: EventFollower | null;
  followUps: FollowUpCache;
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
): Promise<Subscriptions> {
  const follower = database ? new EventFollower(database.db, database.store, specs.map((s) => s.eventType), options.pollIntervalMs) : null;
  await follower?.start();
  const followUps = new FollowUpCache((query, variables) => executeThroughGateway(gateway, { query, variables }, "subscription-follow-up"));
  const engine = new SubscriptionEngine(apiSchema, follower, followUps, specs, options);
  const ws = attachSubscriptions(httpServer, { path: "/graphql", schema: apiSchema, engine, gateway, connectionInitWaitTimeout: options.connectionInitWaitTimeout });
  return {
    engine,
    follower,
    followUps,
    ws,
    close: async () => {
      await ws.close();
      await follower?.stop();
    },
  };
}
