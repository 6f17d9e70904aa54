// Every setting the gateway, the subgraph processes and the launchers read from the environment,
// with its default. Nothing else reads process.env for configuration.
import { subgraphNames, type SubgraphName } from "../subgraphs/catalog.js";
import { parseSize } from "../platform/ingest/body.js";
import { parseDuration } from "../platform/durations.js";
import type { LogLevel } from "../platform/telemetry/log.js";
import type { TracingOptions } from "../platform/telemetry/tracing.js";
import { parseKpiAlertRules, type KpiAlertOptions } from "../platform/kpi/alerts.js";
import { DEFAULT_BATCH_MAX, type ServerConfig } from "../platform/http/server.js";
import { DEFAULT_SHUTDOWN } from "../platform/http/shutdown.js";
import { DEFAULT_DATABASE_TIMEOUTS, type DatabaseTimeouts } from "../platform/db/timeouts.js";
import { ideChoices, type IdeChoice } from "../gateway/ide.js";
import type { SubscriptionOptions } from "../gateway/subscriptions/index.js";
import { randomBytes } from "node:crypto";
import { DEFAULT_OPERATION_LIMITS, DEFAULT_RATE_LIMIT, type SecurityOptions } from "../gateway/security/index.js";
import { trustedDocumentModes, type TrustedDocumentMode } from "../gateway/security/trusted-documents.js";
import { hasKeys, type TokenKeys } from "../platform/auth/tokens.js";
import { parseApiKeys } from "../platform/ingest/auth/ingest-access.js";

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

/** An on/off setting: on, true, 1 / off, false, 0; unset: the fallback. */
const onOffSetting = (env: NodeJS.ProcessEnv, name: string, fallback: boolean) => {
  const v = env[name]?.trim().toLowerCase();
  if (!v) return fallback;
  if (v === "on" || v === "true" || v === "1") return true;
  if (v === "off" || v === "false" || v === "0") return false;
  throw new Error(`${name} must be on or off, got "${env[name]}"`);
};

