// `npm run bench`: every comparison of issue 12 in one command. Runs each bench below that has a
// script in package.json, one after another, as its own `npm run` child process (the same runtime
// as running it alone), with BENCH_SUMMARY_FILE set to a scratch file where each appends its target
// rows (bench/report.ts appendTargets). A bench that fails, or runs past BENCH_TIMEOUT_MINUTES, is
// recorded as a failed row with its error and the run goes on. Then one table, "Issue 12 targets",
// goes to stdout and is appended to bench/RESULTS.md after the benches' own sections.
//   BENCH_ONLY (comma-separated keys, default all: peer,gateway-direct,entity-cache,embedded,ingest,
//     subscriptions,subscription-fanout,memory,scaling), BENCH_QUICK (1: short durations and small sizes to prove the
//     run end to end in ~10 min; its sections and table go to a scratch file, printed at the end,
//     unless BENCH_RESULTS_FILE names one), BENCH_TIMEOUT_MINUTES (per bench, default 30).
// Any other BENCH_* variable set when calling is passed to every bench and wins over quick mode's.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectPath } from "../platform/project-root.js";
import { machineLine, recordResults, type TargetRow } from "./report.js";

interface Bench {
  key: string;
  script: string;
  /** The issue 12 items its rows answer (a bench that writes none is reported as such). */
  items: string[];
  /** Quick mode's settings (the bench's own BENCH_* variables). */
  quick: Record<string, string>;
}

const BENCHES: Bench[] = [
  { key: "peer", script: "bench:peer-gateway", items: ["1"], quick: { BENCH_ROUNDS: "1", BENCH_DURATION: "3" } },
  { key: "gateway-direct", script: "bench:gateway-direct", items: [], quick: { BENCH_DURATION: "3" } },
  { key: "entity-cache", script: "bench:entity-cache", items: ["2"], quick: { BENCH_ROUNDS: "1", BENCH_DURATION: "3" } },
  { key: "embedded", script: "bench:embedded", items: ["3"], quick: { BENCH_ROUNDS: "1", BENCH_DURATION: "3" } },
  {
    key: "ingest",
    script: "bench:ingest",
    items: ["4"],
    quick: { BENCH_EVENTS: "1000", BENCH_LAG_SECONDS: "3", BENCH_SNAPSHOT_POSITIONS: "5000", BENCH_LADDER: "off" },
  },
  { key: "subscriptions", script: "bench:subscriptions", items: ["5"], quick: { BENCH_SUB_EVENTS: "5", BENCH_SUB_COUNTS: "1,1000" } },
  // Item 5's rate: 1,000 subscribers at 500 events/s (bench:subscriptions sends one event at a time).
  { key: "subscription-fanout", script: "bench:subscription-fanout", items: ["5"], quick: { BENCH_SUB_FANOUT: "100@50", BENCH_SUB_SECONDS: "3" } },
  { key: "memory", script: "bench:memory", items: ["6"], quick: { BENCH_MEMORY_LOAD_SECONDS: "5", BENCH_MEMORY_SETTLE_SECONDS: "5" } },
  { key: "scaling", script: "bench:scaling", items: ["8"], quick: { BENCH_DURATION: "3", BENCH_ROUNDS: "1" } },
];

const quick = process.env.BENCH_QUICK === "1";
const timeoutMinutes = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 30);
const only = process.env.BENCH_ONLY?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const scripts = (JSON.parse(fs.readFileSync(projectPath("package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

interface Ran {
  bench: Bench;
  status: string;
  seconds: number;
}

/** Runs one bench; resolves with its exit description, its stderr's tail kept for the failure row. */
function runBench(bench: Bench, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout ends the bench and the servers it started, nothing else.
    const child = spawn("npm", ["run", "--silent", bench.script], { cwd: projectPath(), env, stdio: ["ignore", "inherit", "pipe"], detached: true });
    let tail = "";
    child.stderr!.on("data", (d: Buffer) => {
      process.stderr.write(d);
      tail = (tail + d.toString()).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGTERM");
        setTimeout(() => {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            /* already gone */
          }
        }, 30_000).unref();
      } catch {
        /* already gone */
      }
    }, timeoutMinutes * 60_000);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) return resolve({ ok: true, detail: "exit 0" });
      // The last line that looks like an error, else the last line.
      const lines = tail
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      const error = [...lines].reverse().find((l) => /error|failed|exited|not /i.test(l)) ?? lines.at(-1) ?? "";
      resolve({
        ok: false,
        detail: `${timedOut ? `timed out after ${timeoutMinutes} min` : `exit ${code ?? signal}`}${error ? `: ${error.slice(0, 300)}` : ""}`,
      });
    });
  });
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

