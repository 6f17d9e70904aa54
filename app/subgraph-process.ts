// One subgraph as its own HTTP server (distributed mode): /graphql and /health, the domain's
// event consumers, and for the operations subgraph the ingestion endpoints.
import type http from "node:http";
import { createHost, type HostOptions } from "./host.js";
import type { SubgraphName } from "../subgraphs/catalog.js";
import type { Database } from "../platform/db/index.js";
import { IMMEDIATE_SHUTDOWN, stopServing, type ShutdownTiming } from "../platform/http/shutdown.js";
import { correlationIdOf, createHttpApp, listen, mountGraphQL, mountHealth, serverUrl, type ServerConfig } from "../platform/http/server.js";
import { mountIngestRoutes } from "../platform/ingest/router.js";
import { mountDocumentRoutes } from "../platform/documents/http.js";
import { ingestBacklog } from "../platform/ingest/backlog.js";

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  httpServer: http.Server;
  /** Stops serving: at once by default (tests), or draining in-flight requests (SIGTERM). */
  close(timing?: ShutdownTiming): Promise<void>;
}

export async function startSubgraphServer(name: SubgraphName, database: Database, config: ServerConfig, hostOptions: HostOptions = {}): Promise<RunningSubgraph> {
  const host = createHost(database, [name], hostOptions);
  const subgraph = host.subgraphs[name]!;
  await host.start();
  const app = createHttpApp(config);
  let serving = true;
  mountHealth(app, [{ name: "serving", check: () => serving }, { name: "database", check: () => database.ping() }], host.ingests ? { ingestion: () => ingestBacklog(database.db) } : {});
  if (host.ingests) {
    mountIngestRoutes(app, { db: database.db, registry: host.handlers, bodyLimit: config.ingestBodyLimit, oversizedPrefixBytes: host.ingestOptions.oversizedPrefixBytes, ...host.ingestHooks, coalescing: { lanes: host.ingestOptions.lanes, maxMessages: 1000 } });
    mountDocumentRoutes(app, database.db);
  }
  mountGraphQL(app, "/graphql", subgraph.server, (req) => subgraph.createContext({ db: database.db, correlationId: correlationIdOf(req) }), config.bodyLimit);
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
