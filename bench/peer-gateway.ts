// `npm run bench:peer-gateway`: our gateway against Hive Gateway (its JS planner, and its Rust
// planner: --hive-router-runtime) on the same five subgraph processes on one PostgreSQL server, in
// one run (issue 12 item 1). Hive Gateway is a bench-only install: the first run installs a pinned
// version into node_modules/.cache/peer-gateway with npm (the registry only; nothing else is
// downloaded), so neither CI nor `npm ci` carries it.
//
// Scenarios: the unified order view, the nested page of 50 orders (examples/), and the simple
// `order(id) { id status lines { lineNumber quantityOrdered } }`, which also runs straight against
// the orders subgraph (the gateway's overhead on a query one subgraph answers). Rounds alternate
// the targets so a busy machine weighs on each alike. CPU per request is the whole chain's (the
// gateway, the five subgraph processes and PostgreSQL), from /proc: on a shared machine it is the
// steadier figure.
//   BENCH_ROUNDS (default 3), BENCH_DURATION (s per round and target, default 5), BENCH_CONNECTIONS (default 16)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { subgraphNames } from "../subgraphs/catalog.js";
import { projectPath } from "../platform/project-root.js";
import { runLoad } from "./load.js";
import { RoundTotals } from "./round-totals.js";
import { cpuReading, cpuSpent } from "./proc-cpu.js";
import { appendTargets, machineLine, recordResults, today } from "./report.js";
import { freePort, startDistributed, startProc, type Proc } from "./distributed.js";
import { gatewayScenarios } from "./gateway-queries.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PEER = { gateway: "@graphql-hive/gateway@2.15.1", routerRuntime: "@graphql-hive/router-runtime@1.4.23" };
const peerDir = projectPath("node_modules", ".cache", "peer-gateway");

