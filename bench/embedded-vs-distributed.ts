// `npm run bench:embedded` (issue 12 item 3): the embedded mode (`npm start`: gateway and subgraphs
// in one process on PGlite) against the distributed mode (five subgraph processes and the
// standalone gateway on one PostgreSQL server), on the same demo data set, in one run, with the
// three gateway queries at 16 connections. Both from the compiled output, as deployed. Per row:
// throughput, worst p99, the whole chain's CPU per request (the embedded process; or the gateway,
// the subgraph processes and PostgreSQL), errors, and the requests that timed out (autocannon gave
// up after 10 s, or the server answered OPERATION_TIMEOUT); the subgraph fetches the gateway shared
// with an identical one in flight (SUBGRAPH_SHARE_INFLIGHT, on in both modes). Rounds alternate the
// order of the modes so a busy machine weighs on both alike.
//   BENCH_DURATION (s per row, default 10), BENCH_CONNECTIONS (default 16), BENCH_ROUNDS (default 1)
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { projectPath } from "../platform/project-root.js";
import { GATEWAY_URL, OPEN, startDistributed, startProc, stopProc, type Proc } from "./distributed.js";
import { gatewayScenarios } from "./gateway-queries.js";
import { runLoad } from "./load.js";
import { RoundTotals } from "./round-totals.js";
import { cpuReading, cpuSpent } from "./proc-cpu.js";
import { appendTargets, machineLine, recordResults, today, type TargetRow } from "./report.js";

const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);

/** `npm start` on a PGlite folder seeded with the demo data set as `npm run db:seed` seeds PostgreSQL. */
async function startEmbeddedApp(work: string): Promise<Proc> {
  const dataDir = path.join(work, "pglite");
  const env = { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir };
  execFileSync(process.execPath, [projectPath("dist", "scripts", "seed-demo.js")], { env, stdio: "ignore" });
  return startProc(
    "embedded (npm start, PGlite)",
    process.execPath,
    [projectPath("dist", "app", "start-embedded.js")],
    { ...OPEN, DATABASE_URL: "", DATA_DIR: dataDir, PORT: "0", DEMO_DATA: "off" },
    GATEWAY_URL,
  );
}

/** A counter's total over its labels, from a process's /metrics. */
async function counterTotal(graphqlUrl: string, name: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, "/metrics"))).text();
  let total = 0;
  for (const line of text.split("\n")) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  return total;
}
const SHARED = "gateway_subgraph_fetches_shared_total";
const FETCHES = "gateway_subgraph_fetch_duration_seconds_count";

