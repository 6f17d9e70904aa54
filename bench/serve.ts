// The system under test for the benchmarks, in its own process so the load generator does not
// share its event loop: embedded app on a fresh in-memory PGlite (or DATABASE_URL) with demo data.
import { openDatabase, storeConfigFromEnv } from "../platform/db/index.js";
import { startEmbedded } from "../app/embedded.js";
import { loadDemoData } from "../demo/load.js";

const config = process.env.DATABASE_URL ? storeConfigFromEnv() : ({ kind: "pglite", dataDir: null } as const);
const database = await openDatabase(config);
await loadDemoData(database.db);
const app = await startEmbedded(database, { port: 0, host: "127.0.0.1", corsOrigins: [], bodyLimit: "1mb", ingestBodyLimit: 5 * 1024 * 1024 });
process.send?.({ url: app.url, subgraphUrls: app.subgraphUrls });
process.on("message", async (m) => {
  if (m === "stats") {
    process.send?.({ followUps: app.subscriptions.followUps.executed, listeners: app.subscriptions.follower?.listenerCount ?? 0 });
    return;
  }
  if (m === "stop") {
    await app.close();
    await database.close();
    process.exit(0);
  }
});
