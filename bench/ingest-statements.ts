// `tsx bench/ingest-statements.ts`: the SQL statements one single-event ingestion costs, the app's
// and its consumers', grouped by statement text (first 120 characters) and counted per event.
// PGlite in memory, or DATABASE_URL. A diagnostic for issue 12 item 4 (statements per event).
//   STATEMENT_EVENTS (50): single events posted one after another after a 20-event warm-up.
import { openDatabase } from "../platform/db/index.js";
import { startEmbedded } from "../app/embedded.js";
import { serverConfigFromEnv, ingestOptionsFromEnv } from "../app/config.js";
import { createStatementLog } from "../platform/db/statement-counter.js";
import { generateHistory } from "../test/helpers/stock-history.js";
import { benchLocationId, benchLocations, benchSkus } from "./ingest-protocol.js";
import { benchSecurity } from "./security-options.js";

const n = Number(process.env.STATEMENT_EVENTS ?? 50);
const log = createStatementLog(true);
const url = process.env.DATABASE_URL;
const database = await openDatabase(url ? { kind: "postgres", url } : { kind: "pglite", dataDir: null }, { statementLog: log });
const skus = benchSkus(20);
const locations = benchLocations(3);
await database.db.product.createMany({ data: skus.map((sku) => ({ sku, description: sku, baseUnit: "EA" })) });
await database.db.location.createMany({ data: locations.map((code) => ({ id: benchLocationId(code), code, name: code, kind: "WAREHOUSE" as const })) });
const app = await startEmbedded(database, { ...serverConfigFromEnv({}, 0) }, { ingest: ingestOptionsFromEnv() }, undefined, "graphiql", benchSecurity());
const ingestUrl = app.url.replace(/\/graphql$/, "/ingest/wms/inventory");
const events = generateHistory({ events: n + 20, skus, locations, countShare: 0, seed: 7, start: new Date(Date.now() - 3_600_000) });
const settle = async () => {
  // Until the consumers have gone quiet for 300 ms.
  for (let last = -1; last !== log.count;) {
    last = log.count;
    await new Promise((r) => setTimeout(r, 300));
  }
};
const post = async (e: unknown) => {
  const res = await fetch(ingestUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(e) });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
};
for (const e of events.slice(0, 20)) await post(e);
await settle();
log.statements.length = 0;
const before = log.count;
for (const e of events.slice(20)) await post(e);
await settle();
const groups = new Map<string, number>();
for (const s of log.statements) {
  const k = s.replace(/\s+/g, " ").slice(0, 120);
  groups.set(k, (groups.get(k) ?? 0) + 1);
}
console.log(`${url ? "PostgreSQL" : "PGlite"}: ${((log.count - before) / n).toFixed(2)} statements per single event (${n} events)`);
for (const [k, c] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${(c / n).toFixed(2).padStart(6)}  ${k}`);
await app.close();
await database.close();
process.exit(0);
