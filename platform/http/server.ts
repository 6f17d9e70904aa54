// HTTP surface shared by the embedded app, the standalone gateway and standalone subgraphs:
// /graphql (POST and GET), /health, correlation ids, CORS limited to configured origins.
import http from "node:http";
import express, { type Express, type RequestHandler } from "express";
import { randomUUID } from "node:crypto";
import type { ApolloServer, BaseContext } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { CORRELATION_HEADER, isAcceptableCorrelationId } from "../telemetry/correlation.js";
import { ErrorCode } from "../errors.js";
import { allowToolGets, limitBatches } from "./graphql-requests.js";
import { IMMEDIATE_SHUTDOWN, stopServing, type ShutdownTiming } from "./shutdown.js";

export interface HealthCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

export interface HttpOptions {
  /** Origins allowed to call from a browser; empty: same-origin only. */
  corsOrigins: string[];
  /** Largest request body accepted, e.g. "1mb". */
  bodyLimit: string;
}

/** Where and how a server listens; app/config.ts reads it from the environment. */
export interface ServerConfig extends HttpOptions {
  /** PORT: where to listen (default 4000; 0 picks a free port). */
  port: number;
  /** HOST: interface to bind (default 127.0.0.1; 0.0.0.0 to expose on the network). */
  host: string;
  /** CORS_ORIGINS: comma-separated browser origins allowed to call the API (default none). */
  corsOrigins: string[];
  /** BODY_LIMIT: largest GraphQL request body (default 1mb). */
  bodyLimit: string;
  /** INGEST_BODY_LIMIT: largest message accepted on /ingest/* in bytes (default 5mb). */
  ingestBodyLimit: number;
  /** GRAPHQL_BATCH_MAX: most operations in one batched (JSON array) request to the gateway; 0 turns batching off (default 10). */
  batchMax?: number;
  /** SHUTDOWN_DELAY_MS and DRAIN_TIMEOUT_MS: how a SIGTERM drains this server (shutdown.ts). */
  shutdown?: ShutdownTiming;
}

/** GRAPHQL_BATCH_MAX's default. */
export const DEFAULT_BATCH_MAX = 10;

export function createHttpApp(options: HttpOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(correlationId);
  app.use(cors(options.corsOrigins));
  return app;
}

export function correlationIdOf(req: express.Request): string {
  return (req as express.Request & { correlationId?: string }).correlationId ?? randomUUID();
}

const correlationId: RequestHandler = (req, res, next) => {
  const given = req.header(CORRELATION_HEADER);
  const id = isAcceptableCorrelationId(given) ? given : randomUUID();
  (req as express.Request & { correlationId?: string }).correlationId = id;
  res.setHeader(CORRELATION_HEADER, id);
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

export function mountGraphQL<C extends BaseContext>(
  app: Express,
  path: string,
  server: ApolloServer<C>,
  context: (req: express.Request) => Promise<C> | C,
  bodyLimit: string,
  /** For the public gateway: batching up to this many operations, and GETs from tools (graphql-requests.ts). */
  publicEndpoint?: { batchMax?: number; corsOrigins: string[] },
) {
  const rules = publicEndpoint ? [allowToolGets(publicEndpoint.corsOrigins), limitBatches(publicEndpoint.batchMax ?? DEFAULT_BATCH_MAX)] : [];
  app.use(path, express.json({ limit: bodyLimit }), ...rules, expressMiddleware(server, { context: async ({ req }) => context(req) }));
}

/**
 * Figures reported next to the checks without deciding readiness (ingestion's wait, say): each
 * appears under its name when it answers within 2 s, and is left out otherwise.
 */
export type HealthDetails = Record<string, () => Promise<unknown>>;

export function mountHealth(app: Express, checks: HealthCheck[], details: HealthDetails = {}) {
  app.get("/health", async (_req, res) => {
    const [results, figures] = await Promise.all([
      Promise.all(checks.map(async (c) => [c.name, await safely(c.check)] as const)).then(Object.fromEntries),
      Promise.all(Object.entries(details).map(async ([name, detail]) => [name, await withinTwoSeconds(detail)] as const)),
    ]);
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks: results, ...Object.fromEntries(figures.filter(([, v]) => v !== undefined)) });
  });
}

async function withinTwoSeconds(detail: () => Promise<unknown>): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([detail(), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 2000)))]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function safely(check: () => Promise<boolean> | boolean): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}

export function listen(app: Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
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
