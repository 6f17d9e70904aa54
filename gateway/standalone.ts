// The gateway as its own process: federates subgraphs over HTTP, from our composed supergraph or
// from any Federation 2 supergraph file (SUPERGRAPH_FILE), using the subgraph URLs written in it.
import { mountPublicGateway } from "./public-endpoint.js";
import { allScopes } from "../platform/auth/scopes.js";
import type http from "node:http";
import type { ExecutionResult } from "graphql";
import { executeThroughGateway } from "./execute.js";
import { createGatewayServer } from "./gateway.js";
import { entityCacheFor } from "./cache/index.js";
import { HttpDataSource } from "./data-sources/http.js";
import { subgraphReadinessChecks } from "./subgraph-readiness.js";
import { createHttpApp, listen, serverUrl, type ServerConfig } from "../platform/http/server.js";
import { mountHealth, type ReadinessCheck } from "../platform/http/health.js";
import { mountErrorHandlers } from "../platform/http/errors.js";
import { createMemoryGuard } from "../platform/limits/memory-guard.js";
import { parseSize } from "../platform/ingest/body.js";
import { probeWrite } from "../platform/db/write-probe.js";
import { IMMEDIATE_SHUTDOWN, stopServing, type ShutdownTiming } from "../platform/http/shutdown.js";
import { startSubscriptions, type SubscriptionOptions, type Subscriptions } from "./subscriptions/index.js";
import type { SubscriptionSpec } from "./subscriptions/spec.js";
import type { Database } from "../platform/db/index.js";
import { mountIngestProxy, operationsUrlIn } from "./ingest-proxy.js";
import type { IdeChoice } from "./ide.js";
import { mountExportProxy } from "./export-proxy.js";
import { documentAccessRule, exportAccessRule, restAccess } from "./security/rest-access.js";
import { registerSubscriptionGauge } from "../platform/telemetry/store-gauges.js";
import { createGatewaySecurity, type SecurityOptions } from "./security/index.js";

export interface RunningGateway {
  url: string;
  /** Runs an operation through this gateway's executor (for in-process callers such as KPI alerts). */
  execute(query: string, variables: Record<string, unknown>, correlationId: string): Promise<ExecutionResult>;
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
  /** GET /export/<dataset>: dataset -> the subgraph that serves it (given by app/). */
  exportOwners?: Record<string, string>;
  /** dataset -> the scope a token needs to read it (checked here before forwarding). */
  exportScopes?: Record<string, string>;
  /** Authentication, authorization, limits; GATEWAY_SHARED_SECRET goes to the subgraphs. */
  security: SecurityOptions;
}

export async function startGateway({
  supergraphSdl,
  config,
  database,
  subscriptionSpecs,
  subscriptionOptions,
  ide = "graphiql",
  exportOwners = {},
  exportScopes = {},
  security: securityOptions,
}: GatewayProcessOptions): Promise<RunningGateway> {
  const security = createGatewaySecurity(securityOptions, supergraphSdl);
  const entityCache = entityCacheFor(config.entityCache, database !== null);
  const memory = createMemoryGuard(config.memoryLimitFraction);
  const requestLimitBytes = parseSize(config.subgraphBodyLimit);
  const {
    server: gateway,
    apiSchema,
    dataSources,
  } = createGatewayServer({
    entityCache,
    supergraphSdl,
    buildService: ({ name, url }) =>
      new HttpDataSource(name, url!, {
        requestLimitBytes,
        timeoutMs: config.healthCheckTimeoutMs,
        responseLimitBytes: 1024 * 1024,
        gatewaySecret: securityOptions.gatewaySecret,
        dedupeRepresentations: config.dedupeRepresentations,
        shareInFlight: config.shareInFlight,
      }),
    limits: config.limits,
    memory,
    ide,
    security,
  });
  await gateway.start();
  const app = createHttpApp(config);
  let ready = true;
  // With DATABASE_URL the gateway shares the subgraphs' PostgreSQL: a database that refuses writes
  // there refuses them to every subgraph, so it is the gateway's business too.
  const databaseChecks: ReadinessCheck[] = database
    ? [
        { name: "database", run: () => database.ping() },
        { name: "databaseWrites", run: () => probeWrite(database.db) },
      ]
    : [];
  mountHealth(
    app,
    [{ name: "supergraph", run: () => ready }, ...databaseChecks, { name: "memory", run: () => !memory.overloaded() }, ...subgraphReadinessChecks(dataSources)],
    { timeoutMs: config.healthCheckTimeoutMs },
  );
  const operationsUrl = operationsUrlIn(supergraphSdl);
  app.use("/documents", restAccess(security, documentAccessRule));
  if (operationsUrl) mountIngestProxy(app, operationsUrl);
  app.use("/export/:dataset", restAccess(security, exportAccessRule(exportScopes)));
  mountExportProxy(app, supergraphSdl, exportOwners);
  mountPublicGateway(app, { server: gateway, security, supergraphSdl, config, memory, ide });
  mountErrorHandlers(app);
  const httpServer = await listen(app, config.port, config.host);
  const subscriptions = await startSubscriptions(
    httpServer,
    gateway,
    apiSchema,
    database,
    subscriptionSpecs,
    subscriptionOptions,
    { maxMessageBytes: parseSize(config.bodyLimit), memory },
    security,
    entityCache,
  );
  registerSubscriptionGauge(() => subscriptions.follower?.listenerCount ?? 0);
  return {
    url: serverUrl(httpServer, "/graphql"),
    // Internal callers (KPI alerts) run with every scope: they are this process, not a client.
    execute: (query, variables, correlationId) =>
      executeThroughGateway(
        gateway,
        { query, variables },
        { correlationId, identity: { subject: `system:${correlationId}`, scopes: allScopes }, clientName: correlationId },
      ),
    httpServer,
    subscriptions,
    close: async (timing = IMMEDIATE_SHUTDOWN) => {
      ready = false; // readiness 503 first; then drain as app/embedded.ts does
      await stopServing(httpServer, timing, () => subscriptions.close());
      await gateway.stop();
    },
  };
}
