// Everything in one process: the subgraphs and the gateway on one port, one database, the
// ingestion endpoints and the event consumers. The gateway reaches the subgraphs in-process;
// with SUBGRAPH_DEBUG_ENDPOINTS each subgraph is also served over HTTP at
// /subgraphs/<name>/graphql, for debugging and for measuring the gateway's overhead (off by
// default: they bypass the gateway's authorization and limits).
import { mountPublicGateway } from "../gateway/public-endpoint.js";
import type http from "node:http";
import { subgraphNames, type SubgraphName } from "../subgraphs/catalog.js";
import { createHost, type Host, type HostOptions } from "./host.js";
import type { Database } from "../platform/db/index.js";
import { probeWrite } from "../platform/db/write-probe.js";
import { composeOwnSupergraph } from "./supergraph.js";
import { createGatewayServer } from "../gateway/gateway.js";
import { entityCacheFor } from "../gateway/cache/index.js";
import { InProcessDataSource } from "../gateway/data-sources/in-process.js";
import { subgraphReadinessChecks } from "../gateway/subgraph-readiness.js";
import { correlationIdOf, createHttpApp, listen, mountGraphQL, serverUrl, type ServerConfig } from "../platform/http/server.js";
import { mountHealth } from "../platform/http/health.js";
import { mountErrorHandlers } from "../platform/http/errors.js";
import { refuseWhenOverloaded } from "../platform/http/overload.js";
import { budgetForRequest } from "../platform/http/request-budget.js";
import { createMemoryGuard } from "../platform/limits/memory-guard.js";
import { IMMEDIATE_SHUTDOWN, stopServing, type ShutdownTiming } from "../platform/http/shutdown.js";
import { mountIngestRoutes } from "../platform/ingest/router.js";
import { mountDocumentRoutes } from "../platform/documents/http.js";
import { ingestBacklog } from "../platform/ingest/backlog.js";
import { subscriptionOptionsFromEnv } from "./config.js";
import { startSubscriptions, type SubscriptionOptions, type Subscriptions } from "../gateway/subscriptions/index.js";
import { subscriptionSpecs } from "./subscription-specs.js";
import type { IdeChoice } from "../gateway/ide.js";
import { parseSize } from "../platform/ingest/body.js";
import { mountExportRoutes } from "../platform/export/http.js";
import { datasetsOf, exportScopes } from "./export-datasets.js";
import { documentAccessRule, exportAccessRule, restAccess } from "../gateway/security/rest-access.js";
import { startKpiAlerts } from "../platform/kpi/alerts.js";
import { registerStoreGauges, registerSubscriptionGauge } from "../platform/telemetry/store-gauges.js";
import { executeThroughGateway } from "../gateway/execute.js";
import { allScopes } from "../platform/auth/scopes.js";
import { securityOptionsFromEnv, type AppSecurityOptions } from "./config.js";
import { createGatewaySecurity, type GatewaySecurity } from "../gateway/security/index.js";
import { ingestAccessOptions } from "./ingest-access.js";
import { requireGatewayCredential, forwardedIdentity } from "../platform/auth/gateway-credential.js";

export interface RunningApp {
  url: string;
  subgraphUrls: Record<SubgraphName, string>;
  httpServer: http.Server;
  host: Host;
  subscriptions: Subscriptions;
  security: GatewaySecurity;
  /** Stops serving: at once by default (tests), or draining in-flight requests as start-embedded does on SIGTERM. */
  close(timing?: ShutdownTiming): Promise<void>;
}

export const subgraphPath = (name: SubgraphName) => `/subgraphs/${name}/graphql`;