const wholeNumber = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number) => {
  const v = env[name] ? Number(env[name]) : fallback;
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got "${env[name]}"`);
  return v;
};

const size = (env: NodeJS.ProcessEnv, name: string, fallback: string) => {
  const text = env[name] || fallback;
  try {
    parseSize(text);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`, { cause: err });
  }
  return text;
};

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env, defaultPort = 4000): ServerConfig {
  const port = env.PORT === undefined || env.PORT === "" ? defaultPort : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a number from 0 to 65535, got "${env.PORT}"`);
  const memoryLimitFraction = env.MEMORY_LIMIT_FRACTION ? Number(env.MEMORY_LIMIT_FRACTION) : 0.85;
  if (!(memoryLimitFraction > 0 && memoryLimitFraction <= 1))
    throw new Error(`MEMORY_LIMIT_FRACTION must be a number above 0 and at most 1, got "${env.MEMORY_LIMIT_FRACTION}"`);
  return {
    port,
    host: env.HOST || "127.0.0.1",
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    bodyLimit: size(env, "BODY_LIMIT", "1mb"),
    ingestBodyLimit: parseSize(size(env, "INGEST_BODY_LIMIT", "5mb")),
    subgraphBodyLimit: size(env, "SUBGRAPH_BODY_LIMIT", "16mb"),
    healthCheckTimeoutMs: wholeNumber(env, "HEALTH_CHECK_TIMEOUT_MS", 2000, 10),
    memoryLimitFraction,
    limits: {
      timeoutMs: wholeNumber(env, "OPERATION_TIMEOUT_MS", 30_000, 10),
      maxResultItems: wholeNumber(env, "MAX_RESULT_ITEMS", 50_000, 1),
      maxResultBytes: parseSize(size(env, "MAX_RESULT_BYTES", "32mb")),
    },
    batchMax: wholeNumber(env, "GRAPHQL_BATCH_MAX", DEFAULT_BATCH_MAX, 0),
    shutdown: {
      delayMs: wholeNumber(env, "SHUTDOWN_DELAY_MS", DEFAULT_SHUTDOWN.delayMs, 0),
      drainMs: wholeNumber(env, "DRAIN_TIMEOUT_MS", DEFAULT_SHUTDOWN.drainMs, 0),
    },
    dedupeRepresentations: onOffSetting(env, "SUBGRAPH_DEDUPE_REPRESENTATIONS", true),
    shareInFlight: onOffSetting(env, "SUBGRAPH_SHARE_INFLIGHT", true),
    entityCache: {
      enabled: onOffSetting(env, "GATEWAY_CACHE", false),
      ttlMs: wholeNumber(env, "GATEWAY_CACHE_TTL_MS", 30_000, 1),
      maxEntries: wholeNumber(env, "GATEWAY_CACHE_MAX_ENTRIES", 10_000, 1),
      maxBytes: parseSize(size(env, "GATEWAY_CACHE_MAX_SIZE", "64mb")),
    },
  };
}

export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<SubgraphName, string> {
  return Object.fromEntries(
    subgraphNames.map((name) => [name, env[subgraphUrlVariable(name)] || `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`]),
  ) as Record<SubgraphName, string>;
}

/**
 * Subscription settings: SUBSCRIPTION_BUFFER (default 1000), SUBSCRIPTION_REPLAY_LIMIT (10000),
 * SUBSCRIPTION_REPLAY_PAGE (100), FOLLOW_UP_BATCH_SIZE (50), FOLLOW_UP_CONCURRENCY (4),
 * WS_INIT_TIMEOUT_MS (3000), WS_MAX_CONNECTIONS (1000), WS_MAX_SUBSCRIPTIONS_PER_SOCKET (100),
 * EVENT_POLL_MS (1000). The largest WebSocket message is BODY_LIMIT, as for HTTP.
 */
export function subscriptionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SubscriptionOptions {
  return {
    bufferLimit: wholeNumber(env, "SUBSCRIPTION_BUFFER", 1000, 1),
    replayLimit: wholeNumber(env, "SUBSCRIPTION_REPLAY_LIMIT", 10_000, 1),
    replayPageSize: wholeNumber(env, "SUBSCRIPTION_REPLAY_PAGE", 100, 1),
    followUpBatchSize: wholeNumber(env, "FOLLOW_UP_BATCH_SIZE", 50, 1),
    followUpConcurrency: wholeNumber(env, "FOLLOW_UP_CONCURRENCY", 4, 1),
    connectionInitWaitTimeout: wholeNumber(env, "WS_INIT_TIMEOUT_MS", 3000, 1),
    maxConnections: wholeNumber(env, "WS_MAX_CONNECTIONS", 1000, 1),
    maxSubscriptionsPerSocket: wholeNumber(env, "WS_MAX_SUBSCRIPTIONS_PER_SOCKET", 100, 1),
    pollIntervalMs: wholeNumber(env, "EVENT_POLL_MS", 1000, 10),
  };
}

/** EVENT_POLL_MS: how often consumers look for events when no notification woke them (default 1000). */
/** INGEST_RETRY_MS: how often FAILED inbound messages are retried (default 10000). */
/** ORDER_AUTO_RELEASE (true): release ALLOCATED orders to the warehouses at once; false: releaseOrder releases them. */
/** WAREHOUSE_OUTBOX_DIR (data/outbox), DOCUMENT_DELIVERY_ATTEMPTS (8), DOCUMENT_DELIVERY_POLL_MS (1000): outbound document delivery. */
export function hostOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  pollIntervalMs: number;
  ingestRetryMs: number;
  autoRelease: boolean;
  delivery: { outboxDir: string; maxAttempts: number; pollMs: number };
} {
  const ms = (name: string, fallback: number) => {
    const v = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(v) || v < 10) throw new Error(`${name} must be a whole number of milliseconds >= 10, got "${env[name]}"`);
    return v;
  };
  const auto = (env.ORDER_AUTO_RELEASE ?? "true").trim().toLowerCase();
  if (!["true", "false"].includes(auto)) throw new Error(`ORDER_AUTO_RELEASE must be true or false, got "${env.ORDER_AUTO_RELEASE}"`);
  const attempts = env.DOCUMENT_DELIVERY_ATTEMPTS ? Number(env.DOCUMENT_DELIVERY_ATTEMPTS) : 8;
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new Error(`DOCUMENT_DELIVERY_ATTEMPTS must be a whole number >= 1, got "${env.DOCUMENT_DELIVERY_ATTEMPTS}"`);
  return {
    pollIntervalMs: ms("EVENT_POLL_MS", 1000),
    ingestRetryMs: ms("INGEST_RETRY_MS", 10_000),
    autoRelease: auto === "true",
    delivery: { outboxDir: env.WAREHOUSE_OUTBOX_DIR || "data/outbox", maxAttempts: attempts, pollMs: ms("DOCUMENT_DELIVERY_POLL_MS", 1000) },
  };
}

/** How ingestion guards itself; see README "Ingestion". */
export interface IngestOptions {
  /** INGEST_MAX_CLOCK_SKEW (default 5m): source times further ahead of this server's clock are refused. */
  maxClockSkewMs: number;
  /** INGEST_OVERSIZED_PREFIX (default 64kb): bytes kept of a body over INGEST_BODY_LIMIT. */
  oversizedPrefixBytes: number;
  /** RAW_READ_BUDGET (default 16mb): raw-body bytes one GraphQL request may read, over all its fields. */
  rawReadBudgetBytes: number;
  /** INGEST_RAW_RETENTION (default 30d; "off" keeps them): age after which processed messages' raw bodies are emptied. */
  rawRetentionMs: number | null;
  /** How often the retention sweep runs (default 1 hour). */
  rawPruneIntervalMs?: number;
  /**
   * INGEST_LANES (default 2): batches of concurrent requests stored and applied at once by one
   * process (platform/ingest/coalescer.ts). Requests that arrive while all lanes are busy wait and
   * go together as the next batch.
   */
  lanes: number;
  /** The clock source times are checked against; tests fix it (default: the system clock). */
  now?: () => Date;
  /**
   * SHOPIFY_WEBHOOK_SECRETS ("shop1.myshopify.com:secret1,shop2.myshopify.com:secret2"): the
   * secret each shop signs its webhooks with. A shop not listed is refused (401). Default: none.
   */
  shopifyWebhookSecrets?: ReadonlyMap<string, string>;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = {
  maxClockSkewMs: 5 * 60_000,
  oversizedPrefixBytes: 64 * 1024,
  rawReadBudgetBytes: 16 * 1024 * 1024,
  rawRetentionMs: 30 * 86_400_000,
  lanes: 2,
};

export function ingestOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): IngestOptions {
  const duration = (name: string, fallback: number) => (env[name] ? checked(name, parseDuration(env[name]!)) : fallback);
  const size = (name: string, fallback: number) => (env[name] ? checked(name, parseSize(env[name]!)) : fallback);
  const retention = env.INGEST_RAW_RETENTION?.trim().toLowerCase();
  return {
    maxClockSkewMs: duration("INGEST_MAX_CLOCK_SKEW", DEFAULT_INGEST_OPTIONS.maxClockSkewMs),
    oversizedPrefixBytes: size("INGEST_OVERSIZED_PREFIX", DEFAULT_INGEST_OPTIONS.oversizedPrefixBytes),
    rawReadBudgetBytes: size("RAW_READ_BUDGET", DEFAULT_INGEST_OPTIONS.rawReadBudgetBytes),
    rawRetentionMs: retention === "off" ? null : duration("INGEST_RAW_RETENTION", DEFAULT_INGEST_OPTIONS.rawRetentionMs!),
    shopifyWebhookSecrets: shopifySecrets(env.SHOPIFY_WEBHOOK_SECRETS),
    lanes: env.INGEST_LANES ? positiveWholeNumber("INGEST_LANES", env.INGEST_LANES) : DEFAULT_INGEST_OPTIONS.lanes,
  };
}

/** "shop.myshopify.com:secret,..." -> shop (lower case) -> secret; the secret is everything after the first ":". */
export function shopifySecrets(value: string | undefined): ReadonlyMap<string, string> {
  const secrets = new Map<string, string>();
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(":");
    const shop = entry.slice(0, at).trim().toLowerCase();
    const secret = entry.slice(at + 1).trim();
    if (at < 1 || !secret || !/^[a-z0-9][a-z0-9.-]*$/.test(shop))
      throw new Error(`SHOPIFY_WEBHOOK_SECRETS entries must be <shop domain>:<secret>, got "${entry.slice(0, Math.max(at, 0)) || entry.slice(0, 20)}…"`);
    if (secrets.has(shop)) throw new Error(`SHOPIFY_WEBHOOK_SECRETS names shop ${shop} twice`);
    secrets.set(shop, secret);
  }
  return secrets;
}

/** DB_STATEMENT_TIMEOUT (30s), DB_LOCK_TIMEOUT (5s), DB_CONNECT_TIMEOUT (10s): PostgreSQL only. */
export function databaseTimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseTimeouts {
  const duration = (name: string, fallback: number) => {
    if (!env[name]) return fallback;
    const ms = parseDuration(env[name]!);
    if (ms < 1) throw new Error(`${name} must be at least 1 ms, got "${env[name]}"`);
    return ms;
  };
  return {
    statementTimeoutMs: duration("DB_STATEMENT_TIMEOUT", DEFAULT_DATABASE_TIMEOUTS.statementTimeoutMs),
    lockTimeoutMs: duration("DB_LOCK_TIMEOUT", DEFAULT_DATABASE_TIMEOUTS.lockTimeoutMs),
    connectTimeoutMs: duration("DB_CONNECT_TIMEOUT", DEFAULT_DATABASE_TIMEOUTS.connectTimeoutMs),
  };
}

function positiveWholeNumber(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number >= 1, got "${text}"`);
  return v;
}

