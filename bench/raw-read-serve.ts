// The server for bench/raw-read.ts: the embedded app on PGlite in memory with one product and one
// location, reporting its URL and, when asked, its resident memory over IPC.
import { benchSecurity } from "./security-options.js";
import { openDatabase } from "../platform/db/index.js";
import { startEmbedded } from "../app/embedded.js";
import { serverConfigFromEnv, subscriptionOptionsFromEnv, ingestOptionsFromEnv } from "../app/config.js";

const database = await openDatabase({ kind: "pglite", dataDir: null });
await database.db.product.create({ data: { sku: "BENCH-1", description: "Bench item", baseUnit: "EA" } });
await database.db.location.create({ data: { id: "LOC-BENCH-WH", code: "BENCH-WH", name: "Bench warehouse", kind: "WAREHOUSE" } });
const app = await startEmbedded(
  database,
  serverConfigFromEnv({}, 0),
  { pollIntervalMs: 60_000, ingest: ingestOptionsFromEnv() },
  subscriptionOptionsFromEnv({}),
  "graphiql",
  benchSecurity(),
);
process.on("message", () => process.send!({ rss: process.memoryUsage().rss }));
process.send!({ url: app.url, pid: process.pid });
