// The embedded app (four subgraphs + gateway in one process) on a fresh test database with the
// demo data set (copied from the run's seeded template), listening on a free loopback port.
import { startEmbedded, type RunningApp } from "../../app/embedded.js";
import { serverConfigFromEnv, type ServerConfig } from "../../app/config.js";
import type { HostOptions } from "../../app/host.js";
import type { SubscriptionOptions } from "../../gateway/subscriptions/index.js";
import { generateDemoData, type DemoData } from "../../demo/generate.js";
import { createTestDatabase, type StoreKind, type TestDatabase } from "./databases.js";
import type { DatabaseTimeouts } from "../../platform/db/timeouts.js";
import { setLogLevel } from "../../platform/telemetry/log.js";

// One access log line per request would bury the test output; tests that read logs raise the level themselves.
setLogLevel("warn");
import type { AppSecurityOptions } from "../../app/config.js";
import { testSecurity } from "./auth.js";

export interface TestApp {
  app: RunningApp;
  database: TestDatabase;
  demo: DemoData;
  close(): Promise<void>;
}

/**
 * The clock ingestion judges source times by, in tests: fixed, so no verdict depends on the day
 * the suite runs. Test documents are dated up to the end of November 2026.
 */
export const TEST_NOW = new Date("2026-12-01T00:00:00Z");

/** The documented defaults, on a free port, with a smaller ingestion limit to test against. */
export const testServerConfig: ServerConfig = { ...serverConfigFromEnv({}, 0), ingestBodyLimit: 256 * 1024 };

export interface TestAppOptions {
  demo?: boolean;
  hostOptions?: HostOptions;
  subscriptionOptions?: SubscriptionOptions;
  databaseTimeouts?: Partial<DatabaseTimeouts>;
  /** Overrides of the documented defaults (limits, timeouts…). */
  serverConfig?: Partial<ServerConfig>;
  /** Security settings (default: testSecurity(), tokens signed with TEST_AUTH_SECRET). */
  security?: AppSecurityOptions;
}

export async function startTestApp(kind: StoreKind, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind, { demo: options.demo !== false, timeouts: options.databaseTimeouts });
  // The same deterministic data set the template was loaded with, for tests to compare against.
  const demo = generateDemoData();
  // Orders stay ALLOCATED unless a suite asks for the automatic release to the warehouses (the fulfillment suite does).
  const hostOptions = { autoRelease: false, ...options.hostOptions, ingest: { now: () => TEST_NOW, ...options.hostOptions?.ingest } };
  const app = await startEmbedded(
    database,
    { ...testServerConfig, ...options.serverConfig },
    hostOptions,
    options.subscriptionOptions,
    "graphiql",
    options.security ?? testSecurity(),
  );
  return {
    app,
    database,
    demo,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
