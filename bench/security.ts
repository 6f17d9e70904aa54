// `npm run bench:security`: the unified order view (and a 50-order page with nested fields)
// through the gateway with authentication, schema authorization, row-level identity forwarding,
// operation limits and rate-limit bookkeeping ON vs everything OFF, in the same run: two servers
// (each its own process, same demo data), measured alternately (off, on, off, on) so drift on a
// busy machine hits both. Appends the figures and the on/off ratios to bench/RESULTS.md.
//   BENCH_DURATION (s per measurement, default 10), BENCH_CONNECTIONS (default 10)
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { generateDemoData } from "../demo/generate.js";
import { runLoad, type LoadResult } from "./load.js";
import { machineLine, recordResults, today } from "./report.js";
import { signHs256Token } from "../platform/auth/tokens.js";
import { allScopes } from "../platform/auth/scopes.js";
import { BENCH_SECRET } from "./security-options.js";

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const example = (f: string) => fs.readFileSync(new URL(`../examples/${f}`, import.meta.url), "utf8");

function serve(security: "on" | "off"): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(new URL("./serve.ts", import.meta.url), {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
    env: { ...process.env, BENCH_SECURITY: security },
  });
  return new Promise((resolve) => child.once("message", (m: { url: string }) => resolve({ child, url: m.url })));
}

async function main() {
  const demo = generateDemoData();
  const orderIds = demo.orders.filter((o) => o.status === "INVOICED" || o.status === "SHIPPED").map((o) => o.id);
  const [off, on] = await Promise.all([serve("off"), serve("on")]);
  const token = await signHs256Token(BENCH_SECRET, { sub: "bench", scopes: allScopes, expiresIn: "2h" });
  const auth = { authorization: `Bearer ${token}` };
  const view = example("unified-order-view.graphql");
  const page = example("orders-page.graphql");
  const byId = (i: number) => ({ query: view, variables: { id: orderIds[i % orderIds.length] } });
  const pageOf = () => ({ query: page, variables: { first: 50 } });
  const opts = { connections, durationSeconds };
  const runs: Record<string, LoadResult[]> = { "view off": [], "view on": [], "page off": [], "page on": [] };
  try {
    await runLoad("warmup", off.url, byId, { connections, durationSeconds: 2 });
    await runLoad("warmup", on.url, byId, { connections, durationSeconds: 2 }, auth);
    for (let round = 0; round < 2; round++) {
      runs["view off"].push(await runLoad("unified order view, security off", off.url, byId, opts));
      runs["view on"].push(await runLoad("unified order view, security on", on.url, byId, opts, auth));
      runs["page off"].push(await runLoad("orders(first: 50) nested, security off", off.url, pageOf, opts));
      runs["page on"].push(await runLoad("orders(first: 50) nested, security on", on.url, pageOf, opts, auth));
    }
  } finally {
    off.child.send("stop");
    on.child.send("stop");
  }
  const mean = (rs: LoadResult[]) => ({
    name: rs[0].name,
    requestsPerSecond: rs.reduce((s, r) => s + r.requestsPerSecond, 0) / rs.length,
    p50: Math.max(...rs.map((r) => r.p50)),
    p99: Math.max(...rs.map((r) => r.p99)),
    errors: rs.reduce((s, r) => s + r.errors + r.non2xx, 0),
  });
  const rows = Object.values(runs).map(mean);
  const [vOff, vOn, pOff, pOn] = rows;
  const ratio = (a: { requestsPerSecond: number }, b: { requestsPerSecond: number }) => (a.requestsPerSecond / b.requestsPerSecond).toFixed(3);
  const lines = [
    `### Security on vs off — ${today()}`,
    "",
    `${machineLine()} PGlite in memory, demo data set, two servers (security on / off) in their own processes, measured alternately (off, on, off, on); autocannon ${connections} connections, ${durationSeconds} s per measurement; req/s is the mean of the two measurements, p50/p99 the worse.`,
    "",
    "| scenario | req/s | p50 ms | p99 ms | errors |",
    "|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`),
    "",
    `Throughput with security on / off: unified order view ${ratio(vOn, vOff)}, orders page ${ratio(pOn, pOff)} (1.000 = no cost; the target is above 0.900).`,
    "",
  ];
  recordResults(lines);
  console.log(lines.join("\n"));
  process.exit(0);
}

await main();