async function main() {
  const distributed = await startDistributed();
  const procs: Proc[] = [];
  try {
    const gateway = await distributed.startGateway("distributed (gateway + 5 subgraph processes, PostgreSQL)", distributed.supergraphFile());
    const embedded = await startEmbeddedApp(distributed.work);
    procs.push(embedded);
    const targets = [embedded, gateway];
    const chainPids = (t: Proc) =>
      t === embedded
        ? [embedded.child.pid!]
        : [gateway.child.pid!, ...Object.values(distributed.subgraphs).map((s) => s.child.pid!), ...distributed.postgresPids()];
    const { orderView, page, simple } = gatewayScenarios();
    const scenarios = [orderView, page, simple];

    // Answers must agree before speed means anything: the same data through both modes.
    for (const sc of scenarios) {
      const answers = await Promise.all(
        targets.map(
          async (t) =>
            (await (await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sc.body(0)) })).json()) as {
              data?: unknown;
              errors?: unknown[];
            },
        ),
      );
      for (const [i, a] of answers.entries())
        if (a.errors?.length || !a.data) throw new Error(`${targets[i].name} answered ${sc.name} with errors: ${JSON.stringify(a.errors)?.slice(0, 500)}`);
      if (JSON.stringify(answers[0].data) !== JSON.stringify(answers[1].data)) throw new Error(`${sc.name}: the two modes' answers differ`);
      console.error(`${sc.name}: answers identical in both modes`);
    }
    for (const sc of scenarios) for (const t of targets) await runLoad("warmup", t.url, sc.body, { connections, durationSeconds: 2 });

    const totals = new RoundTotals();
    const extra = new Map<string, { timedOut: number; graphqlErrors: number; shared: number; fetches: number }>();
    for (let round = 0; round < rounds; round++) {
      for (const sc of scenarios) {
        for (const t of round % 2 ? [...targets].reverse() : targets) {
          const pids = chainPids(t);
          const before = cpuReading(pids);
          const [shared0, fetches0] = [await counterTotal(t.url, SHARED), await counterTotal(t.url, FETCHES)];
          const r = await runLoad(`${sc.name}: ${t.name}`, t.url, sc.body, { connections, durationSeconds });
          totals.add(sc.name, t.name, r, durationSeconds, (cpuSpent(before, cpuReading(pids)) ?? NaN) * 1000);
          const [shared1, fetches1] = [await counterTotal(t.url, SHARED), await counterTotal(t.url, FETCHES)];
          const key = `${sc.name}|${t.name}`;
          const e = extra.get(key) ?? { timedOut: 0, graphqlErrors: 0, shared: 0, fetches: 0 };
          e.timedOut += r.timeouts + r.operationTimeouts;
          e.graphqlErrors += r.graphqlErrors;
          e.shared += shared1 - shared0;
          e.fetches += fetches1 - fetches0;
          extra.set(key, e);
          console.error(`round ${round + 1} ${sc.name} ${t.name}: ${r.requestsPerSecond.toFixed(1)} req/s, ${r.timeouts + r.operationTimeouts} timed out`);
        }
      }
    }

    const ratio = (sc: string) => totals.rate(sc, embedded.name) / totals.rate(sc, gateway.name);
    const timedOut = (sc: string, t: Proc) => extra.get(`${sc}|${t.name}`)!.timedOut;
    const embeddedTimeouts = scenarios.map((sc) => timedOut(sc.name, embedded));
    const targetRows: TargetRow[] = [
      {
        item: "3",
        target: "embedded page of 50 / distributed",
        required: ">= 1.0",
        measured: ratio(page.name).toFixed(2),
        met: ratio(page.name) >= 1.0,
      },
      {
        item: "3",
        target: `embedded: requests timed out under ${connections} connections (order view, page of 50, simple)`,
        required: "0",
        measured: `${embeddedTimeouts.reduce((a, b) => a + b, 0)} (${embeddedTimeouts.join(", ")})`,
        met: embeddedTimeouts.every((n) => n === 0),
      },
      ...[orderView, simple].map((sc) => ({
        item: "3",
        target: `embedded ${sc.name} / distributed`,
        required: "(informational)",
        measured: ratio(sc.name).toFixed(2),
        met: null,
      })),
    ];
    const lines = [
      `### Embedded vs distributed mode on the same data — ${today()}`,
      "",
      `${machineLine()} \`npm run bench:embedded\`: embedded = \`npm start\` (one process, PGlite in a folder seeded with the demo data set); distributed = five subgraph processes and the standalone gateway on one PostgreSQL server (npm run db:seed); both compiled, in-flight sharing on (the default). ${rounds} round(s) of ${durationSeconds} s per query and mode, alternating, after 2 s of warm-up each; autocannon with ${connections} connections (10 s request timeout). Authentication and rate limits off. CPU: the whole chain's user + system time per request (the embedded process; or the gateway, the subgraph processes and PostgreSQL). Timed out: autocannon gave up (10 s) or the answer was OPERATION_TIMEOUT. Shared: subgraph fetches answered by an identical one in flight, of all the gateway's subgraph fetches. Load average at the end: ${os.loadavg()[0].toFixed(1)} (2 cores).`,
      "",
      "| query | mode | req/s | p99 ms (worst round) | chain CPU ms/request | errors (HTTP) | GraphQL errors | timed out | fetches shared |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|",
      ...scenarios.flatMap((sc) =>
        targets.map((t) => {
          const e = extra.get(`${sc.name}|${t.name}`)!;
          return `| ${sc.name} | ${t.name} | ${totals.row(sc.name, t.name)} | ${e.graphqlErrors} | ${e.timedOut} | ${e.shared} of ${e.fetches} |`;
        }),
      ),
      "",
      `Throughput, embedded / distributed: ${scenarios.map((sc) => `${sc.name} ${ratio(sc.name).toFixed(2)}`).join("; ")}. ` +
        `Chain CPU per request, embedded / distributed: ${scenarios.map((sc) => `${sc.name} ${(totals.cpuPerRequest(sc.name, embedded.name) / totals.cpuPerRequest(sc.name, gateway.name)).toFixed(2)}`).join("; ")}.`,
      "",
      "| target (issue 12 item 3) | required | measured | met |",
      "|---|---|---|---|",
      ...targetRows.filter((r) => r.met !== null).map((r) => `| ${r.target} | ${r.required} | ${r.measured} | ${r.met ? "yes" : "no"} |`),
      "",
    ];
    recordResults(lines);
    appendTargets(targetRows);
  } finally {
    await Promise.all(procs.map(stopProc));
    await distributed.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
