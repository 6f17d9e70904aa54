// Settings from the environment: store selection, server settings, subgraph URLs.
import path from "node:path";
import { describe, it, expect } from "vitest";
import { describeStore, storeConfigFromEnv } from "../../platform/db/config.js";
import { parseSize } from "../../platform/ingest/body.js";
import {
  DEFAULT_SUBGRAPH_PORTS,
  databaseTimeoutsFromEnv,
  ingestOptionsFromEnv,
  serverConfigFromEnv,
  subgraphUrlVariable,
  subgraphUrlsFromEnv,
} from "../../app/config.js";
import { parseDuration } from "../../platform/durations.js";
import { subgraphNames } from "../../subgraphs/catalog.js";

describe("storeConfigFromEnv", () => {
  it("selects PostgreSQL for a postgresql:// or postgres:// DATABASE_URL", () => {
    expect(storeConfigFromEnv({ DATABASE_URL: "postgresql://u:p@db:5432/graph" })).toEqual({ kind: "postgres", url: "postgresql://u:p@db:5432/graph" });
    expect(storeConfigFromEnv({ DATABASE_URL: "  postgres://db/graph  " })).toEqual({ kind: "postgres", url: "postgres://db/graph" });
  });

  it("prefers DATABASE_URL over DATA_DIR", () => {
    expect(storeConfigFromEnv({ DATABASE_URL: "postgres://db/graph", DATA_DIR: "memory" }).kind).toBe("postgres");
  });

  it("uses embedded PGlite in ./data, resolved to an absolute path, by default", () => {
    const config = storeConfigFromEnv({});
    expect(config).toEqual({ kind: "pglite", dataDir: path.resolve("./data") });
    expect(path.isAbsolute((config as { dataDir: string }).dataDir)).toBe(true);
  });

  it("treats a blank DATABASE_URL or DATA_DIR as unset", () => {
    expect(storeConfigFromEnv({ DATABASE_URL: "   ", DATA_DIR: "  " })).toEqual({ kind: "pglite", dataDir: path.resolve("./data") });
  });

  it("resolves a relative DATA_DIR and keeps an absolute one", () => {
    expect(storeConfigFromEnv({ DATA_DIR: "var/db" })).toEqual({ kind: "pglite", dataDir: path.resolve("var/db") });
    expect(storeConfigFromEnv({ DATA_DIR: "/srv/graph" })).toEqual({ kind: "pglite", dataDir: "/srv/graph" });
  });

  it("keeps the database in memory for DATA_DIR=memory", () => {
    expect(storeConfigFromEnv({ DATA_DIR: "memory" })).toEqual({ kind: "pglite", dataDir: null });
  });

  it.each(["mysql://db/graph", "file:./dev.db", "postgresql:/missing-slash", "db.example.com:5432"])("rejects DATABASE_URL=%s", (url) => {
    expect(() => storeConfigFromEnv({ DATABASE_URL: url })).toThrow(
      /^DATABASE_URL must start with postgresql:\/\/ \(got ".*"\); unset it to use the embedded store$/,
    );
  });

  it("quotes at most 20 characters of a bad DATABASE_URL", () => {
    expect(() => storeConfigFromEnv({ DATABASE_URL: "mysql://user:secretpassword@host/db" })).toThrow('(got "mysql://user:secretp…")');
  });

  it("describeStore hides the password", () => {
    const text = describeStore({ kind: "postgres", url: "postgresql://graph:s3cret@db:5432/graph" });
    expect(text).toBe("PostgreSQL postgresql://graph:***@db:5432/graph");
    expect(describeStore({ kind: "pglite", dataDir: null })).toBe("PGlite (embedded, in memory)");
    expect(describeStore({ kind: "pglite", dataDir: "/srv/data" })).toBe("PGlite (embedded) in /srv/data");
  });
});

