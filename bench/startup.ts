// `npm run bench:startup`: how long each process takes from spawn to its first 200 on /health,
// run from the TypeScript sources through tsx (how the start commands ran before `npm run build`)
// and from the compiled output with plain node (how they run now). Runs alternate between the two
// so a change in the machine's load hits both alike; the median of BENCH_STARTUP_RUNS (default 3)
// is reported, with the ratio tsx/node. The embedded app starts on a PGlite folder that already
// holds the migrated demo data set (a restart, not a first start); the subgraphs and the gateway
// on a PostgreSQL server started for the run (from the machine's binaries, like the tests).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findPostgresBin, startPostgres } from "../test/helpers/postgres-server.js";
import { subgraphNames } from "../subgraphs/catalog.js";
import { projectPath } from "../platform/project-root.js";
import { machineLine, recordResults, today } from "./report.js";

const runs = Number(process.env.BENCH_STARTUP_RUNS || 3);
type Runner = "tsx" | "node";

function command(runner: Runner, entry: string): string[] {
  return runner === "tsx" ? ["--import", "tsx", projectPath(`${entry}.ts`)] : [projectPath("dist", `${entry}.js`)];
}

/** Milliseconds from spawn to the first 200 on /health. */
async function timeStart(runner: Runner, entry: string, args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...command(runner, entry), ...args], {
    cwd: projectPath(),
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${entry} exited: ${out}`);
      const base = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      if (base) {
        const ok = await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return performance.now() - started;
      }
      if (performance.now() - started > 120_000) throw new Error(`${entry} not ready in 120 s: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  execFileSync(process.execPath, [projectPath("scripts", "build.mjs"), "--if-stale"], { stdio: "inherit" });
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql, or PG_BIN)");
  const pg = await startPostgres(bin);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-startup-"));
  try {
    const url = pg.url("postgres");
    const seed = (env: Record<string, string>) =>
      execFileSync(process.execPath, [projectPath("dist", "scripts", "seed-demo.js")], { env: { ...process.env, ...env }, stdio: "ignore" });
    seed({ DATABASE_URL: url });
    seed({ DATABASE_URL: "", DATA_DIR: dataDir });

    const processes: { name: string; entry: string; args: string[]; env: Record<string, string> }[] = [
      { name: "npm start (embedded, PGlite)", entry: "app/start-embedded", args: [], env: { DATABASE_URL: "", DATA_DIR: dataDir } },
      ...subgraphNames.map((n) => ({ name: `start:subgraph ${n}`, entry: "app/start-subgraph", args: [n], env: { DATABASE_URL: url, MIGRATE: "off" } })),
      { name: "start:gateway", entry: "app/start-gateway", args: [], env: { DATABASE_URL: url } },
    ];
    const rows: string[] = [];
    const loadBefore = os.loadavg()[0];
    for (const p of processes) {
      const times: Record<Runner, number[]> = { tsx: [], node: [] };
      for (let i = 0; i < runs; i++) for (const runner of ["tsx", "node"] as const) times[runner].push(await timeStart(runner, p.entry, p.args, p.env));
      const [t, n] = [median(times.tsx), median(times.node)];
      rows.push(`| ${p.name} | ${(t / 1000).toFixed(1)} | ${(n / 1000).toFixed(1)} | ${(t / n).toFixed(1)} |`);
      console.error(rows.at(-1));
    }
    recordResults([
      "",
      `### Start-up time, tsx vs compiled — ${today()}`,
      "",
      `${machineLine()} Spawn to first 200 on /health, median of ${runs} alternating runs; load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end (2 cores).`,
      "",
      "| process | tsx (s) | node dist/ (s) | tsx / node |",
      "|---|---:|---:|---:|",
      ...rows,
    ]);
  } finally {
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
