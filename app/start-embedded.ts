// `npm start`: the whole graph in one process on the embedded store (or DATABASE_URL).
// Applies migrations, loads the demo data set into an empty store, prints the URLs.
import { openDatabase, storeConfigFromEnv, describeStore } from "../platform/db/index.js";
import {
  databaseTimeoutsFromEnv,
  erpOptionsFromEnv,
  hostOptionsFromEnv,
  ideFromEnv,
  ingestOptionsFromEnv,
  kpiAlertOptionsFromEnv,
  logLevelFromEnv,
  orderCaptureOptionsFromEnv,
  serverConfigFromEnv,
  subscriptionOptionsFromEnv,
  tracingOptionsFromEnv,
} from "./config.js";
import { startEmbedded } from "./embedded.js";
import { isStoreEmpty, loadReferenceData } from "../demo/load.js";
import { runDemoFlows } from "../demo/flows.js";
import { generateDemoData } from "../demo/generate.js";
import { subgraphNames } from "../subgraphs/catalog.js";
import { runProcess } from "../platform/lifecycle.js";
import { setLogLevel } from "../platform/telemetry/log.js";
import { startTracing } from "../platform/telemetry/tracing.js";
import { startErpStandIns } from "./erp-stand-ins.js";
import { demoOptionsFromEnv, securityOptionsFromEnv } from "./config.js";
import { CONSOLE_PATH } from "../gateway/console-page.js";
import { demoFlowsAuthorization, printDevelopmentToken } from "./dev-token.js";

runProcess(async () => {
  setLogLevel(logLevelFromEnv());
  const tracingOptions = tracingOptionsFromEnv("embedded");
  const tracing = tracingOptions ? startTracing(tracingOptions) : null;
  const storeConfig = storeConfigFromEnv();
  const serverConfig = serverConfigFromEnv();
  const ide = ideFromEnv();
  const database = await openDatabase(storeConfig, { timeouts: databaseTimeoutsFromEnv() });
  console.log(`Store: ${describeStore(storeConfig)}${database.appliedMigrations.length ? ` (applied ${database.appliedMigrations.join(", ")})` : ""}`);
  const demoOptions = demoOptionsFromEnv();
  const demo = demoOptions.enabled && (await isStoreEmpty(database.db)) ? generateDemoData() : null;
  if (demo) {
    const started = Date.now();
    const { counts } = await loadReferenceData(database.db, demo);
    console.log(
      `Loaded the demo reference data in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}`,
    );
  }
  const erpOptions = erpOptionsFromEnv();
  const erp = erpOptions.connectors ? await startErpStandIns(database.db, erpOptions) : null;
  const security = securityOptionsFromEnv();
  const app = await startEmbedded(
    database,
    serverConfig,
    {
      ...hostOptionsFromEnv(),
      ingest: ingestOptionsFromEnv(),
      ...orderCaptureOptionsFromEnv(process.env, true),
      kpiAlerts: kpiAlertOptionsFromEnv(),
      ...(erp && { erp: erp.runtime }),
    },
    subscriptionOptionsFromEnv(),
    ide,
    security,
  );
  if (demo && demoOptions.flowOrders > 0) {
    // The demo orders, every one through the real flows (capture to posted invoice, a return), through
    // the app's own endpoints, once it serves: start-up does not wait for them (README: how long).
    const started = Date.now();
    const authorization = await demoFlowsAuthorization(security);
    void runDemoFlows(app.url, database.db, demo, { authorization, orders: demoOptions.flowOrders })
      .then((f) =>
        console.log(
          `Ran ${f.orders} demo orders through the real flows in ${((Date.now() - started) / 1000).toFixed(1)} s: ${f.creditHolds} on credit hold (${f.cancelled} cancelled), ${f.shipments} shipments with ${f.milestones} carrier milestones, ${f.invoices} invoices, ${f.returns} return, ${f.creditMemos} credit memo`,
        ),
      )
      .catch((err) => console.error(JSON.stringify({ level: "error", msg: "demo flows failed", error: String(err) })));
  }
  console.log(`\nGraphQL gateway: ${app.url}`);
  if (ide !== "off") console.log(`Browser IDE:     ${app.url} (open it in a browser: ${ide === "graphiql" ? "GraphiQL" : "Apollo Sandbox"})`);
  console.log(`Operations:      ${app.url.replace(/\/graphql$/, CONSOLE_PATH)} (the live operations console; open the link with the token, below)`);
  console.log(`Health:          ${app.url.replace(/\/graphql$/, "/health/ready")} (liveness: /health/live)`);
  if (security.subgraphDebugEndpoints)
    for (const name of subgraphNames) console.log(`Subgraph ${name.padEnd(12)} ${app.subgraphUrls[name]} (SUBGRAPH_DEBUG_ENDPOINTS)`);
  if (erp?.cloud) console.log(`Cloud ERP stand-in (Business Central API v2.0): ${erp.cloud.baseUrl}/api/v2.0 (token: ${erp.cloud.tokenUrl})`);
  for (const f of erp?.files ?? []) console.log(`File ERP stand-in answering: ${f.root}`);
  await printDevelopmentToken(security, app.url, ide !== "off");
  return async () => {
    await app.close(serverConfig.shutdown);
    await erp?.close();
    await database.close();
    await tracing?.shutdown(); // flushes the last spans
  };
});