describe("serverConfigFromEnv", () => {
  it("has the documented defaults", () => {
    expect(serverConfigFromEnv({})).toEqual({
      port: 4000,
      host: "127.0.0.1",
      corsOrigins: [],
      bodyLimit: "1mb",
      ingestBodyLimit: 5 * 1024 * 1024,
      batchMax: 10,
      subgraphBodyLimit: "16mb",
      healthCheckTimeoutMs: 2000,
      memoryLimitFraction: 0.85,
      limits: { timeoutMs: 30_000, maxResultItems: 50_000, maxResultBytes: 32 * 1024 * 1024 },
      shutdown: { delayMs: 0, drainMs: 10_000 },
      dedupeRepresentations: true,
      shareInFlight: true,
      entityCache: { enabled: false, ttlMs: 30_000, maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 },
    });
  });

  it("uses the caller's default port when PORT is unset or empty", () => {
    expect(serverConfigFromEnv({}, 4003).port).toBe(4003);
    expect(serverConfigFromEnv({ PORT: "" }, 4003).port).toBe(4003);
  });

  it("reads every variable", () => {
    expect(
      serverConfigFromEnv({
        PORT: "8080",
        HOST: "0.0.0.0",
        CORS_ORIGINS: " https://a.example , https://b.example,, ",
        BODY_LIMIT: "2mb",
        INGEST_BODY_LIMIT: "512kb",
        GRAPHQL_BATCH_MAX: "0",
        SUBGRAPH_BODY_LIMIT: "64mb",
        HEALTH_CHECK_TIMEOUT_MS: "500",
        MEMORY_LIMIT_FRACTION: "0.7",
        OPERATION_TIMEOUT_MS: "5000",
        MAX_RESULT_ITEMS: "2000",
        MAX_RESULT_BYTES: "4mb",
        SHUTDOWN_DELAY_MS: "5000",
        DRAIN_TIMEOUT_MS: "20000",
        SUBGRAPH_DEDUPE_REPRESENTATIONS: "off",
        SUBGRAPH_SHARE_INFLIGHT: "off",
        GATEWAY_CACHE: "on",
        GATEWAY_CACHE_TTL_MS: "5000",
        GATEWAY_CACHE_MAX_ENTRIES: "500",
        GATEWAY_CACHE_MAX_SIZE: "8mb",
      }),
    ).toEqual({
      port: 8080,
      host: "0.0.0.0",
      corsOrigins: ["https://a.example", "https://b.example"],
      bodyLimit: "2mb",
      ingestBodyLimit: 524_288,
      subgraphBodyLimit: "64mb",
      healthCheckTimeoutMs: 500,
      memoryLimitFraction: 0.7,
      limits: { timeoutMs: 5000, maxResultItems: 2000, maxResultBytes: 4 * 1024 * 1024 },
      batchMax: 0,
      shutdown: { delayMs: 5000, drainMs: 20_000 },
      dedupeRepresentations: false,
      shareInFlight: false,
      entityCache: { enabled: true, ttlMs: 5000, maxEntries: 500, maxBytes: 8 * 1024 * 1024 },
    });
  });

  it("refuses SUBGRAPH_DEDUPE_REPRESENTATIONS other than on or off, naming it", () => {
    expect(() => serverConfigFromEnv({ SUBGRAPH_DEDUPE_REPRESENTATIONS: "sometimes" })).toThrow(
      'SUBGRAPH_DEDUPE_REPRESENTATIONS must be on or off, got "sometimes"',
    );
  });

  it.each([
    ["MEMORY_LIMIT_FRACTION", "1.5", "MEMORY_LIMIT_FRACTION must be a number above 0 and at most 1"],
    ["MEMORY_LIMIT_FRACTION", "0", "MEMORY_LIMIT_FRACTION must be a number above 0 and at most 1"],
    ["OPERATION_TIMEOUT_MS", "soon", "OPERATION_TIMEOUT_MS must be a whole number >= 10"],
    ["MAX_RESULT_ITEMS", "0", "MAX_RESULT_ITEMS must be a whole number >= 1"],
    ["SUBGRAPH_BODY_LIMIT", "huge", 'SUBGRAPH_BODY_LIMIT: not a size: "huge"'],
    ["BODY_LIMIT", "1 megabyte", "BODY_LIMIT: not a size"],
  ])("rejects %s=%s naming it", (name, value, message) => {
    expect(() => serverConfigFromEnv({ [name]: value })).toThrow(message);
  });

  it.each(["-1", "2.5", "ten"])("refuses GRAPHQL_BATCH_MAX=%s, naming it", (value) => {
    expect(() => serverConfigFromEnv({ GRAPHQL_BATCH_MAX: value })).toThrow(`GRAPHQL_BATCH_MAX must be a whole number >= 0, got "${value}"`);
  });

  it.each(["0", "1", "65535"])("accepts PORT=%s", (port) => {
    expect(serverConfigFromEnv({ PORT: port }).port).toBe(Number(port));
  });

  it.each(["abc", "-1", "65536", "80.5", "4000x"])("rejects PORT=%s", (port) => {
    expect(() => serverConfigFromEnv({ PORT: port })).toThrow(`PORT must be a number from 0 to 65535, got "${port}"`);
  });

  it("rejects an INGEST_BODY_LIMIT that is not a size", () => {
    expect(() => serverConfigFromEnv({ INGEST_BODY_LIMIT: "lots" })).toThrow('not a size: "lots"');
  });
});

