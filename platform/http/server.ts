// HTTP surface shared by the embedded app, the standalone gateway and standalone subgraphs:
// GraphQL endpoints (POST and GET), correlation ids, CORS limited to configured origins. Health
// endpoints: health.ts; error bodies: errors.ts.
import http from "node:http";
import express, { type Express, type RequestHandler } from "express";
import type { ApolloServer, BaseContext } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { CORRELATION_HEADER } from "../telemetry/correlation.js";
import { assignCorrelationId, correlationIdOf } from "./correlation.js";
import { graphqlErrorHandler } from "./errors.js";
import type { OperationLimits } from "../limits/operation-budget.js";
import type { MemoryGuard } from "../limits/memory-guard.js";
import { refuseWhenOverloaded } from "./overload.js";
import { logFor } from "../telemetry/log.js";
import { traceRequests } from "../telemetry/tracing.js";
import { httpRequestSeconds, mountMetrics, routeFamily } from "../telemetry/metrics.js";
import { ErrorCode } from "../errors.js";
import { allowToolGets, limitBatches } from "./graphql-requests.js";
import { IMMEDIATE_SHUTDOWN, stopServing, type ShutdownTiming } from "./shutdown.js";

export { correlationIdOf };

export interface HttpOptions {
  /** Origins allowed to call from a browser; empty: same-origin only. */
  corsOrigins: string[];
  /** Largest request body accepted, e.g. "1mb". */
  bodyLimit: string;
}

/** Where and how a server listens, and what it accepts; app/config.ts reads it from the environment. */
export interface ServerConfig extends HttpOptions {
  /** PORT: where to listen (default 4000; 0 picks a free port). */
  port: number;
  /** HOST: interface to bind (default 127.0.0.1; 0.0.0.0 to expose on the network). */
  host: string;
  /** CORS_ORIGINS: comma-separated browser origins allowed to call the API (default none). */
  corsOrigins: string[];
  /** BODY_LIMIT: largest GraphQL request body from clients (default 1mb). */
  bodyLimit: string;
  /** INGEST_BODY_LIMIT: largest message accepted on /ingest/* in bytes (default 5mb). */
  ingestBodyLimit: number;
  /**
   * SUBGRAPH_BODY_LIMIT: largest request the gateway sends to a subgraph and a subgraph accepts
   * (default 16mb). Gateway-to-subgraph requests carry entity representations for up to
   * MAX_RESULT_ITEMS items and the planned query text, so they outgrow BODY_LIMIT.
   */
  subgraphBodyLimit: string;
  /** HEALTH_CHECK_TIMEOUT_MS: how long each readiness check may take (default 2000). */
  healthCheckTimeoutMs: number;
  /** MEMORY_LIMIT_FRACTION: heap used / heap limit above which new work is refused with 503 (default 0.85). */
  memoryLimitFraction: number;
  /** OPERATION_TIMEOUT_MS, MAX_RESULT_ITEMS, MAX_RESULT_BYTES: what one operation may cost. */
  limits: OperationLimits;
  /** GRAPHQL_BATCH_MAX: most operations in one batched (JSON array) request to the gateway; 0 turns batching off (default 10). */
  batchMax?: number;
  /** SHUTDOWN_DELAY_MS and DRAIN_TIMEOUT_MS: how a SIGTERM drains this server (shutdown.ts). */
  shutdown?: ShutdownTiming;
  /** SUBGRAPH_DEDUPE_REPRESENTATIONS: the gateway asks a subgraph for each distinct entity once per _entities fetch (default true). */
  dedupeRepresentations?: boolean;
  /** SUBGRAPH_SHARE_INFLIGHT: the gateway (standalone or embedded) sends identical concurrent subgraph queries for the same caller once (default true). */
  shareInFlight?: boolean;
  /** GATEWAY_CACHE, GATEWAY_CACHE_TTL_MS, GATEWAY_CACHE_MAX_ENTRIES, GATEWAY_CACHE_MAX_SIZE: the gateway's entity cache, evicted by the event log (default off). */
  entityCache?: { enabled: boolean; ttlMs: number; maxEntries: number; maxBytes: number };
}

/** GRAPHQL_BATCH_MAX's default. */
export const DEFAULT_BATCH_MAX = 10;