async function main() {
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-run-"));
  const summaryFile = path.join(scratch, "targets.jsonl");
  const resultsFile = process.env.BENCH_RESULTS_FILE || (quick ? path.join(scratch, "RESULTS-quick.md") : "");
  if (resultsFile) process.env.BENCH_RESULTS_FILE = resultsFile;
  const selected = BENCHES.filter((b) => !only || only.includes(b.key));
  if (only)
    for (const k of only)
      if (!BENCHES.some((b) => b.key === k)) throw new Error(`BENCH_ONLY: unknown bench "${k}" (known: ${BENCHES.map((b) => b.key).join(", ")})`);
  const rows: TargetRow[] = [];
  const ran: Ran[] = [];
  for (const bench of selected) {
    if (!scripts[bench.script]) {
      for (const item of bench.items)
        rows.push({
          item,
          target: `${bench.script}`,
          required: "the bench runs",
          measured: `not run: no "${bench.script}" script in package.json`,
          met: false,
        });
      ran.push({ bench, status: "absent", seconds: 0 });
      continue;
    }
    console.log(`\n=== ${bench.script}${quick ? " (quick)" : ""} ===`);
    const before = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, "utf8").length : 0;
    const t0 = Date.now();
    const result = await runBench(bench, {
      ...process.env,
      ...(quick ? Object.fromEntries(Object.entries(bench.quick).filter(([k]) => process.env[k] === undefined)) : {}),
      BENCH_SUMMARY_FILE: summaryFile,
    });
    const seconds = (Date.now() - t0) / 1000;
    const text = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, "utf8").slice(before) : "";
    const own = text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TargetRow);
    rows.push(...own);
    if (!result.ok) rows.push({ item: bench.items[0] ?? "–", target: `${bench.script} completes`, required: "exit 0", measured: result.detail, met: false });
    else if (!own.length)
      for (const item of bench.items)
        rows.push({ item, target: `${bench.script} reports its targets`, required: "target rows written", measured: "none written", met: false });
    ran.push({ bench, status: result.ok ? "ok" : "failed", seconds });
    console.log(`=== ${bench.script}: ${result.detail} in ${(seconds / 60).toFixed(1)} min ===`);
  }
  const itemNo = (r: TargetRow) => (Number.isFinite(Number(r.item)) ? Number(r.item) : 99);
  rows.sort((a, b) => itemNo(a) - itemNo(b)); // stable: each bench's rows keep their order
  const met = rows.filter((r) => r.met === true).length;
  const notMet = rows.filter((r) => r.met === false).length;
  const minutes = (Date.now() - started) / 60_000;
  const lines = [
    `### Issue 12 targets — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC${quick ? " (QUICK RUN: short durations, figures not comparable)" : ""}`,
    "",
    `${machineLine()} \`npm run bench\`${only ? ` with BENCH_ONLY=${only.join(",")}` : ""}${quick ? ", BENCH_QUICK=1" : ""}: ${minutes.toFixed(1)} min; load average at the end ${os.loadavg()[0].toFixed(1)}. ` +
      `Benches: ${ran.map((r) => `${r.bench.script} ${r.status}${r.seconds ? ` (${(r.seconds / 60).toFixed(1)} min)` : ""}`).join(", ")}. ` +
      `Each bench's own section above has its figures and method.`,
    "",
    "| item | target | required | measured | met |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.item} | ${cell(r.target)} | ${cell(r.required)} | ${cell(r.measured)} | ${r.met === null ? "–" : r.met ? "yes" : "**no**"} |`),
    "",
    `${met} met, ${notMet} not met${rows.length - met - notMet ? `, ${rows.length - met - notMet} informational` : ""}.`,
    "",
  ];
  recordResults(lines);
  if (resultsFile) console.log(`\nSections and table written to ${resultsFile}`);
  else fs.rmSync(scratch, { recursive: true, force: true });
  process.exit(ran.some((r) => r.status === "failed") ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