function checked(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must not be negative`);
  return value;
}

/**
 * Order capture: CREDIT_CHECK_TIMEOUT_MS (deadline of the synchronous credit check, default 2000),
 * ORDER_DEFAULT_CURRENCY (currency of orders that name none, default USD), and ERP_FINANCE_URL
 * (where erp-finance answers, for a process that does not host it).
 */
export function orderCaptureOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  hostsFinance = false,
): { creditCheckTimeoutMs: number; defaultCurrency: string; erpFinanceUrl?: string } {
  const timeout = env.CREDIT_CHECK_TIMEOUT_MS ? Number(env.CREDIT_CHECK_TIMEOUT_MS) : 2000;
  if (!Number.isInteger(timeout) || timeout < 10)
    throw new Error(`CREDIT_CHECK_TIMEOUT_MS must be a whole number of milliseconds >= 10, got "${env.CREDIT_CHECK_TIMEOUT_MS}"`);
  const currency = env.ORDER_DEFAULT_CURRENCY || "USD";
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`ORDER_DEFAULT_CURRENCY must be an ISO 4217 code such as USD, got "${currency}"`);
  const url = hostsFinance ? undefined : subgraphUrlsFromEnv(env)["erp-finance"];
  return { creditCheckTimeoutMs: timeout, defaultCurrency: currency, ...(url && { erpFinanceUrl: url }) };
}

/** GRAPHQL_IDE: the page a browser gets at the gateway's /graphql: graphiql (default, served locally), sandbox (Apollo Sandbox, needs the internet) or off. */
/**
 * npm start's demo data on an empty store: off (DEMO_DATA=off), or the reference data plus this many
 * orders run through the real flows (DEMO_FLOW_ORDERS, default 100; 0 loads the reference data only).
 */
/** DEMO_FLOW_ORDERS's default. */
export const DEFAULT_DEMO_FLOW_ORDERS = 100;

export function demoOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): { enabled: boolean; flowOrders: number } {
  return { enabled: env.DEMO_DATA !== "off", flowOrders: wholeNumber(env, "DEMO_FLOW_ORDERS", DEFAULT_DEMO_FLOW_ORDERS, 0) };
}

export function ideFromEnv(env: NodeJS.ProcessEnv = process.env): IdeChoice {
  const value = (env.GRAPHQL_IDE || "graphiql").trim().toLowerCase();
  if (!(ideChoices as readonly string[]).includes(value)) throw new Error(`GRAPHQL_IDE must be one of ${ideChoices.join(", ")}, got "${env.GRAPHQL_IDE}"`);
  return value as IdeChoice;
}

/**
 * Business alerts on KPI thresholds. KPI_ALERTS: rules like "fillRate.rate<0.95,exceptions.open>0"
 * (none by default: no alerts); KPI_ALERT_WINDOW: the sliding window the KPIs are read over
 * (default 1h); KPI_ALERT_INTERVAL: how often they are checked (default 1m).
 */
export function kpiAlertOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): KpiAlertOptions {
  const duration = (name: string, fallback: string) => {
    const ms = parseDuration(env[name] || fallback);
    if (ms < 1000) throw new Error(`${name} must be at least 1s, got "${env[name]}"`);
    return ms;
  };
  return { rules: parseKpiAlertRules(env.KPI_ALERTS ?? ""), windowMs: duration("KPI_ALERT_WINDOW", "1h"), intervalMs: duration("KPI_ALERT_INTERVAL", "1m") };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** LOG_LEVEL: the least severe log level written (default info; silent writes nothing). */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const level = (env.LOG_LEVEL || "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`);
  return level as LogLevel;
}