export async function startEmbedded(
  database: Database,
  config: ServerConfig,
  hostOptions: HostOptions = {},
  subscriptionOptions: SubscriptionOptions = subscriptionOptionsFromEnv({}),
  ide: IdeChoice = "graphiql",
  securityOptions: AppSecurityOptions = securityOptionsFromEnv({}),
): Promise<RunningApp> {
  const host = createHost(database, subgraphNames, hostOptions);
  const subgraph = (name: SubgraphName) => host.subgraphs[name]!;
  const memory = createMemoryGuard(config.memoryLimitFraction);
  // URLs in the supergraph document are informative here: execution goes through InProcessDataSource.
  const supergraphSdl = composeOwnSupergraph(
    Object.fromEntries(subgraphNames.map((n) => [n, `http://${config.host}:${config.port}${subgraphPath(n)}`])) as Record<SubgraphName, string>,
  );
  const security = createGatewaySecurity(securityOptions, supergraphSdl);
  const entityCache = entityCacheFor(config.entityCache, database !== null);
  const {
    server: gateway,
    apiSchema,
    dataSources,
  } = createGatewayServer({
    entityCache,
    supergraphSdl,
    buildService: ({ name }) =>
      new InProcessDataSource(subgraph(name as SubgraphName), database.db, {
        dedupeRepresentations: config.dedupeRepresentations,
        shareInFlight: config.shareInFlight,
      }),
    ide,
    limits: config.limits,
    memory,
    security,
  });
  await gateway.start();
  await host.start();

  const app = createHttpApp(config);
  let gatewayReady = true;
  mountHealth(
    app,
    [
      { name: "supergraph", run: () => gatewayReady },
      { name: "database", run: () => database.ping() },
      { name: "databaseWrites", run: () => probeWrite(database.db) },
      { name: "memory", run: () => !memory.overloaded() },
      ...subgraphReadinessChecks(dataSources),
    ],
    { timeoutMs: config.healthCheckTimeoutMs, details: { ingestion: () => ingestBacklog(database.db) } },
  );
  app.use("/ingest", refuseWhenOverloaded(memory, "plain"));
  mountIngestRoutes(app, {
    db: database.db,
    registry: host.handlers,
    bodyLimit: config.ingestBodyLimit,
    oversizedPrefixBytes: host.ingestOptions.oversizedPrefixBytes,
    ...host.ingestHooks,
    coalescing: { lanes: host.ingestOptions.lanes, maxMessages: 1000 },
    access: ingestAccessOptions(securityOptions, config.corsOrigins),
  });
  app.use("/documents", restAccess(security, documentAccessRule));
  mountDocumentRoutes(app, database.db);
  app.use("/export/:dataset", restAccess(security, exportAccessRule(exportScopes)));
  mountExportRoutes(app, database.db, datasetsOf(subgraphNames));
  mountPublicGateway(app, { server: gateway, security, supergraphSdl, config, memory, ide });
  if (securityOptions.subgraphDebugEndpoints) {
    for (const name of subgraphNames) {
      const sg = subgraph(name);
      mountGraphQL(app, {
        path: subgraphPath(name),
        server: sg.server,
        context: (req, res) =>
          sg.createContext({
            db: database.db,
            correlationId: correlationIdOf(req),
            identity: forwardedIdentity(req),
            budget: budgetForRequest(res, config.limits, memory),
          }),
        bodyLimit: config.subgraphBodyLimit,
        bodyLimitVariable: "SUBGRAPH_BODY_LIMIT",
        memory,
        gates: [requireGatewayCredential(securityOptions.gatewaySecret)],
      });
    }
  }
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
  registerStoreGauges(database.db);
  registerSubscriptionGauge(() => subscriptions.follower?.listenerCount ?? 0);
  const kpiAlerts = hostOptions.kpiAlerts
    ? startKpiAlerts(
        database.db,
        (query, variables) =>
          executeThroughGateway(
            gateway,
            { query, variables },
            { correlationId: "kpi-alerts", identity: { subject: "system:kpi-alerts", scopes: allScopes }, clientName: "kpi-alerts" },
          ),
        hostOptions.kpiAlerts,
      )
    : null;
  return {
    url: serverUrl(httpServer, "/graphql"),
    subgraphUrls: Object.fromEntries(subgraphNames.map((n) => [n, serverUrl(httpServer, subgraphPath(n))])) as Record<SubgraphName, string>,
    httpServer,
    host,
    subscriptions,
    security,
    close: async (timing = IMMEDIATE_SHUTDOWN) => {
      // Readiness first (503 from now on), then stop accepting and let in-flight requests finish;
      // subscribers are told 1001 (going away) meanwhile. Consumers stop after their current
      // event and in-flight ingestion completes in host.stop(); the caller closes the store last.
      gatewayReady = false;
      await kpiAlerts?.stop();
      await stopServing(httpServer, timing, () => subscriptions.close());
      await gateway.stop();
      await host.stop();
    },
  };
}
