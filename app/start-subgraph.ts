// `npm run start:subgraph -- <name>`: one subgraph as its own process (distributed mode).
// DATABASE_URL selects the shared PostgreSQL; PORT defaults to the subgraph's own port.
import { openDatabase, storeConfigFromEnv, describeStore } from "../platform/db/index.js";
import {
  securityOptionsFromEnv,
  databaseTimeoutsFromEnv,
  DEFAULT_SUBGRAPH_PORTS,
  erpOptionsFromEnv,
  hostOptionsFromEnv,
  ingestOptionsFromEnv,
  logLevelFromEnv,
  orderCaptureOptionsFromEnv,
  serverConfigFromEnv,
  subgraphUrlsFromEnv,
  tracingOptionsFromEnv,
} from "./config.js";
import { startSubgraphServer } from "./subgraph-process.js";
import { isSubgraphName, subgraphNames } from "../subgraphs/catalog.js";
import { runProcess } from "../platform/lifecycle.js";
import { setLogLevel } from "../platform/telemetry/log.js";
import { startTracing } from "../platform/telemetry/tracing.js";
import { erpRuntimeOptions } from "./erp-stand-ins.js";

runProcess(async () => {
  setLogLevel(logLevelFromEnv());
  const tracingOptions = tracingOptionsFromEnv(process.argv[2] ?? "subgraph");
  const tracing = tracingOptions ? startTracing(tracingOptions) : null;
  const name = process.argv[2];
  if (!name || !isSubgraphName(name)) {
    console.error(`usage: npm run start:subgraph -- <${subgraphNames.join("|")}>`);
    process.exit(2);
  }
  const storeConfig = storeConfigFromEnv();
  if (storeConfig.kind === "pglite") {
    console.warn("DATABASE_URL is not set: this subgraph uses its own embedded store; other processes cannot share it.");
  }
  // MIGRATE=off when a deployment applies migrations separately (npm run db:migrate).
  const database = await openDatabase(storeConfig, { migrate: process.env.MIGRATE !== "off", timeouts: databaseTimeoutsFromEnv() });
  const config = serverConfigFromEnv(process.env, DEFAULT_SUBGRAPH_PORTS[name]);
  const running = await startSubgraphServer(
    name,
    database,
    config,
    {
      ...hostOptionsFromEnv(),
      ingest: ingestOptionsFromEnv(),
      ...orderCaptureOptionsFromEnv(process.env, name === "erp-finance"),
      subgraphUrls: subgraphUrlsFromEnv(),
      // The erp-finance process posts to the ERPs (no stand-ins here: its connectors and ERP_CLOUD_* name them).
      ...(name === "erp-finance" && erpOptionsFromEnv().connectors && { erp: erpRuntimeOptions(erpOptionsFromEnv()) }),
    },
    securityOptionsFromEnv(),
  );
  console.log(`Subgraph ${name} on ${describeStore(storeConfig)}: ${running.url}`);
  return async () => {
    await running.close(config.shutdown);
    await database.close();
    await tracing?.shutdown(); // flushes the last spans
  };
});
