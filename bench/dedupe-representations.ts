// `npm run bench:dedupe-representations`: the gateway asking each distinct entity once per
// _entities fetch (SUBGRAPH_DEDUPE_REPRESENTATIONS on, the default) against sending every
// representation the query planner built (off), on the nested page of 50 orders (examples/
// orders-page.graphql: lines share products, so Product representations repeat) and on the
// unified order view (few repeats), in one run. Each variant is the embedded app (bench/serve.ts)
// in its own process on in-memory PGlite with the demo data; rounds alternate between them so a
// busy machine weighs on both alike. Server CPU per request comes from each process's own
// cpuUsage, the steadier figure on a shared machine.
//   BENCH_ROUNDS (default 3), BENCH_DURATION (s per round and variant, default 5), BENCH_CONNECTIONS (default 8)
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { generateDemoData } from "../demo/generate.js";
import { runLoad } from "./load.js";
import { RoundTotals } from "./round-totals.js";
import { machineLine, recordResults, today } from "./report.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const example = (f: string) => fs.readFileSync(new URL(`../examples/${f}`, import.meta.url), "utf8");

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
}

async function start(name: string, dedupe: "on" | "off"): Promise<Server> {
  const child = fork(new URL("./serve.ts", import.meta.url), {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, LOG_LEVEL: "warn", SUBGRAPH_DEDUPE_REPRESENTATIONS: dedupe },
  });
  const { url } = await new Promise<{ url: string }>((resolve) => child.once("message", resolve as never));
  return { name, child, url };
}

const cpuMs = (s: Server) =>
  new Promise<number>((resolve) => {
    s.child.once("message", (m: { cpuMs: number }) => resolve(m.cpuMs));
    s.child.send("stats");
  });

async function main() {
  const demo = generateDemoData();
  const orderIds = demo.orders.filter((o) => o.status === "INVOICED" || o.status === "SHIPPED").map((o) => o.id);
  const scenarios = [
    { name: "orders(first: 50) nested (4 subgraphs)", body: () => ({ query: example("orders-page.graphql"), variables: { first: 50 } }) },
    {
      name: "unified order view (4 subgraphs)",
      body: (i: number) => ({ query: example("unified-order-view.graphql"), variables: { id: orderIds[i % orderIds.length] } }),
    },
  ];
  const servers = [await start("dedupe on (default)", "on"), await start("dedupe off", "off")];
  const totals = new RoundTotals();
  try {
    for (const s of servers) for (const sc of scenarios) await runLoad("warmup", s.url, sc.body, { connections, durationSeconds: 2 });
    for (let round = 0; round < rounds; round++) {
      for (const sc of scenarios) {
        // Alternate which variant goes first in each round.
        for (const s of round % 2 ? [...servers].reverse() : servers) {
          const before = await cpuMs(s);
          const r = await runLoad(`${sc.name}: ${s.name}`, s.url, sc.body, { connections, durationSeconds });
          totals.add(sc.name, s.name, r, durationSeconds, (await cpuMs(s)) - before);
        }
      }
    }
  } finally {
    for (const s of servers) s.child.send("stop");
  }
  const lines = [
    `### Entity representations deduplicated per fetch — ${today()}`,
    "",
    `${machineLine()} Embedded app on in-memory PGlite with the demo data, one process per variant; ${rounds} alternating rounds of ${durationSeconds} s per scenario and variant, autocannon with ${connections} connections. CPU: the server process's user + system time per request.`,
    "",
    "| scenario | variant | req/s | p99 ms (worst round) | server CPU ms/request | errors |",
    "|---|---|---:|---:|---:|---:|",
    ...scenarios.flatMap((sc) => servers.map((s) => `| ${sc.name} | ${s.name} | ${totals.row(sc.name, s.name)} |`)),
    "",
    `Ratios (on / off): ${scenarios
      .map((sc) => {
        const [on, off] = servers.map((s) => s.name);
        return `${sc.name}: throughput ${(totals.rate(sc.name, on) / totals.rate(sc.name, off)).toFixed(2)}, CPU per request ${(totals.cpuPerRequest(sc.name, on) / totals.cpuPerRequest(sc.name, off)).toFixed(2)}`;
      })
      .join("; ")}.`,
    "",
  ];
  recordResults(lines);
  console.log(lines.join("\n"));
  process.exit(0);
}

await main();