/**
 * OpenTelemetry tracing: OTEL_TRACING=on turns it on (default off); spans go over OTLP/HTTP to
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (default http://localhost:4318/v1/traces), named OTEL_SERVICE_NAME
 * (default: the process's role, e.g. distribution-graph-gateway).
 */
export function tracingOptionsFromEnv(role: string, env: NodeJS.ProcessEnv = process.env): TracingOptions | null {
  const on = (env.OTEL_TRACING ?? "off").toLowerCase();
  if (!["on", "off"].includes(on)) throw new Error(`OTEL_TRACING must be on or off, got "${env.OTEL_TRACING}"`);
  if (on === "off") return null;
  return { serviceName: env.OTEL_SERVICE_NAME || `distribution-graph-${role}`, endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined };
}

/**
 * The ERP connectors of a process that hosts erp-finance (README "ERP connectors"):
 * ERP_CONNECTORS (on: run the posting worker and the pulls), ERP_STANDIN (embedded: start the
 * Business Central stand-in and use it as the default cloud ERP), ERP_STANDIN_PORT, ERP_FILE_STANDIN
 * (embedded: answer the file-exchange folders as the legacy ERP would), ERP_CLOUD_* (a real default
 * cloud ERP), ERP_SECRET_<ref> (client secrets named by connectors' clientSecretRef), ERP_FILE_ROOT,
 * ERP_REQUEST_TIMEOUT_MS, ERP_FILE_SETTLE_MS, ERP_POSTING_POLL_MS.
 */
