// `npm run bench:scaling` (issue 12, item 8): how the unified order view scales with replicas, on
// one PostgreSQL server with the demo data set, in one run:
//   - 1, 2 and 4 standalone gateway processes over one set of the five subgraph processes, the load
//     generator spreading its connections evenly over the replicas' URLs (a round-robin balancer
//     without a balancer's own cost);
//   - one gateway over the subgraphs with 1 and with 2 processes of each subgraph, each subgraph
//     behind HAProxy (round robin; HAProxy in both variants, so the comparison carries its cost
//     alike), when haproxy is installed.
// Throughput, and CPU per request summed over every process of the chain (gateways, subgraphs,
// HAProxy, PostgreSQL; /proc): on a machine with fewer cores than processes throughput cannot
// grow with replicas, and CPU per request is the figure that says what a replica costs. Rounds
// alternate the variants. Ingestion with 2 operations replicas is measured by bench:ingest.
//   BENCH_ROUNDS (default 2), BENCH_DURATION (s per round and variant, default 10), BENCH_CONNECTIONS (default 16)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { subgraphNames, type SubgraphName } from "../subgraphs/catalog.js";
import { runLoad, type LoadResult } from "./load.js";
import { RoundTotals } from "./round-totals.js";
import { cpuReading, cpuSpent } from "./proc-cpu.js";
import { freePort, startDistributed, startProc, type Distributed, type Proc } from "./distributed.js";
import { gatewayScenarios } from "./gateway-queries.js";
import { appendTargets, machineLine, recordResults, today, type TargetRow } from "./report.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const GATEWAY_REPLICAS = [1, 2, 4];

interface Variant {
  name: string;
  /** The URLs the load is spread over. */
  urls: string[];
  /** Every process whose CPU is the chain's. */
  pids: () => number[];
}