describe("parseSize", () => {
  it.each<[string, number]>([
    ["5mb", 5_242_880],
    ["512kb", 524_288],
    ["1GB", 1_073_741_824],
    ["100", 100],
    ["100b", 100],
    ["1.5kb", 1536],
    [" 2 mb ", 2_097_152],
  ])("%j is %i bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "mb", "-1mb", "5tb", "5 m b"])("rejects %j", (text) => {
    expect(() => parseSize(text)).toThrow("not a size");
  });
});

describe("subgraphUrlsFromEnv", () => {
  it("defaults every subgraph to 127.0.0.1 on its own port", () => {
    expect(subgraphUrlsFromEnv({})).toEqual({
      orders: "http://127.0.0.1:4001/graphql",
      inventory: "http://127.0.0.1:4002/graphql",
      "erp-finance": "http://127.0.0.1:4003/graphql",
      shipments: "http://127.0.0.1:4004/graphql",
      operations: "http://127.0.0.1:4005/graphql",
    });
    expect(Object.keys(subgraphUrlsFromEnv({})).sort()).toEqual([...subgraphNames].sort());
    expect(new Set(Object.values(DEFAULT_SUBGRAPH_PORTS)).size).toBe(subgraphNames.length);
  });

  it("names the variable with underscores for a hyphenated subgraph", () => {
    expect(subgraphUrlVariable("erp-finance")).toBe("ERP_FINANCE_URL");
    expect(subgraphUrlVariable("orders")).toBe("ORDERS_URL");
  });

  it("overrides only the subgraph whose variable is set (ERP_FINANCE_URL)", () => {
    const urls = subgraphUrlsFromEnv({ ERP_FINANCE_URL: "https://erp.internal/graphql", "ERP-FINANCE_URL": "http://wrong" });
    expect(urls["erp-finance"]).toBe("https://erp.internal/graphql");
    expect(urls.orders).toBe("http://127.0.0.1:4001/graphql");
    expect(urls.shipments).toBe("http://127.0.0.1:4004/graphql");
  });

  it("ignores an empty override", () => {
    expect(subgraphUrlsFromEnv({ ORDERS_URL: "" }).orders).toBe("http://127.0.0.1:4001/graphql");
  });
});

describe("ingestOptionsFromEnv", () => {
  it("has documented defaults", () => {
    expect(ingestOptionsFromEnv({})).toEqual({
      maxClockSkewMs: 300_000,
      oversizedPrefixBytes: 65_536,
      rawReadBudgetBytes: 16 * 1024 * 1024,
      rawRetentionMs: 30 * 86_400_000,
      shopifyWebhookSecrets: new Map(),
      lanes: 2,
    });
  });

  it("reads durations and sizes, and off for no retention", () => {
    expect(
      ingestOptionsFromEnv({
        INGEST_MAX_CLOCK_SKEW: "90s",
        INGEST_OVERSIZED_PREFIX: "4kb",
        RAW_READ_BUDGET: "1mb",
        INGEST_RAW_RETENTION: "12h",
        INGEST_LANES: "4",
      }),
    ).toEqual({
      maxClockSkewMs: 90_000,
      oversizedPrefixBytes: 4096,
      rawReadBudgetBytes: 1024 * 1024,
      rawRetentionMs: 12 * 3_600_000,
      shopifyWebhookSecrets: new Map(),
      lanes: 4,
    });
    expect(() => ingestOptionsFromEnv({ INGEST_LANES: "0" })).toThrow('INGEST_LANES must be a whole number >= 1, got "0"');
    expect(ingestOptionsFromEnv({ INGEST_RAW_RETENTION: "off" }).rawRetentionMs).toBeNull();
    expect(() => ingestOptionsFromEnv({ INGEST_MAX_CLOCK_SKEW: "soon" })).toThrow('not a duration: "soon"');
  });
});

