// One subgraph as its own HTTP server (distributed mode): /graphql and the health endpoints, the
// domain's event consumers, and for the operations subgraph the ingestion endpoints.
import type http from "node:http";
import { createHost, type HostOptions } from "./host.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import type { Database } from "../platform/db/index.js";
import { probeWrite } from "../platform/db/write-probe.js";
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
import { mountExportRoutes } from "../platform/export/http.js";
import { datasetsOf } from "./export-datasets.js";
import { registerStoreGauges } from "../platform/telemetry/store-gauges.js";
import { securityOptionsFromEnv, type AppSecurityOptions } from "./config.js";
import { ingestAccessOptions } from "./ingest-access.js";
import { forwardedIdentity, requireGatewayCredential } from "../platform/auth/gateway-credential.js";

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  httpServer: http.Server;
  /** Stops serving: at once by default (tests), or draining in-flight requests (SIGTERM). */
  close(timing?: ShutdownTiming): Promise<void>;
}

export async function startSubgraphServer(
  name: SubgraphName,
  database: Database,
  config: ServerConfig,
  hostOptions: HostOptions = {},
  security: AppSecurityOptions = securityOptionsFromEnv({}),
): Promise<RunningSubgraph> {
  const host = createHost(database, [name], { gatewaySecret: security.gatewaySecret, ...hostOptions });
  const subgraph = host.subgraphs[name]!;
  const memory = createMemoryGuard(config.memoryLimitFraction);
  await host.start();
  const app = createHttpApp(config);
  let serving = true;
  mountHealth(
    app,
    [
      { name: "serving", run: () => serving },
      { name: "database", run: () => database.ping() },
      { name: "databaseWrites", run: () => probeWrite(database.db) },
      { name: "memory", run: () => !memory.overloaded() },
    ],
    { timeoutMs: config.healthCheckTimeoutMs, details: host.ingests ? { ingestion: () => ingestBacklog(database.db) } : {} },
  );
  if (host.ingests) {
    registerStoreGauges(database.db); // once per deployment: the process that hosts ingestion
    app.use("/ingest", refuseWhenOverloaded(memory, "plain"));
    mountIngestRoutes(app, {
      db: database.db,
      registry: host.handlers,
      bodyLimit: config.ingestBodyLimit,
      oversizedPrefixBytes: host.ingestOptions.oversizedPrefixBytes,
      ...host.ingestHooks,
      coalescing: { lanes: host.ingestOptions.lanes, maxMessages: 1000 },
      access: ingestAccessOptions(security, config.corsOrigins),
    });
    // Documents and exports are read through the gateway, which checks the caller's token and
    // scope and forwards with its secret; nobody else may read them here.
    app.use("/documents", requireGatewayCredential(security.gatewaySecret));
    mountDocumentRoutes(app, database.db);
  }
  app.use("/export", requireGatewayCredential(security.gatewaySecret));
  mountExportRoutes(app, database.db, datasetsOf([name]));
  // The gateway's requests carry entity representations and planned queries: they are held to
  // SUBGRAPH_BODY_LIMIT, the same limit the gateway applies before sending. Only the gateway may
  // call (GATEWAY_SHARED_SECRET in x-gateway-secret); the caller's identity rides along.
  mountGraphQL(app, {
    path: "/graphql",
    server: subgraph.server,
    context: (req, res) =>
      subgraph.createContext({
        db: database.db,
        correlationId: correlationIdOf(req),
        identity: forwardedIdentity(req),
        budget: budgetForRequest(res, config.limits, memory),
      }),
    bodyLimit: config.subgraphBodyLimit,
    bodyLimitVariable: "SUBGRAPH_BODY_LIMIT",
    memory,
    gates: [requireGatewayCredential(security.gatewaySecret)],
  });
  mountErrorHandlers(app);
  const httpServer = await listen(app, config.port, config.host);
  return {
    name,
    url: serverUrl(httpServer, "/graphql"),
    httpServer,
    close: async (timing = IMMEDIATE_SHUTDOWN) => {
      serving = false; // readiness 503 first; then drain as app/embedded.ts does
      await stopServing(httpServer, timing);
      await host.stop();
    },
  };
}