/** Sum of one load split evenly over several URLs at once (the same total connections). */
async function spreadLoad(name: string, urls: string[], body: (i: number) => object): Promise<LoadResult> {
  const per = Math.max(1, Math.floor(connections / urls.length));
  const results = await Promise.all(urls.map((u, k) => runLoad(`${name} #${k}`, u, (i) => body(i * urls.length + k), { connections: per, durationSeconds })));
  return {
    name,
    requestsPerSecond: results.reduce((s, r) => s + r.requestsPerSecond, 0),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    errors: results.reduce((s, r) => s + r.errors, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
    timeouts: results.reduce((s, r) => s + r.timeouts, 0),
    graphqlErrors: results.reduce((s, r) => s + r.graphqlErrors, 0),
    operationTimeouts: results.reduce((s, r) => s + r.operationTimeouts, 0),
  };
}

const haproxyBin = () => {
  try {
    return execFileSync("sh", ["-c", "command -v haproxy"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
};

/**
 * HAProxy with one frontend per subgraph and variant: `one` over the first process of each
 * subgraph, `two` over both. Returns the process and each variant's subgraph URLs.
 */
async function startHaproxy(bin: string, shape: Distributed, second: Record<SubgraphName, Proc>) {
  const hostPort = (url: string) => new URL(url).host;
  const urls = { one: {} as Record<SubgraphName, string>, two: {} as Record<SubgraphName, string> };
  const sections: string[] = [];
  for (const name of subgraphNames) {
    for (const variant of ["one", "two"] as const) {
      const port = await freePort();
      urls[variant][name] = `http://127.0.0.1:${port}/graphql`;
      const servers = variant === "one" ? [shape.subgraphs[name]] : [shape.subgraphs[name], second[name]];
      sections.push(
        `frontend ${name}_${variant}`,
        `    bind 127.0.0.1:${port}`,
        `    default_backend ${name}_${variant}`,
        `backend ${name}_${variant}`,
        "    balance roundrobin",
        ...servers.map((p, k) => `    server s${k} ${hostPort(p.url)}`),
      );
    }
  }
  const cfg = path.join(shape.work, "haproxy.cfg");
  fs.writeFileSync(
    cfg,
    [
      "global",
      "    maxconn 4096",
      "defaults",
      "    mode http",
      "    timeout connect 2s",
      "    timeout client 60s",
      "    timeout server 60s",
      "    timeout http-keep-alive 10s",
      ...sections,
      "",
    ].join("\n"),
  );
  const proc = await startProc("haproxy", bin, ["-f", cfg, "-db"], {}, urls.two[subgraphNames[0]]);
  shape.procs.push(proc);
  return { proc, urls };
}

async function main() {
  const q = gatewayScenarios();
  const scenario = q.orderView;
  const shape = await startDistributed();
  const variants: Variant[] = [];
  const notes: string[] = [];
  try {
    const subgraphPids = () => subgraphNames.map((n) => shape.subgraphs[n].child.pid!);
    const file = shape.supergraphFile();
    const gateways: Proc[] = [];
    for (let k = 0; k < Math.max(...GATEWAY_REPLICAS); k++) gateways.push(await shape.startGateway(`gateway ${k + 1}`, file));
    for (const n of GATEWAY_REPLICAS)
      variants.push({
        name: `${n} gateway replica${n > 1 ? "s" : ""}, subgraphs ×1`,
        urls: gateways.slice(0, n).map((g) => g.url),
        // Every gateway started counts (idle ones spend little), so the variants compare alike.
        pids: () => [...gateways.map((g) => g.child.pid!), ...subgraphPids(), ...shape.postgresPids()],
      });
    const bin = haproxyBin();
    if (!bin) notes.push("Subgraph replicas: not measured, haproxy is not installed (apt-get install haproxy).");
    else {
      const second = {} as Record<SubgraphName, Proc>;
      for (const name of subgraphNames) second[name] = await shape.startSubgraph(name, `subgraph ${name} (2nd)`);
      const lb = await startHaproxy(bin, shape, second);
      for (const [variant, label] of [
        ["one", "×1"],
        ["two", "×2"],
      ] as const) {
        const gw = await shape.startGateway(`gateway over HAProxy, subgraphs ${label}`, shape.supergraphFile(lb.urls[variant]));
        variants.push({
          name: `1 gateway, subgraphs ${label} behind HAProxy`,
          urls: [gw.url],
          pids: () => [gw.child.pid!, lb.proc.child.pid!, ...subgraphPids(), ...subgraphNames.map((n) => second[n].child.pid!), ...shape.postgresPids()],
        });
      }
    }
    for (const v of variants) await spreadLoad("warmup", v.urls, scenario.body).then(() => undefined);
    const totals = new RoundTotals();
    for (let round = 0; round < rounds; round++) {
      for (const v of round % 2 ? [...variants].reverse() : variants) {
        const pids = v.pids();
        const before = cpuReading(pids);
        const r = await spreadLoad(v.name, v.urls, scenario.body);
        totals.add(scenario.name, v.name, r, durationSeconds, (cpuSpent(before, cpuReading(pids)) ?? NaN) * 1000);
        console.error(`round ${round + 1} ${v.name}: ${r.requestsPerSecond.toFixed(1)} req/s`);
      }
    }
    const base = variants[0].name;
    const rel = (v: Variant) => totals.rate(scenario.name, v.name) / totals.rate(scenario.name, base);
    const cpuRel = (v: Variant) => totals.cpuPerRequest(scenario.name, v.name) / totals.cpuPerRequest(scenario.name, base);
    recordResults([
      `### Scaling: gateway and subgraph replicas on one machine — ${today()}`,
      "",
      `${machineLine()} Load average at the end ${os.loadavg()[0].toFixed(1)}. The unified order view; one PostgreSQL server with the demo data set, every process compiled (dist/). ` +
        `${rounds} rounds of ${durationSeconds} s per variant, alternating; autocannon with ${connections} connections in all, split evenly over the gateway replicas' URLs. ` +
        `CPU: user + system time of every process in the chain (all gateways started, the subgraph processes, HAProxy where used, PostgreSQL) per request.`,
      "",
      "| variant | req/s | p99 ms (worst round) | chain CPU ms/request | errors | throughput × first row | CPU/request × first row |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...variants.map((v) => `| ${v.name} | ${totals.row(scenario.name, v.name)} | ${rel(v).toFixed(2)} | ${cpuRel(v).toFixed(2)} |`),
      "",
      ...notes.map((n) => `- ${n}`),
      `- Ingestion with 1 and 2 operations replicas on one PostgreSQL: \`npm run bench:ingest\`'s "Two operations-subgraph processes" table (it also checks that no event is applied twice).`,
      `- This machine has ${os.cpus().length} cores for ${shape.procs.length} server processes, PostgreSQL and the load generator: every replica competes for the same cores, so throughput stays flat (or drops with the extra context switching) and the CPU a request costs across the chain is what to compare. ` +
        `On a machine with a core per process, throughput would grow with gateway replicas until the subgraphs or PostgreSQL are the bottleneck (the gateway is about a third to a half of the chain's CPU on the order view, bench:peer-gateway), and subgraph replicas would lift that next limit until PostgreSQL's. ` +
        `CPU per request near 1.0× the first row means a replica adds capacity at no extra cost per request; above it is the price of more processes (cold caches, more connections, HAProxy's hop).`,
      "",
    ]);
    appendTargets(
      variants.map((v): TargetRow => ({
        item: "8",
        target: `order view, ${v.name}`,
        required: "measured",
        measured: `${totals.rate(scenario.name, v.name).toFixed(1)} req/s (${rel(v).toFixed(2)}×), chain CPU ${totals.cpuPerRequest(scenario.name, v.name).toFixed(1)} ms/request (${cpuRel(v).toFixed(2)}×)`,
        met: Number.isFinite(totals.rate(scenario.name, v.name)),
      })),
    );
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
