// The gateway as its own process: federates subgraphs over HTTP, from our composed supergraph or
// from any Federation 2 supergraph file (SUPERGRAPH_FILE), using the subgraph URLs written in it.
import type http from "node:http";
import { createGatewayServer } from "./gateway.js";
import { CorrelatedRemoteDataSource } from "./data-sources.js";
import { IMMEDIATE_SHUTDOWN, stopServing, type ShutdownTiming } from "../platform/http/shutdown.js";
import { correlationIdOf, createHttpApp, listen, mountGraphQL, mountHealth, serverUrl, type ServerConfig } from "../platform/http/server.js";
import { startSubscriptions, type SubscriptionOptions, type Subscriptions } from "./subscriptions/index.js";
import type { SubscriptionSpec } from "./subscriptions/spec.js";
import type { Database } from "../platform/db/index.js";
import { mountIngestProxy, operationsUrlIn } from "./ingest-proxy.js";
import { mountWebApps, type IdeChoice } from "./ide.js";

export interface RunningGateway {
  url: string;
  httpServer: http.Server;
  subscriptions: Subscriptions;
  /** Stops serving: at once by default (tests), or draining in-flight requests (SIGTERM). */
  close(timing?: ShutdownTiming): Promise<void>;
}

export interface GatewayProcessOptions {
  supergraphSdl: string;
  config: ServerConfig;
  /** The event log's database; without it, subscriptions answer with an error saying so. */
  database: Database | null;
  /** Which events feed which subscription fields (the domains' knowledge, given by app/). */
  subscriptionSpecs: SubscriptionSpec[];
  subscriptionOptions: SubscriptionOptions;
  /** The browser IDE at /graphql (default GraphiQL). */
  ide?: IdeChoice;
}

export async function startGateway({ supergraphSdl, config, database, subscriptionSpecs, subscriptionOptions, ide = "graphiql" }: GatewayProcessOptions): Promise<RunningGateway> {
  const { server: gateway, apiSchema } = createGatewayServer({
    supergraphSdl,
    buildService: ({ name, url }) => new CorrelatedRemoteDataSource(name, url!),
    ide,
  });
  await gateway.start();
  const app = createHttpApp(config);
  let ready = true;
  mountHealth(app, [
    { name: "supergraph", check: () => ready },
    ...(database ? [{ name: "database", check: () => database.ping() }] : []),
  ]);
  const operationsUrl = operationsUrlIn(supergraphSdl);
  if (operationsUrl) mountIngestProxy(app, operationsUrl);
  mountWebApps(app, ide);
  mountGraphQL(app, "/graphql", gateway, (req) => ({ correlationId: correlationIdOf(req) }), config.bodyLimit, { batchMax: config.batchMax, corsOrigins: config.corsOrigins });
  const httpServer = await listen(app, config.port, config.host);
  const subscriptions = await startSubscriptions(httpServer, gateway, apiSchema, database, subscriptionSpecs, subscriptionOptions);
  return {
    url: serverUrl(httpServer, "/graphql"),
    httpServer,
    subscriptions,
    close: async (timing = IMMEDIATE_SHUTDOWN) => {
      ready = false; // readiness 503 first; then drain as app/embedded.ts does
      await stopServing(httpServer, timing, () => subscriptions.close());
      await gateway.stop();
    },
  };
}
