// `npm run bench:memory` (issue 12, item 6): each process's resident memory (RSS) idle after a warm
// start and again after load, in both deployment shapes on one PostgreSQL server with the demo data
// set: the distributed one (five subgraph processes and the standalone gateway, bench/distributed.ts)
// and then the embedded app (`npm start`'s process, dist/app/start-embedded.js). Target: RSS after
// the benchmarks within 1.5× of idle, per process.
//
// Per shape: warm start (BENCH_MEMORY_WARMUP requests of each gateway query, 4 at a time, so code is
// compiled and pools are open), BENCH_MEMORY_SETTLE_SECONDS of quiet, then idle RSS; the three
// gateway queries (bench/gateway-queries.ts) each for BENCH_MEMORY_LOAD_SECONDS at
// BENCH_CONNECTIONS connections; the same quiet period, then RSS after. RSS and its peak (VmHWM)
// come from /proc/<pid>/status: no garbage collection is forced, the product runs as deployed.
//   BENCH_MEMORY_LOAD_SECONDS (per query, default 20), BENCH_MEMORY_SETTLE_SECONDS (default 10),
//   BENCH_MEMORY_WARMUP (requests per query, default 20), BENCH_CONNECTIONS (default 16)
import fs from "node:fs";
import os from "node:os";
import { projectPath } from "../platform/project-root.js";
import { runLoad, type LoadResult } from "./load.js";
import { GATEWAY_URL, OPEN, startDistributed, startProc, stopProc, type Proc } from "./distributed.js";
import { gatewayScenarios, type GatewayScenario } from "./gateway-queries.js";
import { appendTargets, machineLine, recordResults, today, type TargetRow } from "./report.js";

const loadSeconds = Number(process.env.BENCH_MEMORY_LOAD_SECONDS ?? 20);
const settleSeconds = Number(process.env.BENCH_MEMORY_SETTLE_SECONDS ?? 10);
const warmupRequests = Number(process.env.BENCH_MEMORY_WARMUP ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const LIMIT = 1.5;

/** Resident and peak resident memory in MiB, from /proc (Linux). */
function memory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

interface Measured {
  shape: string;
  process: string;
  started: number;
  idle: number;
  after: number;
  peak: number;
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

async function warm(url: string, scenarios: GatewayScenario[]) {
  for (const sc of scenarios)
    for (let i = 0; i < warmupRequests; i += 4)
      await Promise.all(
        [0, 1, 2, 3].map((k) =>
          fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sc.body(i + k)) }).then((r) => r.arrayBuffer()),
        ),
      );
}

/** Warm start, idle RSS, load, settle, RSS after: one shape's processes, the load through `url`. */
async function measureShape(shape: string, url: string, procs: Proc[], scenarios: GatewayScenario[], loads: LoadResult[]): Promise<Measured[]> {
  const started = new Map(procs.map((p) => [p, memory(p.child.pid!)]));
  console.error(`${shape}: warming up…`);
  await warm(url, scenarios);
  await sleep(settleSeconds);
  const idle = new Map(procs.map((p) => [p, memory(p.child.pid!)]));
  for (const sc of scenarios) {
    const r = await runLoad(`${shape}: ${sc.name}`, url, sc.body, { connections, durationSeconds: loadSeconds });
    loads.push(r);
    console.error(`${shape} ${sc.name}: ${r.requestsPerSecond.toFixed(1)} req/s, ${r.errors + r.non2xx} errors`);
  }
  await sleep(settleSeconds);
  return procs.map((p) => {
    const after = memory(p.child.pid!);
    return { shape, process: p.name, started: started.get(p)!.rss, idle: idle.get(p)!.rss, after: after.rss, peak: after.peak };
  });
}

async function main() {
  const q = gatewayScenarios();
  const scenarios = [q.orderView, q.page, q.simple];
  const measured: Measured[] = [];
  const loads: LoadResult[] = [];
  const shape = await startDistributed();
  try {
    // The gateway as deployed: with the database, for subscriptions and KPI alerts.
    const gateway = await shape.startGateway("gateway", shape.supergraphFile(), { DATABASE_URL: shape.databaseUrl });
    measured.push(...(await measureShape("distributed", gateway.url, [gateway, ...Object.values(shape.subgraphs)], scenarios, loads)));
    await Promise.all([...shape.procs].reverse().map(stopProc));
    shape.procs.length = 0;
    const embedded = await startProc(
      "embedded app",
      process.execPath,
      [projectPath("dist", "app", "start-embedded.js")],
      { ...OPEN, DATABASE_URL: shape.databaseUrl, MIGRATE: "off", PORT: "0", DEMO_DATA: "off" },
      GATEWAY_URL,
    );
    shape.procs.push(embedded);
    measured.push(...(await measureShape("embedded", embedded.url, [embedded], scenarios, loads)));
  } finally {
    await shape.stop();
  }
  const ratio = (m: Measured) => m.after / m.idle;
  const mib = (v: number) => v.toFixed(0);
  recordResults([
    `### Memory: RSS idle and after load, per process — ${today()}`,
    "",
    `${machineLine()} Load average at the end ${os.loadavg()[0].toFixed(1)}. One PostgreSQL server with the demo data set; the distributed shape (five subgraph processes, the standalone gateway with DATABASE_URL), then the embedded app alone, all compiled (dist/). ` +
      `Idle: after ${warmupRequests} requests of each gateway query and ${settleSeconds} s quiet. After: the unified order view, the page of 50 and the simple order query, ${loadSeconds} s each at ${connections} connections, then ${settleSeconds} s quiet. No forced garbage collection. At start: once the process answers, before any request. Peak = VmHWM.`,
    "",
    "| shape | process | RSS at start MiB | idle RSS MiB | after RSS MiB | after / idle | peak RSS MiB |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...measured.map((m) => `| ${m.shape} | ${m.process} | ${mib(m.started)} | ${mib(m.idle)} | ${mib(m.after)} | ${ratio(m).toFixed(2)} | ${mib(m.peak)} |`),
    "",
    `Load: ${loads.map((l) => `${l.name} ${l.requestsPerSecond.toFixed(1)} req/s (${l.errors + l.non2xx} errors)`).join("; ")}.`,
    "",
  ]);
  appendTargets(
    measured.map((m): TargetRow => ({
      item: "6",
      target: `RSS after the benchmarks / idle: ${m.shape}, ${m.process}`,
      required: `≤ ${LIMIT}`,
      measured: `${ratio(m).toFixed(2)} (${mib(m.idle)} → ${mib(m.after)} MiB, peak ${mib(m.peak)})`,
      met: ratio(m) <= LIMIT,
    })),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
