// `npm run bench:subgraph-field-hooks`: the CPU a subgraph spends per query with Apollo Server's
// default cache-control plugin (which wraps every field's resolution) and without it (what the
// subgraphs run), on the same schema, data and queries, alternating in one process so a busy
// machine weighs on both alike. The queries are what the gateway asks inventory for under a page
// of 50 orders: the products of their lines with positions and locations, as _entities.
//   BENCH_ROUNDS (default 6), BENCH_QUERIES per round and variant (default 60)
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { openDatabase } from "../platform/db/index.js";
import { loadDemoData } from "../demo/load.js";
import { generateDemoData } from "../demo/generate.js";
import { createHost } from "../app/host.js";
import { machineLine, recordResults, today } from "./report.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const perRound = Number(process.env.BENCH_QUERIES ?? 60);

const demo = generateDemoData();
const database = await openDatabase({ kind: "pglite", dataDir: null });
await loadDemoData(database.db, demo);
const host = createHost(database, ["inventory"], { consumers: false });
const inventory = host.subgraphs.inventory!;
const variants = {
  "cache-control plugin on (Apollo's default)": new ApolloServer({ schema: inventory.schema, plugins: [ApolloServerPluginInlineTraceDisabled()] }),
  "cache-control plugin off (ours)": new ApolloServer({
    schema: inventory.schema,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  }),
};
for (const server of Object.values(variants)) await server.start();

// 50 orders' lines: the distinct products, as the gateway's entity fetch sends them.
const orderIds = new Set(demo.orders.slice(0, 50).map((o) => o.id));
const skus = [...new Set(demo.orderLines.filter((l) => orderIds.has(l.orderId)).map((l) => l.sku))];
const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { sku description baseUnit conversions { unit factor } availableQuantity positions { onHand allocated available location { id name } } } } }`;
const variables = { r: skus.map((sku) => ({ __typename: "Product", sku })) };

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function measure(server: ApolloServer): Promise<number> {
  const start = cpuMs();
  for (let i = 0; i < perRound; i++) {
    const res = await server.executeOperation({ query, variables }, { contextValue: inventory.createContext({ db: database.db, correlationId: "bench" }) });
    if (res.body.kind !== "single" || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
  }
  return (cpuMs() - start) / perRound;
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const server of Object.values(variants)) await measure(server); // warm-up
for (let round = 0; round < rounds; round++) {
  // Alternate the order each round.
  const entries = Object.entries(variants);
  for (const [name, server] of round % 2 ? entries.reverse() : entries) samples[name]!.push(await measure(server));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [on, off] = Object.keys(variants).map((k) => median(samples[k]!));
const lines = [
  `### Subgraph field hooks (cache-control plugin) — ${today()}`,
  "",
  `${machineLine()} PGlite in memory, demo data; the inventory subgraph's schema executing the entity fetch under a page of 50 orders (${skus.length} products with conversions and positions) ${perRound} times per round, ${rounds} rounds alternating the two servers; CPU ms per query (user + system, median of rounds).`,
  "",
  "| variant | CPU ms per query (median) | per round |",
  "|---|---:|---|",
  ...Object.entries(samples).map(([name, xs]) => `| ${name} | ${median(xs).toFixed(1)} | ${xs.map((x) => x.toFixed(1)).join(", ")} |`),
  "",
  `CPU per query, plugin off / on: ${(off! / on!).toFixed(2)}.`,
  "",
];
recordResults(lines);
for (const server of Object.values(variants)) await server.stop();
await database.close();