function ensurePeerInstalled(): string {
  const bin = path.join(peerDir, "node_modules", ".bin", "hive-gateway");
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(peerDir, { recursive: true });
  fs.writeFileSync(path.join(peerDir, "package.json"), JSON.stringify({ name: "peer-gateway-bench", private: true }));
  console.error(`installing ${PEER.gateway} and ${PEER.routerRuntime} into ${peerDir} (bench only)…`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", peerDir, PEER.gateway, PEER.routerRuntime], { stdio: "inherit" });
  return bin;
}

async function main() {
  const hive = ensurePeerInstalled();
  const shape = await startDistributed();
  try {
    const { subgraphs } = shape;
    const supergraphFile = shape.supergraphFile();
    const oursUnshared = await shape.startGateway("ours, in-flight sharing off", supergraphFile, { SUBGRAPH_SHARE_INFLIGHT: "off" });
    const ours = await shape.startGateway("ours (@apollo/gateway)", supergraphFile);
    const jsPort = await freePort();
    const hiveJs = await startProc(
      "Hive Gateway 2.15, JS planner",
      hive,
      ["supergraph", supergraphFile, "--host", "127.0.0.1", "--port", String(jsPort), "--disable-websockets"],
      {},
      `http://127.0.0.1:${jsPort}/graphql`,
    );
    shape.procs.push(hiveJs);
    const rustPort = await freePort();
    const hiveRust = await startProc(
      "Hive Gateway 2.15, Rust planner",
      hive,
      ["supergraph", supergraphFile, "--host", "127.0.0.1", "--port", String(rustPort), "--disable-websockets", "--hive-router-runtime"],
      {},
      `http://127.0.0.1:${rustPort}/graphql`,
    );
    shape.procs.push(hiveRust);
    const gateways: Proc[] = [ours, oursUnshared, hiveJs, hiveRust];

    const q = gatewayScenarios();
    const scenarios = [
      { ...q.orderView, targets: gateways },
      { ...q.page, targets: gateways },
      { ...q.simple, targets: [...gateways, { name: "orders subgraph direct", child: subgraphs.orders.child, url: subgraphs.orders.url }] },
    ];
    const chainPids = (target: Proc) => [target.child.pid!, ...subgraphNames.map((n) => subgraphs[n].child.pid!), ...shape.postgresPids()];
    // Answers must agree before speed means anything: the same data through every gateway.
    for (const sc of scenarios) {
      const answers = await Promise.all(
        sc.targets.slice(0, gateways.length).map(
          async (t) =>
            (await (await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sc.body(0)) })).json()) as {
              data?: unknown;
              errors?: unknown[];
            },
        ),
      );
      for (const [i, a] of answers.entries())
        if (a.errors?.length || !a.data) throw new Error(`${sc.targets[i].name} answered ${sc.name} with errors: ${JSON.stringify(a.errors)?.slice(0, 500)}`);
      const same = answers.every((a) => JSON.stringify(a.data) === JSON.stringify(answers[0].data));
      console.error(`${sc.name}: answers ${same ? "identical" : "DIFFER"} across gateways`);
      if (!same) throw new Error(`${sc.name}: the gateways' answers differ`);
    }
    for (const sc of scenarios) for (const t of sc.targets) await runLoad("warmup", t.url, sc.body, { connections, durationSeconds: 2 });

    const totals = new RoundTotals();
    for (let round = 0; round < rounds; round++) {
      for (const sc of scenarios) {
        const order = round % 2 ? [...sc.targets].reverse() : sc.targets;
        for (const t of order) {
          const pids = chainPids(t);
          const before = cpuReading(pids);
          const r = await runLoad(`${sc.name}: ${t.name}`, t.url, sc.body, { connections, durationSeconds });
          totals.add(sc.name, t.name, r, durationSeconds, (cpuSpent(before, cpuReading(pids)) ?? NaN) * 1000);
          console.error(`round ${round + 1} ${sc.name} ${t.name}: ${r.requestsPerSecond.toFixed(1)} req/s`);
        }
      }
    }
    const { rate, cpuPerRequest: cpuPer } = totals;
    const lines = [
      `### Our gateway vs Hive Gateway (JS and Rust planners) on the same subgraphs — ${today()}`,
      "",
      `${machineLine()} Five subgraph processes on one PostgreSQL server with the demo data set (npm run db:seed), each gateway in its own process; ${rounds} rounds of ${durationSeconds} s per scenario and target, alternating, autocannon with ${connections} connections. Authentication and rate limits off. CPU: the whole chain's user + system time (gateway, subgraphs, PostgreSQL) per request. Load average at the end: ${os.loadavg()[0].toFixed(1)} (2 cores).`,
      "",
      "| scenario | target | req/s | p99 ms (worst round) | chain CPU ms/request | errors |",
      "|---|---|---:|---:|---:|---:|",
      ...scenarios.flatMap((sc) => sc.targets.map((t) => `| ${sc.name} | ${t.name} | ${totals.row(sc.name, t.name)} |`)),
      "",
      `Ratios, throughput (ours / Hive JS, ours / Hive Rust; target ≥ 1.0 against Rust): ${scenarios
        .map(
          (sc) =>
            `${sc.name} ${(rate(sc.name, ours.name) / rate(sc.name, hiveJs.name)).toFixed(2)}, ${(rate(sc.name, ours.name) / rate(sc.name, hiveRust.name)).toFixed(2)}`,
        )
        .join("; ")}. ` +
        `Chain CPU per request, ours / Hive Rust: ${scenarios.map((sc) => `${sc.name} ${(cpuPer(sc.name, ours.name) / cpuPer(sc.name, hiveRust.name)).toFixed(2)}`).join("; ")}. ` +
        `Simple query through our gateway / direct to the orders subgraph (target ≥ 0.5): ${(rate("order(id) simple", ours.name) / rate("order(id) simple", "orders subgraph direct")).toFixed(2)}. ` +
        `In-flight sharing on / off (ours): ${scenarios.map((sc) => `${sc.name} ${(rate(sc.name, ours.name) / rate(sc.name, oursUnshared.name)).toFixed(2)}`).join("; ")}.`,
      "",
    ];
    recordResults(lines);
    const vsRust = (sc: string) => rate(sc, ours.name) / rate(sc, hiveRust.name);
    const direct = rate(q.simple.name, ours.name) / rate(q.simple.name, "orders subgraph direct");
    appendTargets([
      ...[q.orderView.name, q.page.name].map((sc) => ({
        item: "1",
        target: `${sc}: our gateway / Hive Gateway (Rust planner), throughput`,
        required: "≥ 1.00",
        measured: `${vsRust(sc).toFixed(2)} (chain CPU/request ${cpuPer(sc, ours.name).toFixed(1)} / ${cpuPer(sc, hiveRust.name).toFixed(1)} ms)`,
        met: vsRust(sc) >= 1,
      })),
      {
        item: "1",
        target: `${q.simple.name}: through our gateway / direct to the orders subgraph, throughput`,
        required: "≥ 0.50",
        measured: direct.toFixed(2),
        met: direct >= 0.5,
      },
    ]);
  } finally {
    await shape.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