export function createHttpApp(options: HttpOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(assignCorrelationId);
  app.use(traceRequests);
  app.use(accessLog);
  mountMetrics(app);
  app.use(cors(options.corsOrigins));
  return app;
}

/** One line per HTTP request, with its correlation id, and its duration in the metrics. */
const accessLog: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // originalUrl: routers mounted with app.use(path) rewrite req.url/req.path by the time a response ends.
    const path = req.originalUrl.split("?")[0]!;
    const route = routeFamily(path);
    httpRequestSeconds.observe({ method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
    if (route === "metrics" || route === "health") return; // scrapes and probes would drown the log
    logFor(correlationIdOf(req)).info({ method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000) }, "http request");
  });
  next();
};

// A preflight from an origin that is not allowed gets a 403 that says why (a browser shows only a
// CORS failure, but the network panel and curl show the reason); other requests pass unchanged and
// the browser withholds the answer for lack of allow headers.
function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.header("origin");
    if (origin && !allowed.has(origin) && req.method === "OPTIONS" && req.header("access-control-request-method")) {
      res.status(403).json({
        error: {
          code: ErrorCode.CORS_ORIGIN_NOT_ALLOWED,
          message: `Origin ${origin} may not call this server from a browser: it is not in CORS_ORIGINS (${origins.length ? `allowed: ${origins.join(", ")}` : "none are allowed; set CORS_ORIGINS"})`,
          origin,
        },
      });
      return;
    }
    if (origin && allowed.has(origin)) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("vary", "origin");
      res.setHeader("access-control-allow-headers", "content-type, authorization, x-correlation-id, apollo-require-preflight");
      res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
      res.setHeader("access-control-expose-headers", CORRELATION_HEADER);
    }
    if (req.method === "OPTIONS") {
      res.status(204).end();
      return;
    }
    next();
  };
}

export interface GraphQLRoute<C extends BaseContext> {
  path: string;
  server: ApolloServer<C>;
  context: (req: express.Request, res: express.Response) => Promise<C> | C;
  /** Largest body, e.g. "1mb", and the variable that sets it (named in the 413 error). */
  bodyLimit: string;
  bodyLimitVariable: string;
  /** Refuses requests with 503 while the heap is near its limit. */
  memory: MemoryGuard;
  /** For the public gateway: batching up to this many operations, and GETs from tools (graphql-requests.ts). */
  publicEndpoint?: { batchMax?: number; corsOrigins: string[] };
  /** Checks after body parsing, before Apollo Server (the gateway's authentication and limits; a subgraph's gateway credential). */
  gates?: RequestHandler[];
}

export function mountGraphQL<C extends BaseContext>(app: Express, route: GraphQLRoute<C>) {
  // A router of its own: exactly `path` is the GraphQL endpoint (anything under it is an unknown
  // route), and errors before Apollo Server (unreadable or oversized bodies) answer in GraphQL's shape.
  const router = express.Router();
  router.all(
    "/",
    refuseWhenOverloaded(route.memory, "graphql"),
    express.json({ limit: route.bodyLimit }),
    ...(route.publicEndpoint ? [allowToolGets(route.publicEndpoint.corsOrigins), limitBatches(route.publicEndpoint.batchMax ?? DEFAULT_BATCH_MAX)] : []),
    ...(route.gates ?? []),
    expressMiddleware(route.server, { context: async ({ req, res }) => route.context(req, res) }),
  );
  router.use(graphqlErrorHandler(`${route.bodyLimit} (${route.bodyLimitVariable})`));
  app.use(route.path, router);
}

/**
 * How long an idle keep-alive connection stays open. Longer than the clients' and load balancers'
 * own idle timeouts (Node's fetch: 4 s, AWS ALB: 60 s), so the client side closes first: a server
 * that closes first races the client's next request on that socket, which then fails with "other
 * side closed" (seen from the demo flows while the server was busy). Node's default is 5 s.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function listen(app: Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // Must exceed keepAliveTimeout, or a slow request's headers on a reused socket time out first.
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Stops at once: in-flight requests are cut off (tests, start-up failures). A graceful stop: shutdown.ts. */
export async function closeServer(server: http.Server): Promise<void> {
  await stopServing(server, IMMEDIATE_SHUTDOWN);
}

export function serverUrl(server: http.Server, path = ""): string {
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("server is not listening on TCP");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${path}`;
}
