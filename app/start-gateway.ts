// `npm run start:gateway`: the gateway as its own process. Subgraph URLs come from
// ORDERS_URL, INVENTORY_URL, ERP_FINANCE_URL, SHIPMENTS_URL, or SUPERGRAPH_FILE names a
// Federation 2 supergraph whose subgraph URLs are used as written.
import fs from "node:fs";
import {
  securityOptionsFromEnv,
  databaseTimeoutsFromEnv,
  ideFromEnv,
  kpiAlertOptionsFromEnv,
  logLevelFromEnv,
  serverConfigFromEnv,
  subgraphUrlsFromEnv,
  subscriptionOptionsFromEnv,
  tracingOptionsFromEnv,
} from "./config.js";
import { composeOwnSupergraph } from "./supergraph.js";
import { CONSOLE_PATH } from "../gateway/console-page.js";
import { startGateway } from "../gateway/standalone.js";
import { subscriptionSpecs } from "./subscription-specs.js";
import { openDatabase, storeConfigFromEnv } from "../platform/db/index.js";
import { runProcess } from "../platform/lifecycle.js";
import { exportOwners, exportScopes } from "./export-datasets.js";
import { startKpiAlerts } from "../platform/kpi/alerts.js";
import { setLogLevel } from "../platform/telemetry/log.js";
import { startTracing } from "../platform/telemetry/tracing.js";

runProcess(async () => {
  setLogLevel(logLevelFromEnv());
  const tracingOptions = tracingOptionsFromEnv("gateway");
  const tracing = tracingOptions ? startTracing(tracingOptions) : null;
  const file = process.env.SUPERGRAPH_FILE;
  const supergraphSdl = file ? fs.readFileSync(file, "utf8") : composeOwnSupergraph(subgraphUrlsFromEnv());
  const database = process.env.DATABASE_URL ? await openDatabase(storeConfigFromEnv(), { migrate: false, timeouts: databaseTimeoutsFromEnv() }) : null;
  const config = serverConfigFromEnv();
  const ide = ideFromEnv();
  const gateway = await startGateway({
    supergraphSdl,
    config,
    database,
    subscriptionSpecs,
    subscriptionOptions: subscriptionOptionsFromEnv(),
    ide,
    security: securityOptionsFromEnv(),
    exportOwners,
    exportScopes,
  });
  // KPI alerts append to the event log, so they need its database.
  const alerts = database ? startKpiAlerts(database.db, (query, variables) => gateway.execute(query, variables, "kpi-alerts"), kpiAlertOptionsFromEnv()) : null;
  console.log(`GraphQL gateway${file ? ` (supergraph ${file})` : ""}: ${gateway.url}`);
  console.log(`Operations console: ${gateway.url.replace(/\/graphql$/, CONSOLE_PATH)}`);
  if (ide !== "off") console.log(`Browser IDE: ${gateway.url} (open it in a browser: ${ide === "graphiql" ? "GraphiQL" : "Apollo Sandbox"})`);
  return async () => {
    await alerts?.stop();
    await gateway.close(config.shutdown);
    await database?.close();
    await tracing?.shutdown(); // flushes the last spans
  };
});