describe("SHOPIFY_WEBHOOK_SECRETS", () => {
  it("reads a secret per shop (lower-cased domain; a secret may hold colons) and refuses malformed or repeated entries", () => {
    expect(ingestOptionsFromEnv({ SHOPIFY_WEBHOOK_SECRETS: "Shop1.myshopify.com:s3cr:et, shop2.myshopify.com:two" }).shopifyWebhookSecrets).toEqual(
      new Map([
        ["shop1.myshopify.com", "s3cr:et"],
        ["shop2.myshopify.com", "two"],
      ]),
    );
    expect(() => ingestOptionsFromEnv({ SHOPIFY_WEBHOOK_SECRETS: "shop1.myshopify.com" })).toThrow(
      "SHOPIFY_WEBHOOK_SECRETS entries must be <shop domain>:<secret>",
    );
    expect(() => ingestOptionsFromEnv({ SHOPIFY_WEBHOOK_SECRETS: "shop1.myshopify.com:" })).toThrow(
      "SHOPIFY_WEBHOOK_SECRETS entries must be <shop domain>:<secret>",
    );
    expect(() => ingestOptionsFromEnv({ SHOPIFY_WEBHOOK_SECRETS: "a.myshopify.com:x,A.myshopify.com:y" })).toThrow("names shop a.myshopify.com twice");
  });
});

describe("databaseTimeoutsFromEnv", () => {
  it("defaults to 30 s per statement, 5 s per lock wait, 10 s to connect, and reads overrides", () => {
    expect(databaseTimeoutsFromEnv({})).toEqual({ statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, connectTimeoutMs: 10_000 });
    expect(databaseTimeoutsFromEnv({ DB_STATEMENT_TIMEOUT: "2m", DB_LOCK_TIMEOUT: "750ms", DB_CONNECT_TIMEOUT: "3s" })).toEqual({
      statementTimeoutMs: 120_000,
      lockTimeoutMs: 750,
      connectTimeoutMs: 3000,
    });
    expect(() => databaseTimeoutsFromEnv({ DB_LOCK_TIMEOUT: "0" })).toThrow("DB_LOCK_TIMEOUT must be at least 1 ms");
  });

  it("parses durations with units, a bare number as milliseconds", () => {
    expect([parseDuration("250"), parseDuration("1.5s"), parseDuration("5m"), parseDuration("2h"), parseDuration("30d")]).toEqual([
      250, 1500, 300_000, 7_200_000, 2_592_000_000,
    ]);
  });
});

describe("security settings", () => {
  it("refuses to start in production without token keys or the gateway secret, and generates a development secret otherwise", async () => {
    const { securityOptionsFromEnv } = await import("../../app/config.js");
    expect(() => securityOptionsFromEnv({ NODE_ENV: "production", GATEWAY_SHARED_SECRET: "x".repeat(32) })).toThrow(/NODE_ENV=production and no token keys/);
    expect(() => securityOptionsFromEnv({ NODE_ENV: "production", AUTH_JWKS_URL: "https://idp.example/jwks.json" })).toThrow(/GATEWAY_SHARED_SECRET/);
    expect(() => securityOptionsFromEnv({ NODE_ENV: "production", AUTH_DISABLED: "true" })).toThrow(/AUTH_DISABLED/);
    const prod = securityOptionsFromEnv({ NODE_ENV: "production", AUTH_JWKS_URL: "https://idp.example/jwks.json", GATEWAY_SHARED_SECRET: "x".repeat(32) });
    expect(prod.introspection).toBe(false);
    expect(prod.authentication.keys.hs256Secret).toBeUndefined();
    const dev = securityOptionsFromEnv({});
    expect(dev.generatedDevSecret).toBe(true);
    expect(dev.authentication.keys.hs256Secret!.length).toBeGreaterThanOrEqual(32);
    expect(dev.introspection).toBe(true);
    expect(() => securityOptionsFromEnv({ MAX_DEPTH: "0" })).toThrow(/MAX_DEPTH/);
    expect(() => securityOptionsFromEnv({ INGEST_API_KEYS: "wms:short" })).toThrow(/INGEST_API_KEYS/);
    expect(() => securityOptionsFromEnv({ TRUSTED_DOCUMENTS: "maybe" })).toThrow(/TRUSTED_DOCUMENTS/);
  });
});
