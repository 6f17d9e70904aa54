// The system under test for `npm run bench:orders`, in its own process so the load generator does
// not share its event loop: the embedded app (all subgraphs, consumers, in-process credit check)
// on a fresh store (in-memory PGlite, or DATABASE_URL), with a fixture of a customer per scenario
// (and an X12 partner for its interchange of 850s), SKUS
// products with list prices, and stock at three warehouses. Prints READY <url> when listening.
import { benchSecurity } from "./security-options.js";
import { openDatabase } from "../platform/db/index.js";
import { startEmbedded } from "../app/embedded.js";
import { serverConfigFromEnv } from "../app/config.js";

const skus = Number(process.env.BENCH_SKUS ?? 200);
const stockPerSku = Number(process.env.BENCH_STOCK ?? 100_000);
const url = process.env.DATABASE_URL;
const database = await openDatabase(url ? { kind: "postgres", url } : { kind: "pglite", dataDir: null });
const db = database.db;
await db.businessUnit.create({ data: { id: "BU-B", name: "Bench", erpSystem: "NETSUITE", erpInstance: "bench", deployment: "CLOUD", currency: "USD" } });
// One customer per scenario, so that no scenario prices its credit check against another's open orders.
await db.customer.createMany({
  data: ["warmup", "contention", "spread", "edi", "api1", "api8"].map((s) => ({
    id: `CUST-${s}`,
    name: `Bench buyer (${s})`,
    businessUnitId: "BU-B",
    creditLimit: "999999999.00",
    currency: "USD",
    paymentTerms: "NET30",
    termsDays: 30,
  })),
});
// The trading partner of the bench's interchange of 850s.
await db.crossReference.create({ data: { kind: "CUSTOMER", system: "X12", externalValue: "ZZ:BENCHBUYER", canonicalId: "CUST-edi" } });
const warehouses = ["WH-1", "WH-2", "WH-3"];
await db.location.createMany({ data: warehouses.map((code) => ({ id: `LOC-${code}`, code, name: code, kind: "WAREHOUSE" as const })) });
const names = Array.from({ length: skus }, (_, i) => `B-${String(i).padStart(4, "0")}`);
await db.product.createMany({ data: names.map((sku) => ({ sku, description: `Bench item ${sku}`, baseUnit: "EA" })) });
await db.catalogItem.createMany({ data: names.map((sku) => ({ sku, description: `Bench item ${sku}`, baseUnit: "EA", conversions: [] })) });
await db.priceListEntry.createMany({ data: names.map((sku) => ({ priceList: "LIST", sku, unit: "EA", currency: "USD", unitPrice: "1.0000" })) });
await db.inventoryPosition.createMany({
  data: names.flatMap((sku) => warehouses.map((w) => ({ sku, locationId: `LOC-${w}`, onHand: Math.floor(stockPerSku / 3), asOf: new Date() }))),
});
const app = await startEmbedded(
  database,
  { ...serverConfigFromEnv({}, 0), ingestBodyLimit: 1 << 20 },
  { pollIntervalMs: 200 },
  undefined,
  "graphiql",
  benchSecurity(),
);
console.log(`READY ${app.url}`);
process.once("SIGTERM", async () => {
  await app.close().catch(() => {});
  await database.close().catch(() => {});
  process.exit(0);
});
