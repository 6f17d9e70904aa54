// What every benchmark records with its figures: the machine and the date, appended to RESULTS.md;
// and the issue 12 target rows `npm run bench` (bench/run.ts) gathers into one table.
import fs from "node:fs";
import os from "node:os";

export const machineLine = () =>
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`;

export const today = () => new Date().toISOString().slice(0, 10);

/** Where sections go: BENCH_RESULTS_FILE (the orchestrator's quick mode sets a scratch file), else bench/RESULTS.md. */
export const resultsFile = () => process.env.BENCH_RESULTS_FILE || new URL("./RESULTS.md", import.meta.url);

/** Prints the section and appends it to bench/RESULTS.md (or BENCH_RESULTS_FILE). */
export function recordResults(lines: string[]) {
  const text = lines.join("\n");
  console.log(text);
  fs.appendFileSync(resultsFile(), text + "\n");
}

/** One target of issue 12 as measured: `met` null when the row is informational only. */
export interface TargetRow {
  /** The issue 12 item number, e.g. "1" or "4". */
  item: string;
  target: string;
  required: string;
  measured: string;
  met: boolean | null;
}

/**
 * Appends the rows as JSON lines to the file named by BENCH_SUMMARY_FILE, which `npm run bench`
 * sets for each bench it runs and reads back into its table; a bench run on its own (the variable
 * unset) writes nothing.
 */
export function appendTargets(rows: TargetRow[]): void {
  const file = process.env.BENCH_SUMMARY_FILE;
  if (!file || !rows.length) return;
  fs.appendFileSync(file, rows.map((r) => JSON.stringify(r) + "\n").join(""));
}