export interface ErpProcessOptions {
  connectors: boolean;
  standIn: boolean;
  standInPort: number;
  fileStandIn: boolean;
  /** ERP_CLOUD_BASE_URL...; null: the stand-in (when on), else none. */
  cloud: { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string; scope: string | null; companyId: string | null } | null;
  secrets: Record<string, string>;
  fileRoot: string;
  requestTimeoutMs: number;
  fileSettleMs: number;
  postingPollMs: number;
}

export function erpOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ErpProcessOptions {
  const onOff = (name: string, fallback: boolean) => onOffSetting(env, name, fallback);
  const int = (name: string, fallback: number, min: number) => {
    const v = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got "${env[name]}"`);
    return v;
  };
  const baseUrl = env.ERP_CLOUD_BASE_URL?.trim();
  let cloud: ErpProcessOptions["cloud"] = null;
  if (baseUrl) {
    const missing = ["ERP_CLOUD_TOKEN_URL", "ERP_CLOUD_CLIENT_ID", "ERP_CLOUD_CLIENT_SECRET"].filter((n) => !env[n]?.trim());
    if (missing.length) throw new Error(`ERP_CLOUD_BASE_URL is set, so ${missing.join(", ")} must be too`);
    cloud = {
      baseUrl: baseUrl.replace(/\/+$/, ""),
      tokenUrl: env.ERP_CLOUD_TOKEN_URL!.trim(),
      clientId: env.ERP_CLOUD_CLIENT_ID!.trim(),
      clientSecret: env.ERP_CLOUD_CLIENT_SECRET!,
      scope: env.ERP_CLOUD_SCOPE?.trim() || null,
      companyId: env.ERP_CLOUD_COMPANY_ID?.trim() || null,
    };
  }
  // ERP_SECRET_<ref>: one variable per secret a connector names (clientSecretRef).
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (name.startsWith("ERP_SECRET_") && value) secrets[name.slice("ERP_SECRET_".length)] = value;
  return {
    connectors: onOff("ERP_CONNECTORS", true),
    standIn: onOff("ERP_STANDIN", true),
    standInPort: int("ERP_STANDIN_PORT", 0, 0),
    fileStandIn: onOff("ERP_FILE_STANDIN", true),
    cloud,
    secrets,
    fileRoot: env.ERP_FILE_ROOT?.trim() || "./data/erp-exchange",
    requestTimeoutMs: int("ERP_REQUEST_TIMEOUT_MS", 10_000, 10),
    fileSettleMs: int("ERP_FILE_SETTLE_MS", 2000, 0),
    postingPollMs: int("ERP_POSTING_POLL_MS", 1000, 10),
  };
}

/** The gateway's security settings and the process-level ones next to them (README "Security"). */
export interface AppSecurityOptions extends SecurityOptions {
  /** SUBGRAPH_DEBUG_ENDPOINTS: serve each subgraph at /subgraphs/<name>/graphql in the embedded mode (default false). */
  subgraphDebugEndpoints: boolean;
  /** INGEST_API_KEYS: "<source>:<key>,…", keys accepted in x-api-key per ingestion source. */
  ingestApiKeys: ReadonlyMap<string, readonly string[]>;
  /** True when no key was configured and a development HS256 secret was generated at start. */
  generatedDevSecret: boolean;
}

export const isProduction = (env: NodeJS.ProcessEnv = process.env) => env.NODE_ENV === "production";

/**
 * AUTH_HS256_SECRET / AUTH_JWKS_FILE / AUTH_JWKS_URL (+ AUTH_ISSUER, AUTH_AUDIENCE), AUTH_DISABLED,
 * AUTH_ALLOW_ANONYMOUS, GATEWAY_SHARED_SECRET, MAX_DEPTH, MAX_ALIASES, MAX_ROOT_FIELDS, MAX_TOKENS,
 * MAX_COST, RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST, TRUSTED_DOCUMENTS,
 * TRUSTED_DOCUMENTS_FILE, INTROSPECTION, SUBGRAPH_DEBUG_ENDPOINTS, INGEST_API_KEYS.
 * With NODE_ENV=production and no key configured this throws: the gateway refuses to start.
 */
export function securityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AppSecurityOptions {
  const production = isProduction(env);
  const flag = (name: string, fallback: boolean) => {
    const v = env[name]?.trim().toLowerCase();
    if (!v) return fallback;
    if (["true", "on", "1", "yes"].includes(v)) return true;
    if (["false", "off", "0", "no"].includes(v)) return false;
    throw new Error(`${name} must be true or false, got "${env[name]}"`);
  };
  const int = (name: string, fallback: number, min: number) => {
    const v = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got "${env[name]}"`);
    return v;
  };
  const disabled = flag("AUTH_DISABLED", false);
  if (disabled && production) throw new Error("AUTH_DISABLED=true is refused with NODE_ENV=production");
  const keys: TokenKeys = {
    hs256Secret: env.AUTH_HS256_SECRET || undefined,
    jwksFile: env.AUTH_JWKS_FILE || undefined,
    jwksUrl: env.AUTH_JWKS_URL || undefined,
    issuer: env.AUTH_ISSUER || undefined,
    audience: env.AUTH_AUDIENCE || undefined,
  };
  let generatedDevSecret = false;
  if (!disabled && !hasKeys(keys)) {
    if (production)
      throw new Error(
        "NODE_ENV=production and no token keys: set AUTH_JWKS_URL or AUTH_JWKS_FILE (RS256/ES256), or AUTH_HS256_SECRET; the gateway does not start without them",
      );
    keys.hs256Secret = randomBytes(32).toString("base64url");
    generatedDevSecret = true;
  }
  if (production && !env.GATEWAY_SHARED_SECRET)
    throw new Error("NODE_ENV=production needs GATEWAY_SHARED_SECRET (at least 32 characters): subgraphs accept calls only from the gateway");
  if (env.GATEWAY_SHARED_SECRET && env.GATEWAY_SHARED_SECRET.length < 32) throw new Error("GATEWAY_SHARED_SECRET must be at least 32 characters");
  const mode = (env.TRUSTED_DOCUMENTS || "off").trim().toLowerCase();
  if (!(trustedDocumentModes as readonly string[]).includes(mode))
    throw new Error(`TRUSTED_DOCUMENTS must be one of ${trustedDocumentModes.join(", ")}, got "${env.TRUSTED_DOCUMENTS}"`);
  const d = DEFAULT_OPERATION_LIMITS;
  return {
    authentication: { enabled: !disabled, keys, allowAnonymous: flag("AUTH_ALLOW_ANONYMOUS", false) },
    gatewaySecret: env.GATEWAY_SHARED_SECRET || undefined,
    limits: {
      ...d,
      maxDepth: int("MAX_DEPTH", d.maxDepth, 1),
      maxAliases: int("MAX_ALIASES", d.maxAliases, 0),
      maxRootFields: int("MAX_ROOT_FIELDS", d.maxRootFields, 1),
      maxTokens: int("MAX_TOKENS", d.maxTokens, 10),
      maxCost: int("MAX_COST", d.maxCost, 1),
    },
    rateLimit: { perMinute: int("RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT.perMinute, 0), burst: int("RATE_LIMIT_BURST", DEFAULT_RATE_LIMIT.burst, 1) },
    trustedDocuments: { mode: mode as TrustedDocumentMode, file: env.TRUSTED_DOCUMENTS_FILE || "trusted-documents.json" },
    introspection: flag("INTROSPECTION", !production),
    subgraphDebugEndpoints: flag("SUBGRAPH_DEBUG_ENDPOINTS", false),
    ingestApiKeys: parseApiKeys(env.INGEST_API_KEYS),
    generatedDevSecret,
  };
}
