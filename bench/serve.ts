// The system under test for the benchmarks, in its own process so the load generator does not
// share its event loop: embedded app on a fresh in-memory PGlite (or DATABASE_URL) with demo data,
// configured by the environment like `npm start` (subscription settings included).
import { benchSecurity } from "./security-options.js";
import { openDatabase, storeConfigFromEnv } from "../platform/db/index.js";
import { startEmbedded } from "../app/embedded.js";
import { loadDemoData } from "../demo/load.js";
import { hostOptionsFromEnv, serverConfigFromEnv, subscriptionOptionsFromEnv } from "../app/config.js";

const config = process.env.DATABASE_URL ? storeConfigFromEnv() : ({ kind: "pglite", dataDir: null } as const);
const database = await openDatabase(config);
await loadDemoData(database.db);
const app = await startEmbedded(
  database,
  { ...serverConfigFromEnv(), port: 0 },
  hostOptionsFromEnv(),
  subscriptionOptionsFromEnv(),
  "graphiql",
  benchSecurity(),
);
process.send?.({ url: app.url, subgraphUrls: app.subgraphUrls });
process.on("message", async (m) => {
  if (m === "stats") {
    const { followUps, engine } = app.subscriptions;
    process.send?.({
      followUps: followUps.executed,
      entities: followUps.fetched,
      followUpMs: followUps.executionMs,
      maxBuffered: engine.maxBuffered,
      cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      listeners: app.subscriptions.follower?.listenerCount ?? 0,
    });
    return;
  }
  if (m === "stop") {
    await app.close();
    await database.close();
    process.exit(0);
  }
});
