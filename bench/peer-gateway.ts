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
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { findPostgresBin, startPostgres } from "../test/helpers/postgres-server.js";
import { subgraphNames, type SubgraphName } from "../subgraphs/catalog.js";
import { projectPath } from "../platform/project-root.js";
import { composeOwnSupergraph } from "../app/supergraph.js";
import { generateDemoData } from "../demo/generate.js";
import { runLoad } from "./load.js";
import { RoundTotals } from "./round-totals.js";
import { cpuReading, cpuSpent, postgresPids } from "./proc-cpu.js";
import { machineLine, recordResults, today } from "./report.js";

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PEER = { gateway: "@graphql-hive/gateway@2.15.1", routerRuntime: "@graphql-hive/router-runtime@1.4.23" };
const peerDir = projectPath("node_modules", ".cache", "peer-gateway");
const example = (f: string) => fs.readFileSync(projectPath("examples", f), "utf8");
const SIMPLE = `query($id: ID!) { order(id: $id) { id status lines { lineNumber quantityOrdered } } }`;
// Processes started with authentication and the rate limit out of the way: the pipeline is measured.
const OPEN = { AUTH_DISABLED: "true", RATE_LIMIT_PER_MINUTE: "1000000000", RATE_LIMIT_BURST: "1000000", LOG_LEVEL: "warn" };

function ensurePeerInstalled(): string {
  const bin = path.join(peerDir, "node_modules", ".bin", "hive-gateway");
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(peerDir, { recursive: true });
  fs.writeFileSync(path.join(peerDir, "package.json"), JSON.stringify({ name: "peer-gateway-bench", private: true }));
  console.error(`installing ${PEER.gateway} and ${PEER.routerRuntime} into ${peerDir} (bench only)…`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", peerDir, PEER.gateway, PEER.routerRuntime], { stdio: "inherit" });
  return bin;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
}

/** Spawns a process and resolves with the URL it prints (matched by `pattern`) once it answers a query. */
async function startProc(name: string, command: string, args: string[], env: Record<string, string>, pattern: RegExp | string): Promise<Proc> {
  const child = spawn(command, args, { cwd: projectPath(), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${out}`);
    const url = typeof pattern === "string" ? pattern : pattern.exec(out)?.[1];
    if (url) {
      const ok = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { name, child, url };
    }
    if (Date.now() - started > 120_000) throw new Error(`${name} not answering in 120 s: ${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const hive = ensurePeerInstalled();
  execFileSync(process.execPath, [projectPath("scripts", "build.mjs"), "--if-stale"], { stdio: "inherit" });
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql, or PG_BIN)");
  const pg = await startPostgres(bin);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-peer-"));
  const procs: Proc[] = [];
  try {
    const databaseUrl = pg.url("postgres");
    execFileSync(process.execPath, [projectPath("dist", "scripts", "seed-demo.js")], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
    const subgraphs = {} as Record<SubgraphName, Proc>;
    for (const name of subgraphNames) {
      subgraphs[name] = await startProc(
        `subgraph ${name}`,
        process.execPath,
        [projectPath("dist", "app", "start-subgraph.js"), name],
        { ...OPEN, DATABASE_URL: databaseUrl, MIGRATE: "off", PORT: "0" },
        /: (http:\/\/\S+\/graphql)/,
      );
      procs.push(subgraphs[name]);
    }
    const urls = Object.fromEntries(subgraphNames.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string>;
    const supergraphFile = path.join(work, "supergraph.graphql");
    fs.writeFileSync(supergraphFile, composeOwnSupergraph(urls));
    const oursUnshared = await startProc(
      "ours, in-flight sharing off",
      process.execPath,
      [projectPath("dist", "app", "start-gateway.js")],
      { ...OPEN, SUPERGRAPH_FILE: supergraphFile, PORT: "0", DATABASE_URL: "", SUBGRAPH_SHARE_INFLIGHT: "off" },
      /GraphQL gateway[^:]*: (http:\/\/\S+\/graphql)/,
    );
    const ours = await startProc(
      "ours (@apollo/gateway)",
      process.execPath,
      [projectPath("dist", "app", "start-gateway.js")],
      { ...OPEN, SUPERGRAPH_FILE: supergraphFile, PORT: "0", DATABASE_URL: "" },
      /GraphQL gateway[^:]*: (http:\/\/\S+\/graphql)/,
    );
    const jsPort = await freePort();
    const hiveJs = await startProc(
      "Hive Gateway 2.15, JS planner",
      hive,
      ["supergraph", supergraphFile, "--host", "127.0.0.1", "--port", String(jsPort), "--disable-websockets"],
      {},
      `http://127.0.0.1:${jsPort}/graphql`,
    );
    const rustPort = await freePort();
    const hiveRust = await startProc(
      "Hive Gateway 2.15, Rust planner",
      hive,
      ["supergraph", supergraphFile, "--host", "127.0.0.1", "--port", String(rustPort), "--disable-websockets", "--hive-router-runtime"],
      {},
      `http://127.0.0.1:${rustPort}/graphql`,
    );
    procs.push(ours, oursUnshared, hiveJs, hiveRust);
    const gateways = [ours, oursUnshared, hiveJs, hiveRust];

    const demo = generateDemoData();
    const orderIds = demo.orders.filter((o) => o.status === "INVOICED" || o.status === "SHIPPED").map((o) => o.id);
    const byId = (query: string) => (i: number) => ({ query, variables: { id: orderIds[i % orderIds.length] } });
    const scenarios = [
      { name: "unified order view", body: byId(example("unified-order-view.graphql")), targets: gateways },
      { name: "orders(first: 50) nested", body: () => ({ query: example("orders-page.graphql"), variables: { first: 50 } }), targets: gateways },
      {
        name: "order(id) simple",
        body: byId(SIMPLE),
        targets: [...gateways, { name: "orders subgraph direct", child: subgraphs.orders.child, url: subgraphs.orders.url }],
      },
    ];
    const chainPids = (target: Proc) => [
      target.child.pid!,
      ...subgraphNames.map((n) => subgraphs[n].child.pid!),
      ...postgresPids(Number(new URL(databaseUrl).port)),
    ];
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
    console.log(lines.join("\n"));
  } finally {
    for (const p of procs.reverse()) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => (p.child.exitCode !== null ? null : new Promise((r) => p.child.once("exit", r)))));
    await pg.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
