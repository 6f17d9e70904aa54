// CPU time of processes, from /proc (Linux), so a benchmark on a shared machine can report CPU per
// event next to throughput: the neighbours' load changes the wall clock, much less the CPU a
// process spends. Elsewhere every figure is null.
import fs from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU seconds of a process (not its children), or null when unknown. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return null;
  }
}

/** The PostgreSQL server listening on `port` and its backends. */
export function postgresPids(port: number): number[] {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const cmdline = (pid: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      return [];
    }
  };
  const postmaster = pids.find((p) => {
    const args = cmdline(p);
    return args[0]?.endsWith("/postgres") && args.includes("-p") && args[args.indexOf("-p") + 1] === String(port);
  });
  if (!postmaster) return [];
  const parentOf = (pid: string) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
    } catch {
      return null;
    }
  };
  return [Number(postmaster), ...pids.filter((p) => parentOf(p) === postmaster).map(Number)];
}

/** CPU seconds per process, for cpuSpent. */
export function cpuReading(pids: number[]): Map<number, number> {
  const reading = new Map<number, number>();
  for (const pid of pids) {
    const s = cpuSeconds(pid);
    if (s !== null) reading.set(pid, s);
  }
  return reading;
}

/**
 * CPU seconds spent between two readings (a process that appeared meanwhile counts in full; one
 * that exited is lost, so pools that keep their connections give the truest figure).
 */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number | null {
  if (!after.size) return null;
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return total;
}
