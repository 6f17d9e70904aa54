// `npm run bench:gateway-direct`: gateway vs direct-subgraph throughput and latency, measured in one run so the
// ratio is meaningful on a noisy machine. Appends the figures to bench/RESULTS.md.
//   BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 10), DATABASE_URL (default in-memory PGlite)
import { fork } from "node:child_process";
import fs from "node:fs";
import { generateDemoData } from "../demo/generate.js";
import { runLoad, type LoadResult } from "./load.js";
import { machineLine, recordResults, today } from "./report.js";

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const example = (f: string) => fs.readFileSync(new URL(`../examples/${f}`, import.meta.url), "utf8");

// The part of each query the orders subgraph can answer alone: the same fields, minus other domains.
const ORDER_DIRECT = `query($id: ID!) { order(id: $id) { id orderNumber status channel placedAt customerPo totalAmount currency
  externalRefs { system value } lines { lineNumber quantityOrdered quantityShipped unit unitPrice inBaseUnit { unit ordered } product { sku } } } }`;
const PAGE_DIRECT = `query($first: Int!) { orders(first: $first) { totalCount pageInfo { hasNextPage endCursor } nodes { id status lines { sku quantityOrdered product { sku } } } } }`;

async function main() {
  const demo = generateDemoData();
  const orderIds = demo.orders.filter((o) => o.status === "INVOICED" || o.status === "SHIPPED").map((o) => o.id);
  const child = fork(new URL("./serve.ts", import.meta.url), { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const { url, subgraphUrls } = await new Promise<{ url: string; subgraphUrls: Record<string, string> }>((resolve) => child.once("message", resolve as never));
  const opts = { connections, durationSeconds };
  const byId = (query: string) => (i: number) => ({ query, variables: { id: orderIds[i % orderIds.length] } });
  const results: LoadResult[] = [];
  try {
    // Warm up both paths (JIT, query plan cache) before measuring.
    await runLoad("warmup", url, byId(example("unified-order-view.graphql")), { connections, durationSeconds: 2 });
    await runLoad("warmup", subgraphUrls.orders, byId(ORDER_DIRECT), { connections, durationSeconds: 2 });
    results.push(await runLoad("order view, orders fields: direct to orders subgraph", subgraphUrls.orders, byId(ORDER_DIRECT), opts));
    results.push(await runLoad("order view, orders fields: through gateway", url, byId(ORDER_DIRECT), opts));
    results.push(await runLoad("unified order view (4 subgraphs): through gateway", url, byId(example("unified-order-view.graphql")), opts));
    results.push(
      await runLoad(
        "orders(first: 50), orders fields: direct to orders subgraph",
        subgraphUrls.orders,
        () => ({ query: PAGE_DIRECT, variables: { first: 50 } }),
        opts,
      ),
    );
    results.push(await runLoad("orders(first: 50), orders fields: through gateway", url, () => ({ query: PAGE_DIRECT, variables: { first: 50 } }), opts));
    results.push(
      await runLoad(
        "orders(first: 50) nested (4 subgraphs): through gateway",
        url,
        () => ({ query: example("orders-page.graphql"), variables: { first: 50 } }),
        opts,
      ),
    );
  } finally {
    child.send("stop");
  }
  const [d1, g1, u1, d2, g2, u2] = results;
  const ratio = (a: LoadResult, b: LoadResult) => (a.requestsPerSecond / b.requestsPerSecond).toFixed(2);
  const store = process.env.DATABASE_URL ? "PostgreSQL server" : "PGlite in memory";
  const lines = [
    `### Gateway vs direct subgraph — ${today()}`,
    "",
    `${machineLine()} ` + `Store: ${store}, demo data set. autocannon: ${connections} connections, ${durationSeconds} s per row, server in its own process.`,
    "",
    "| scenario | req/s | p50 ms | p99 ms | errors |",
    "|---|---:|---:|---:|---:|",
    ...results.map((r) => `| ${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors + r.non2xx} |`),
    "",
    `Ratios (throughput): gateway/direct, same fields: order view ${ratio(g1, d1)}, orders page ${ratio(g2, d2)}; ` +
      `full 4-subgraph query through the gateway vs direct orders-only: order view ${ratio(u1, d1)}, orders page ${ratio(u2, d2)}.`,
    "",
  ];
  recordResults(lines);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
