// What every benchmark records with its figures: the machine and the date, appended to RESULTS.md.
import fs from "node:fs";
import os from "node:os";

export const machineLine = () =>
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`;

export const today = () => new Date().toISOString().slice(0, 10);

/** Prints the section and appends it to bench/RESULTS.md. */
export function recordResults(lines: string[]) {
  const text = lines.join("\n");
  console.log(text);
  fs.appendFileSync(new URL("./RESULTS.md", import.meta.url), text + "\n");
}
