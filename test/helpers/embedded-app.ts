// The embedded app (four subgraphs + gateway in one process) on a fresh test database with the
// demo data set, listening on a free loopback port.
import { startEmbedded, type RunningApp } from "../../app/embedded.js";
import type { HostOptions } from "../../app/host.js";
import type { SubscriptionOptions } from "../../gateway/subscriptions/index.js";
import { loadDemoData } from "../../demo/load.js";
import { generateDemoData, type DemoData } from "../../demo/generate.js";
import { createTestDatabase, type StoreKind, type TestDatabase } from "./databases.js";

export interface TestApp {
  app: RunningApp;
  database: TestDatabase;
  demo: DemoData;
  close(): Promise<void>;
}

export const testServerConfig = { port: 0, host: "127.0.0.1", corsOrigins: [], bodyLimit: "1mb", ingestBodyLimit: 256 * 1024 };

export async function startTestApp(kind: StoreKind, options: { demo?: boolean; hostOptions?: HostOptions; subscriptionOptions?: SubscriptionOptions } = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const demo = generateDemoData();
  if (options.demo !== false) await loadDemoData(database.db, demo);
  const app = await startEmbedded(database, testServerConfig, options.hostOptions, options.subscriptionOptions);
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
