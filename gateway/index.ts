// `npm run start:gateway`: the gateway as its own process. Subgraph URLs come from
// ORDERS_URL, INVENTORY_URL, ERP_FINANCE_URL, SHIPMENTS_URL, or SUPERGRAPH_FILE names a
// Federation 2 supergraph whose subgraph URLs are used as written.
import fs from "node:fs";
import { serverConfigFromEnv, subgraphUrlsFromEnv, subscriptionOptionsFromEnv } from "./config.js";
import { composeOwnSupergraph } from "./supergraph.js";
import { startGateway } from "./standalone.js";
import { openDatabase, storeConfigFromEnv } from "../platform/db/index.js";

async function main() {
  const file = process.env.SUPERGRAPH_FILE;
  const supergraphSdl = file ? fs.readFileSync(file, "utf8") : composeOwnSupergraph(subgraphUrlsFromEnv());
  const database = process.env.DATABASE_URL ? await openDatabase(storeConfigFromEnv(), { migrate: false }) : null;
  const gateway = await startGateway(supergraphSdl, serverConfigFromEnv(), database, subscriptionOptionsFromEnv());
  console.log(`GraphQL gateway${file ? ` (supergraph ${file})` : ""}: ${gateway.url}`);
  const stop = async () => {
    await gateway.close();
    await database?.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
