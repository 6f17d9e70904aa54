// Every setting the gateway, the subgraph processes and the launchers read from the environment,
// with its default. Nothing else reads process.env for configuration.
import { subgraphNames, type SubgraphName } from "../subgraphs/catalog.js";
import { parseSize } from "../platform/ingest/body.js";
import type { ServerConfig } from "../platform/http/server.js";

export type { ServerConfig };

export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  orders: 4001,
  inventory: 4002,
  "erp-finance": 4003,
  shipments: 4004,
  operations: 4005,
};

/** <NAME>_URL for each subgraph, e.g. ERP_FINANCE_URL; defaults to 127.0.0.1 on its default port. */
export const subgraphUrlVariable = (name: SubgraphName) => `${name.toUpperCase().replace(/-/g, "_")}_URL`;

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env, defaultPort = 4000): ServerConfig {
  const port = env.PORT === undefined || env.PORT === "" ? defaultPort : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a number from 0 to 65535, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST || "127.0.0.1",
    corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    bodyLimit: env.BODY_LIMIT || "1mb",
    ingestBodyLimit: parseSize(env.INGEST_BODY_LIMIT || "5mb"),
  };
}

export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<SubgraphName, string> {
  return Object.fromEntries(
    subgraphNames.map((name) => [name, env[subgraphUrlVariable(name)] || `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`]),
  ) as Record<SubgraphName, string>;
}

/** Subscription settings: SUBSCRIPTION_BUFFER (default 1000), SUBSCRIPTION_REPLAY_LIMIT (10000), WS_INIT_TIMEOUT_MS (3000), EVENT_POLL_MS (1000). */
export function subscriptionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const int = (name: string, fallback: number, min: number) => {
    const v = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got "${env[name]}"`);
    return v;
  };
  return {
    bufferLimit: int("SUBSCRIPTION_BUFFER", 1000, 1),
    replayLimit: int("SUBSCRIPTION_REPLAY_LIMIT", 10_000, 1),
    connectionInitWaitTimeout: int("WS_INIT_TIMEOUT_MS", 3000, 1),
    pollIntervalMs: int("EVENT_POLL_MS", 1000, 10),
  };
}

/** EVENT_POLL_MS: how often consumers look for events when no notification woke them (default 1000). */
/** INGEST_RETRY_MS: how often FAILED inbound messages are retried (default 10000). */
export function hostOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): { pollIntervalMs: number; ingestRetryMs: number } {
  const ms = (name: string, fallback: number) => {
    const v = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(v) || v < 10) throw new Error(`${name} must be a whole number of milliseconds >= 10, got "${env[name]}"`);
    return v;
  };
  return { pollIntervalMs: ms("EVENT_POLL_MS", 1000), ingestRetryMs: ms("INGEST_RETRY_MS", 10_000) };
}
