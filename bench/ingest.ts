// `npm run bench:ingest`: inventory ingestion on each store, measured in one run, printed with
// whether each target of issue 12 is met, and appended to bench/RESULTS.md.
//
// Per store (PGlite in memory; a throwaway PostgreSQL server if its binaries are installed) the
// app runs in a child process (bench/ingest-serve.ts) with its consumers, and:
//   1. throughput over HTTP (POST /ingest/wms/inventory): single events, then arrays of 100, from
//      BENCH_SENDERS senders that each send their next request when the previous one is answered;
//   2. consumer lag at 80% of the target rates, open loop (a request goes out on schedule whether
//      or not earlier ones are answered): lag = when the consumer "orders.stock-availability"
//      committed the event's InventoryChanged (reported by the child) minus the request's start;
//   3. what each guarantee costs (bench/ingest-ladder.ts), in batches of 100 and one by one;
//   4. plain INSERTs of the same rows, 1 and 100 per statement (the floor);
//   5. a snapshot of BENCH_SNAPSHOT_POSITIONS positions three ways: reconcileInventory, an X12 846,
//      a WMS COUNT_SNAPSHOT (time to the response, and until the consumer has every event);
//   6. with BENCH_BASELINE_ROOT (a checkout of another revision, e.g. main, with node_modules and
//      its Prisma client generated): the same throughput scenarios on that revision's server, in
//      the same run, for before/after ratios;
// and on PostgreSQL only:
//   7. two operations-subgraph processes on one database (bench/ingest-replicas.ts), against one,
//      with the database checked for double application afterwards.
// Events: generateHistory deltas over BENCH_SKUS × BENCH_LOCATIONS positions, fresh ids per
// scenario, dated in the past (within the clock-skew rule). The machine's load average is recorded
// with the figures: on a shared machine compare ratios within one run, not absolute numbers.
//   BENCH_EVENTS (per throughput scenario, default 5000), BENCH_SENDERS (4), BENCH_SKUS (200),
//   BENCH_LOCATIONS (5), BENCH_LAG_SECONDS (10), BENCH_SNAPSHOT_POSITIONS (50000, 0 skips),
//   BENCH_STORES (pglite,postgres), BENCH_BASELINE_ROOT (unset), BENCH_REPLICAS (on; off skips 7),
//   BENCH_LADDER (on; off skips 3), BENCH_CPU_PROF (unset; a folder: CPU profiles of the server processes)
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { generateHistory, type HistoryEvent } from "../test/helpers/stock-history.js";
import { findPostgresBin, startPostgres, type PostgresServer } from "../test/helpers/postgres-server.js";
import {
  benchLocationId,
  benchLocations,
  benchSkus,
  SNAPSHOT_LOCATION,
  snapshotSkus,
  type BaselineRow,
  type FromServer,
  type LadderRow,
  type ToServer,
} from "./ingest-protocol.js";
import { reconcileRequest, reconcileSourceEventId, wmsCountSnapshot, x12Snapshot } from "./ingest-snapshot.js";
import {
  checkReplicaDatabase,
  cpuMeter,
  createEmptyDatabase,
  createReplicaDatabase,
  startSubgraphProcess,
  stopProcess,
  type ReplicaCheck,
  type ReplicaProcess,
} from "./ingest-replicas.js";
import { appendTargets, machineLine, recordResults, today } from "./report.js";
import { cpuReading, cpuSpent, postgresPids } from "./proc-cpu.js";

const positiveInt = (name: string, fallback: number, min = 1) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, got "${process.env[name]}"`);
  return v;
};
const eventsPerScenario = positiveInt("BENCH_EVENTS", 5000);
const senders = positiveInt("BENCH_SENDERS", 4);
const skuCount = positiveInt("BENCH_SKUS", 200);
const locationCount = positiveInt("BENCH_LOCATIONS", 5, 2);
const lagSeconds = positiveInt("BENCH_LAG_SECONDS", 10);
const snapshotPositions = positiveInt("BENCH_SNAPSHOT_POSITIONS", 50_000, 0);
const stores = (process.env.BENCH_STORES ?? "pglite,postgres").split(",").map((s) => s.trim());
const baselineRoot = process.env.BENCH_BASELINE_ROOT ? path.resolve(process.env.BENCH_BASELINE_ROOT) : null;
const replicas = process.env.BENCH_REPLICAS !== "off";
const ladderOn = process.env.BENCH_LADDER !== "off";
const BATCH = 100;
const WARMUP_EVENTS = 400;
/** How long the consumer may take to catch up after a scenario before the bench gives up waiting. */
const CATCH_UP_TIMEOUT_MS = 180_000;

/** Issue 12, item 4. */
const TARGETS = {
  postgresBatched: 2000,
  postgresSingle: 500,
  pgliteBatched: 1000,
  lagP99Ms: 100,
  lagShare: 0.8,
  snapshotSeconds: 30,
};

interface Row {
  scenario: string;
  events: number;
  perSecond: number;
  p50: number | null;
  p99: number | null;
  errors: number;
  /** CPU ms per event of the server process and of the PostgreSQL server (/proc), when measured. */
  appCpu?: number | null;
  postgresCpu?: number | null;
}

interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean | null;
}

interface StoreReport {
  store: string;
  rows: Row[];
  ladder: { perRequest: number; rows: LadderRow[] }[];
  snapshot: Row[];
  baseline: Row[];
  notes: string[];
}

const targets: Target[] = [];
const loads: number[] = [];
const noteLoad = () => loads.push(os.loadavg()[0]);

// ---------------------------------------------------------------------------------------------
// The child process and its IPC.

class Server {
  /** sourceEventId -> handledAt of each InventoryChanged the consumer committed (a MOVE has two). */
  readonly handled = new Map<string, number[]>();
  private waiters = new Map<number, (m: FromServer) => void>();
  private nextId = 1;
  private exitPromise: Promise<void>;

  private constructor(
    readonly child: ChildProcess,
    readonly urls: Extract<FromServer, { type: "ready" }>,
  ) {
    this.exitPromise = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    child.on("message", (m: FromServer) => {
      if (m.type === "handled") for (const [id, at] of m.items) (this.handled.get(id) ?? this.handled.set(id, []).get(id)!).push(at);
      else if ("id" in m) this.waiters.get(m.id)?.(m);
    });
    child.once("exit", (code, signal) => {
      for (const w of this.waiters.values()) w({ type: "error", id: 0, error: `server process exited (${code ?? signal})` });
    });
  }

  /** Starts bench/ingest-serve.ts of this tree, or of `root` (another revision, copied there first). */
  static async start(env: Record<string, string>, root: string | null = null): Promise<Server> {
    let entry = new URL("./ingest-serve.ts", import.meta.url).pathname;
    if (root) {
      for (const f of ["ingest-serve.ts", "ingest-protocol.ts"]) fs.copyFileSync(new URL(`./${f}`, import.meta.url), path.join(root, "bench", f));
      entry = path.join(root, "bench", "ingest-serve.ts");
    }
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each server process, written there when it stops.
    const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(process.env.BENCH_CPU_PROF)] : [];
    const child = fork(entry, { execArgv: ["--import", "tsx", ...prof], cwd: root ?? process.cwd(), stdio: "inherit", env: { ...process.env, ...env } });
    const urls = await new Promise<Extract<FromServer, { type: "ready" }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("server process did not start in 300 s")), 300_000);
      child.on("message", (m: FromServer) => m.type === "ready" && (clearTimeout(timer), resolve(m)));
      child.once("exit", (code, signal) => (clearTimeout(timer), reject(new Error(`server process exited (${code ?? signal}) before it was ready`))));
    }).catch(async (err) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      throw err;
    });
    return new Server(child, urls);
  }

  async request<T extends FromServer["type"]>(message: ToServer & { id: number }): Promise<Extract<FromServer, { type: T }>> {
    const reply = await new Promise<FromServer>((resolve) => {
      this.waiters.set(message.id, resolve);
      this.child.send(message);
    });
    this.waiters.delete(message.id);
    if (reply.type === "error") throw new Error(reply.error);
    return reply as Extract<FromServer, { type: T }>;
  }

  id() {
    return this.nextId++;
  }

  /** Asks the server to stop and waits; kills it (by its own pid) if it does not exit in 30 s. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ type: "stop" } satisfies ToServer);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    await this.exitPromise;
    clearTimeout(timer);
  }

  /**
   * Waits until every expected source event id has its InventoryChanged events handled. Returns
   * the time the last of them was handled (Date.now() clock), or null on timeout.
   */
  async caughtUp(expected: Map<string, number>): Promise<{ lastHandledAt: number | null; missing: number }> {
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      let missing = 0;
      let last = 0;
      for (const [id, n] of expected) {
        const at = this.handled.get(id) ?? [];
        if (at.length < n) missing++;
        else for (const t of at) last = Math.max(last, t);
      }
      if (!missing) return { lastHandledAt: last || null, missing: 0 };
      if (Date.now() > deadline) return { lastHandledAt: null, missing };
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sending.

interface SendResult {
  /** Events acknowledged PROCESSED in a 2xx response. */
  ok: string[];
  /** Failed requests (non-2xx, network) plus events a 2xx response did not report PROCESSED. */
  errors: number;
  /** Request start -> response read, ms, per request. */
  latenciesMs: number[];
  /** Date.now() at each event's request start. */
  sentAt: Map<string, number>;
  firstStart: number;
  lastEnd: number;
  /** What went wrong, without ids, and how often. */
  problems: Map<string, number>;
}

const newResult = (): SendResult => ({ ok: [], errors: 0, latenciesMs: [], sentAt: new Map(), firstStart: Infinity, lastEnd: 0, problems: new Map() });

interface MessageView {
  state?: string;
  failedStep?: string;
  error?: string;
}

const describe = (status: number, m: MessageView | undefined) =>
  `HTTP ${status}, ${m?.state ?? "no state"}${m?.failedStep ? ` at ${m.failedStep}` : ""}${m?.error ? `: ${m.error.trim().split("\n").at(-1)!.trim().slice(0, 200)}` : ""}`;

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

async function post(url: string, events: HistoryEvent[], into: SendResult, single: boolean) {
  const body = JSON.stringify(single ? events[0] : events);
  const sentAt = Date.now();
  const t0 = performance.now();
  into.firstStart = Math.min(into.firstStart, t0);
  for (const e of events) into.sentAt.set(e.eventId, sentAt);
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    const t1 = performance.now();
    into.latenciesMs.push(t1 - t0);
    into.lastEnd = Math.max(into.lastEnd, t1);
    let json: (MessageView & { messages?: MessageView[] }) | null = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* described below */
    }
    if (res.status < 200 || res.status > 299) {
      into.errors += events.length;
      count(
        into.problems,
        json ? describe(res.status, json.messages?.find((m) => m.state !== "PROCESSED") ?? json) : `HTTP ${res.status}: ${text.slice(0, 200)}`,
      );
      return;
    }
    const views = single ? [json ?? undefined] : (json?.messages ?? []);
    events.forEach((e, i) => {
      if (views[i]?.state === "PROCESSED") into.ok.push(e.eventId);
      else {
        into.errors += 1;
        count(into.problems, `event in a ${describe(res.status, views[i])}`);
      }
    });
  } catch (err) {
    into.lastEnd = Math.max(into.lastEnd, performance.now());
    into.errors += events.length;
    count(into.problems, `request failed: ${(err as Error).message}`);
  }
}

/** Closed loop: `workers` senders, each sending its next request when the previous one is answered; sender i uses urls[i % urls.length]. */
async function sendConcurrently(urls: string[], requests: HistoryEvent[][], workers: number, single: boolean): Promise<SendResult> {
  const result = newResult();
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (next < requests.length) await post(urls[w % urls.length], requests[next++], result, single);
    }),
  );
  return result;
}

/** Open loop: one request every perRequest/rate seconds, not waiting for earlier answers. */
async function sendPaced(url: string, requests: HistoryEvent[][], ratePerSecond: number, single: boolean): Promise<SendResult> {
  const result = newResult();
  const interval = (1000 * requests[0].length) / ratePerSecond;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < requests.length; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(post(url, requests[i], result, single));
  }
  await Promise.all(inFlight);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Figures.

const percentile = (values: number[], q: number): number | null => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
};

/** InventoryChanged events each delta makes: a MOVE journals and announces both of its sides. */
const expectedChanges = (events: HistoryEvent[], ok: string[]) => {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  return new Map(ok.map((id) => [id, byId.get(id)!.type === "MOVE" ? 2 : 1]));
};

const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

const skus = benchSkus(skuCount);
const locations = benchLocations(locationCount);
// Each scenario its own seed (event ids h-<seed>-<i>) and its own stretch of time, a year back at
// one event a second: far enough in the past for the clock-skew rule, never overlapping.
let seed = 100;
const history = (events: number) => {
  seed += 1;
  return generateHistory({ events, skus, locations, countShare: 0, seed, start: new Date(Date.now() - 400 * 86_400_000 + seed * 86_400_000) });
};

const MOVEMENT: Record<HistoryEvent["type"], BaselineRow["kind"]> = {
  RECEIPT: "RECEIPT",
  PICK: "PICK",
  ADJUSTMENT: "ADJUSTMENT",
  MOVE: "MOVE_OUT",
  COUNT: "ADJUSTMENT",
};
const SIGN: Record<HistoryEvent["type"], number> = { RECEIPT: 1, PICK: -1, ADJUSTMENT: 1, MOVE: -1, COUNT: 1 };
const baselineRows = (events: HistoryEvent[], prefix: string): BaselineRow[] =>
  events.map((e) => ({
    sku: e.sku,
    locationId: benchLocationId(e.location),
    kind: MOVEMENT[e.type],
    quantity: SIGN[e.type] * e.quantity,
    occurredAt: e.occurredAt,
    sourceEventId: `${prefix}:${e.eventId}`,
  }));

const ms = (v: number | null) => (v === null ? "–" : v < 10 ? v.toFixed(1) : v.toFixed(0));
const rate = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));

function target(what: string, targetText: string, measured: string, met: boolean | null) {
  targets.push({ what, target: targetText, measured, met });
  console.log(`TARGET ${met === null ? "n/a" : met ? "MET" : "NOT MET"}: ${what}: ${measured} (target ${targetText})`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios on one server.

/** CPU of the server process and of the PostgreSQL server (its port, when there is one) from now on. */
function serverCpu(server: Server, postgresPort: number | null) {
  const app = cpuReading([server.child.pid!]);
  const pg = postgresPort ? cpuReading(postgresPids(postgresPort)) : new Map<number, number>();
  return (events: number) => {
    const perEvent = (s: number | null) => (s === null || !events ? null : (s * 1000) / events);
    return {
      appCpu: perEvent(cpuSpent(app, cpuReading([server.child.pid!]))),
      postgresCpu: postgresPort ? perEvent(cpuSpent(pg, cpuReading(postgresPids(postgresPort)))) : null,
    };
  };
}

async function throughput(
  server: Server,
  label: string,
  perRequest: number,
  into: Row[],
  notes: string[],
  problems: Map<string, number>,
  postgresPort: number | null,
) {
  const events = history(eventsPerScenario);
  console.log(`  ${label}…`);
  noteLoad();
  const cpu = serverCpu(server, postgresPort);
  const statementsBefore = (await server.request<"stats">({ type: "stats", id: server.id() })).statements;
  const r = await sendConcurrently([server.urls.ingestUrl], chunks(events, perRequest), senders, perRequest === 1);
  const seconds = (r.lastEnd - r.firstStart) / 1000;
  const caught = await server.caughtUp(expectedChanges(events, r.ok));
  const statementsAfter = (await server.request<"stats">({ type: "stats", id: server.id() })).statements;
  // Every statement of the app and its consumers until the consumer caught up (revisions without the counter: none).
  if (statementsBefore !== undefined && statementsAfter !== undefined && r.ok.length)
    notes.push(`${label}: ${((statementsAfter - statementsBefore) / r.ok.length).toFixed(2)} SQL statements per event, consumers included.`);
  into.push({
    scenario: label,
    events: r.ok.length,
    perSecond: r.ok.length / seconds,
    p50: percentile(r.latenciesMs, 0.5),
    p99: percentile(r.latenciesMs, 0.99),
    errors: r.errors,
    ...cpu(r.ok.length),
  });
  for (const [p, n] of r.problems) problems.set(`${label}: ${p}`, (problems.get(`${label}: ${p}`) ?? 0) + n);
  const endWall = Date.now() - (performance.now() - r.lastEnd);
  const startWall = Date.now() - (performance.now() - r.firstStart);
  notes.push(
    caught.lastHandledAt === null
      ? `${label}: the consumer had not handled ${caught.missing} events ${CATCH_UP_TIMEOUT_MS / 1000} s after the last response.`
      : `${label}: consumer done ${Math.max(0, caught.lastHandledAt - endWall).toFixed(0)} ms after the last response ` +
          `(${(r.ok.length / ((caught.lastHandledAt - startWall) / 1000)).toFixed(0)} events/s end to end).`,
  );
  return r.ok.length / seconds;
}

async function lag(server: Server, label: string, ratePerSecond: number, perRequest: number, into: Row[], notes: string[], problems: Map<string, number>) {
  const events = history(Math.max(perRequest, Math.round(ratePerSecond * lagSeconds)));
  console.log(`  ${label}…`);
  noteLoad();
  const r = await sendPaced(server.urls.ingestUrl, chunks(events, perRequest), ratePerSecond, perRequest === 1);
  const caught = await server.caughtUp(expectedChanges(events, r.ok));
  const lags = r.ok.flatMap((id) => {
    const at = server.handled.get(id);
    return at?.length ? [Math.max(...at) - r.sentAt.get(id)!] : [];
  });
  const p99 = percentile(lags, 0.99);
  into.push({
    scenario: label,
    events: r.ok.length,
    perSecond: r.ok.length / ((r.lastEnd - r.firstStart) / 1000),
    p50: percentile(lags, 0.5),
    p99,
    errors: r.errors,
  });
  for (const [p, n] of r.problems) problems.set(`${label}: ${p}`, (problems.get(`${label}: ${p}`) ?? 0) + n);
  notes.push(
    `${label}: HTTP response p50 ${ms(percentile(r.latenciesMs, 0.5))} ms, p99 ${ms(percentile(r.latenciesMs, 0.99))} ms; max lag ${ms(lags.length ? Math.max(...lags) : null)} ms` +
      (caught.missing ? `; ${caught.missing} events never handled (left out)` : "") +
      ".",
  );
  return { p99, complete: !caught.missing && !r.errors };
}

async function snapshots(server: Server, store: string, into: Row[], notes: string[]) {
  const snap = snapshotSkus(snapshotPositions);
  const base = Date.now() - 30 * 86_400_000;
  const at = (k: number) => new Date(Math.floor((base + k * 3_600_000) / 1000) * 1000);
  const runs: { label: string; send: () => Promise<{ ok: boolean; detail: string }>; sourceEventId: string }[] = [];
  const reconcileAt = at(1);
  runs.push({
    label: `reconcileInventory (GraphQL), ${snap.length} positions`,
    sourceEventId: reconcileSourceEventId(reconcileAt),
    send: async () => {
      const res = await fetch(server.urls.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(reconcileRequest(snap, SNAPSHOT_LOCATION.id, reconcileAt, (i) => 100 + (i % 50))),
      });
      const json = (await res.json()) as { data?: { reconcileInventory?: { positionsWithDrift: number } }; errors?: { message: string }[] };
      const drift = json.data?.reconcileInventory?.positionsWithDrift;
      return { ok: res.status === 200 && drift === snap.length, detail: json.errors ? json.errors[0].message.slice(0, 200) : `${drift} positions with drift` };
    },
  });
  const x12 = x12Snapshot(snap, SNAPSHOT_LOCATION.code, at(2), 900_000 + seed, (i) => 200 + (i % 50));
  runs.push({
    label: `X12 846 (POST /ingest/x12), ${snap.length} LIN`,
    sourceEventId: x12.sourceEventId,
    send: async () => {
      const res = await fetch(server.urls.x12Url, { method: "POST", headers: { "content-type": "application/edi-x12" }, body: x12.body });
      const json = (await res.json()) as MessageView;
      return { ok: res.status === 200 && json.state === "PROCESSED", detail: describe(res.status, json) };
    },
  });
  const wmsId = `bench-count-snapshot-${seed}`;
  runs.push({
    label: `WMS COUNT_SNAPSHOT (POST /ingest/wms/inventory), ${snap.length} counts`,
    sourceEventId: wmsId,
    send: async () => {
      const res = await fetch(server.urls.ingestUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(wmsCountSnapshot(snap, SNAPSHOT_LOCATION.code, at(3), wmsId, (i) => 300 + (i % 50))),
      });
      const json = (await res.json()) as MessageView;
      return { ok: res.status === 200 && json.state === "PROCESSED", detail: describe(res.status, json) };
    },
  });
  for (const run of runs) {
    console.log(`  snapshot: ${run.label}…`);
    noteLoad();
    const startWall = Date.now();
    const t0 = performance.now();
    const { ok, detail } = await run.send();
    const seconds = (performance.now() - t0) / 1000;
    const caught = ok ? await server.caughtUp(new Map([[run.sourceEventId, snap.length]])) : { lastHandledAt: null, missing: 1 };
    into.push({
      scenario: run.label,
      events: ok ? snap.length : 0,
      perSecond: ok ? snap.length / seconds : 0,
      p50: seconds * 1000,
      p99: caught.lastHandledAt ? caught.lastHandledAt - startWall : null,
      errors: ok ? 0 : 1,
    });
    if (!ok) notes.push(`${run.label}: not applied: ${detail}`);
    target(
      `${store}: ${run.label} applied`,
      `< ${TARGETS.snapshotSeconds} s`,
      ok ? `${seconds.toFixed(1)} s` : `failed (${detail})`,
      ok && seconds < TARGETS.snapshotSeconds,
    );
  }
}

/** PostgreSQL: each server process gets a database of its own on the bench's server. */
async function benchStore(store: string, adminUrl: string | null): Promise<StoreReport> {
  const env: Record<string, string> = adminUrl ? { DATABASE_URL: await createEmptyDatabase(adminUrl, "bench_ingest") } : {};
  const report: StoreReport = { store, rows: [], ladder: [], snapshot: [], baseline: [], notes: [] };
  const problems = new Map<string, number>();
  const serverEnv = { ...env, BENCH_SKUS: String(skuCount), BENCH_LOCATIONS: String(locationCount), BENCH_SNAPSHOT_POSITIONS: String(snapshotPositions) };
  console.log(`\n${store}: starting the server process…`);
  const server = await Server.start(serverEnv);
  const postgres = store !== "PGlite in memory";
  const postgresPort = env.DATABASE_URL ? Number(new URL(env.DATABASE_URL).port) : null;
  try {
    const deadlocks = async () => (await server.request<"stats">({ type: "stats", id: server.id() })).deadlocks;
    // Warm-up (JIT, prepared paths, connection pool), not reported.
    const warm = history(WARMUP_EVENTS);
    await sendConcurrently([server.urls.ingestUrl], chunks(warm.slice(0, WARMUP_EVENTS / 2), 1), senders, true);
    await sendConcurrently([server.urls.ingestUrl], chunks(warm.slice(WARMUP_EVENTS / 2), BATCH / 2), senders, false);
    const deadlocksBefore = await deadlocks();

    const single = await throughput(server, `ingest: 1 event per POST, ${senders} senders`, 1, report.rows, report.notes, problems, postgresPort);
    const batched = await throughput(server, `ingest: ${BATCH} events per POST, ${senders} senders`, BATCH, report.rows, report.notes, problems, postgresPort);
    if (postgres) {
      target("PostgreSQL: batches of 100, 4 senders", `≥ ${TARGETS.postgresBatched} events/s`, `${rate(batched)} events/s`, batched >= TARGETS.postgresBatched);
      target("PostgreSQL: single events, 4 senders", `≥ ${TARGETS.postgresSingle} events/s`, `${rate(single)} events/s`, single >= TARGETS.postgresSingle);
    } else {
      target("PGlite: batches of 100, 4 senders", `≥ ${TARGETS.pgliteBatched} events/s`, `${rate(batched)} events/s`, batched >= TARGETS.pgliteBatched);
    }

    // Lag at 80% of the target rates (PGlite: of its batched target; single events have none there).
    const lagRuns = postgres
      ? [
          { rate: TARGETS.lagShare * TARGETS.postgresSingle, perRequest: 1 },
          { rate: TARGETS.lagShare * TARGETS.postgresBatched, perRequest: BATCH },
        ]
      : [{ rate: TARGETS.lagShare * TARGETS.pgliteBatched, perRequest: BATCH }];
    for (const l of lagRuns) {
      const label = `lag: ${l.perRequest === 1 ? "single events" : `${l.perRequest} events per POST`} at ${l.rate} events/s for ${lagSeconds} s, request start → consumer committed`;
      const { p99, complete } = await lag(server, label, l.rate, l.perRequest, report.rows, report.notes, problems);
      target(
        `${store}: consumer lag p99 at ${l.rate} events/s (${l.perRequest === 1 ? "single events" : `batches of ${l.perRequest}`})`,
        `< ${TARGETS.lagP99Ms} ms`,
        `${ms(p99)} ms${complete ? "" : " (not every event handled)"}`,
        p99 !== null && complete && p99 < TARGETS.lagP99Ms,
      );
    }
    const deadlocksAfter = await deadlocks();
    if (deadlocksBefore !== null && deadlocksAfter !== null)
      report.notes.push(`PostgreSQL deadlocks detected during the scenarios (pg_stat_database): ${deadlocksAfter - deadlocksBefore}.`);

    // What each guarantee costs: batches of 100, then one event at a time (fewer events).
    for (const perRequest of ladderOn ? [BATCH, 1] : []) {
      const n = perRequest === 1 ? Math.min(eventsPerScenario, 1000) : eventsPerScenario;
      console.log(`  guarantee ladder, ${perRequest} per request…`);
      noteLoad();
      const steps = Array.from({ length: 6 }, () => history(n));
      const ladder = await server.request<"ladder">({ type: "ladder", id: server.id(), events: steps, perRequest, workers: senders });
      report.ladder.push({ perRequest, rows: ladder.rows });
    }

    // The floor: the same number of rows with plain INSERTs, same store, same client and driver.
    for (const perStatement of [1, BATCH]) {
      const label = `plain INSERT: ${perStatement} row${perStatement > 1 ? "s" : ""} per statement, ${senders} workers`;
      console.log(`  ${label}…`);
      const b = await server.request<"baseline">({
        type: "baseline",
        id: server.id(),
        rows: baselineRows(history(eventsPerScenario), `plain-${perStatement}`),
        rowsPerStatement: perStatement,
        workers: senders,
      });
      report.rows.push({
        scenario: label,
        events: b.rows,
        perSecond: b.rows / b.seconds,
        p50: percentile(b.latenciesMs, 0.5),
        p99: percentile(b.latenciesMs, 0.99),
        errors: 0,
      });
    }
    const plainOne = report.rows.at(-2)!.perSecond;
    const plainBatch = report.rows.at(-1)!.perSecond;
    report.notes.unshift(
      `Ratios (events/s): batched/single ${(batched / single).toFixed(2)}; pipeline/plain INSERT: single vs 1 row per statement ${(single / plainOne).toFixed(3)}, batched vs ${BATCH} rows per statement ${(batched / plainBatch).toFixed(3)}.`,
    );

    if (snapshotPositions > 0) await snapshots(server, store, report.snapshot, report.notes);
    const stats = await server.request<"stats">({ type: "stats", id: server.id() });
    report.notes.push(`Server process RSS at the end: ${stats.rssMiB.toFixed(0)} MiB.`);
  } finally {
    await server.stop();
  }

  if (baselineRoot) {
    console.log(`\n${store}: the baseline revision at ${baselineRoot}…`);
    const baseEnv = {
      ...serverEnv,
      BENCH_SNAPSHOT_POSITIONS: "0",
      ...(adminUrl && { DATABASE_URL: await createEmptyDatabase(adminUrl, "bench_ingest_baseline") }),
    };
    const base = await Server.start(baseEnv, baselineRoot);
    try {
      const warm = history(WARMUP_EVENTS);
      await sendConcurrently([base.urls.ingestUrl], chunks(warm.slice(0, WARMUP_EVENTS / 2), 1), senders, true);
      await sendConcurrently([base.urls.ingestUrl], chunks(warm.slice(WARMUP_EVENTS / 2), BATCH / 2), senders, false);
      await throughput(base, `baseline revision: 1 event per POST, ${senders} senders`, 1, report.baseline, report.notes, problems, postgresPort);
      await throughput(base, `baseline revision: ${BATCH} events per POST, ${senders} senders`, BATCH, report.baseline, report.notes, problems, postgresPort);
      const [s, b] = report.rows;
      report.notes.push(
        `This branch / baseline revision, same run: single ${(s.perSecond / report.baseline[0].perSecond).toFixed(2)}×, batched ${(b.perSecond / report.baseline[1].perSecond).toFixed(2)}×.`,
      );
    } finally {
      await base.stop();
    }
  }
  for (const [p, n] of problems) {
    console.error(`${store}: ${n} × ${p}`);
    report.notes.push(`Errors: ${n} × ${p.replace(/\|/g, "/").replace(/\s+/g, " ")}`);
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Replicas (PostgreSQL).

interface ReplicaRow {
  replicas: number;
  scenario: string;
  events: number;
  perSecond: number;
  appCpuMsPerEvent: number | null;
  postgresCpuMsPerEvent: number | null;
  errors: number;
}

async function benchReplicas(postgresUrl: string): Promise<{ rows: ReplicaRow[]; check: ReplicaCheck; notes: string[] }> {
  console.log("\nPostgreSQL: operations replicas…");
  const port = Number(new URL(postgresUrl).port);
  const { url, database } = await createReplicaDatabase(postgresUrl, "bench_replicas", skuCount, locationCount);
  const processes: ReplicaProcess[] = [];
  const rows: ReplicaRow[] = [];
  const notes: string[] = [];
  const sent: HistoryEvent[] = [];
  try {
    // The consumer runs in the orders subgraph's process; the operations replicas ingest.
    processes.push(await startSubgraphProcess("orders", url));
    const ops = [await startSubgraphProcess("operations", url), await startSubgraphProcess("operations", url)];
    processes.push(...ops);
    const ingestUrl = (p: ReplicaProcess) => p.url.replace(/\/graphql$/, "/ingest/wms/inventory");
    const warm = history(WARMUP_EVENTS);
    await sendConcurrently(ops.map(ingestUrl), chunks(warm, BATCH / 2), senders, false);
    sent.push(...warm);
    for (const n of [1, 2]) {
      for (const perRequest of [BATCH, 1]) {
        const events = history(perRequest === 1 ? Math.min(eventsPerScenario, 2000) : eventsPerScenario);
        const label = perRequest === 1 ? `single events, ${senders} senders` : `${perRequest} events per POST, ${senders} senders`;
        console.log(`  ${n} replica${n > 1 ? "s" : ""}: ${label}…`);
        noteLoad();
        const meter = cpuMeter(processes, port);
        const r = await sendConcurrently(ops.slice(0, n).map(ingestUrl), chunks(events, perRequest), senders, perRequest === 1);
        const cpu = meter();
        sent.push(...events.filter((e) => r.ok.includes(e.eventId)));
        const perEvent = (s: number | null) => (s === null || !r.ok.length ? null : (s * 1000) / r.ok.length);
        rows.push({
          replicas: n,
          scenario: label,
          events: r.ok.length,
          perSecond: r.ok.length / ((r.lastEnd - r.firstStart) / 1000),
          appCpuMsPerEvent: perEvent(cpu.app),
          postgresCpuMsPerEvent: perEvent(cpu.postgres),
          errors: r.errors,
        });
        for (const [p, k] of r.problems) notes.push(`${n} replica(s), ${label}: ${k} × ${p}`);
      }
    }
    // The same requests to both replicas at once: each event must be applied once, the repeat recorded.
    const race = history(1000);
    console.log("  the same 1,000 events to both replicas at once…");
    const both = await Promise.all(ops.map((p) => sendConcurrently([ingestUrl(p)], chunks(race, BATCH), senders / 2, false)));
    const acknowledged = new Set(both.flatMap((r) => r.ok));
    sent.push(...race.filter((e) => acknowledged.has(e.eventId)));
    notes.push(
      `Race: 1,000 events sent to both replicas at once, in batches of ${BATCH}: ${both.map((r) => r.ok.length).join(" and ")} acknowledged PROCESSED (a repeat is answered with its original's outcome), ${both.reduce((s, r) => s + r.errors, 0)} errors.`,
    );
    // Wait for the consumer to reach the end of the log.
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      const [lag] = await database.db.$queryRaw<{ n: bigint }[]>`
        SELECT COUNT(*) AS "n" FROM "platform"."EventLog" e, "platform"."ConsumerOffset" o
        WHERE o."consumer" = 'orders.stock-availability' AND (e."txOrder", e."sequence") > (o."txOrder", o."position")`;
      if (Number(lag.n) === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return { rows, check: await checkReplicaDatabase(database.db, sent), notes };
  } finally {
    await Promise.all(processes.map(stopProcess));
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------

let postgres: { server: PostgresServer; url: string } | null = null;

async function stopPostgres() {
  if (!postgres) return;
  const { server } = postgres;
  postgres = null;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), 60_000)));
  if ((await Promise.race([server.stop(), timedOut])) === "timeout") console.error("PostgreSQL server did not stop within 60 s");
  clearTimeout(timer);
}

function ladderTable(ladders: StoreReport["ladder"]): string[] {
  if (!ladders.length) return [];
  const [batched, single] = ladders;
  const base = (l: (typeof ladders)[number]) => l.rows[0].perSecond;
  const lines = ["| guarantee added | events/s, batches of 100 | × bare INSERT | events/s, one per request | × bare INSERT |", "|---|---:|---:|---:|---:|"];
  batched.rows.forEach((r, i) => {
    const s = single?.rows[i];
    lines.push(
      `| ${r.step} | ${rate(r.perSecond)} | ${(r.perSecond / base(batched)).toFixed(3)} | ${s ? rate(s.perSecond) : "–"} | ${s ? (s.perSecond / base(single)).toFixed(3) : "–"} |`,
    );
  });
  return lines;
}

async function main() {
  const reports: StoreReport[] = [];
  const skipped: string[] = [];
  let replicaResult: Awaited<ReturnType<typeof benchReplicas>> | null = null;
  if (stores.includes("pglite")) reports.push(await benchStore("PGlite in memory", null));
  if (stores.includes("postgres")) {
    const bin = findPostgresBin();
    if (!bin) skipped.push("PostgreSQL server: skipped, no binaries found (findPostgresBin: PG_BIN or /usr/lib/postgresql/*/bin).");
    else {
      const server = await startPostgres(bin);
      postgres = { server, url: server.url("postgres") };
      // The app's own pool (max 10) plus the listener; fsync off, as startPostgres sets it up.
      reports.push(await benchStore("PostgreSQL server", postgres.url));
      if (replicas) replicaResult = await benchReplicas(postgres.url);
      await stopPostgres();
    }
  }

  if (replicaResult) {
    const c = replicaResult.check;
    const correct =
      c.journalRows === c.expectedJournalRows &&
      c.appliedTwice === 0 &&
      c.positionsWrong === 0 &&
      c.handledByConsumer === c.inventoryChanged &&
      c.inventoryChanged === c.journalRows;
    target(
      "PostgreSQL, 2 operations replicas: every event applied once, positions and consumer exact",
      "no double application",
      correct ? "exact" : "mismatch (see the replica notes)",
      correct,
    );
  }
  const loadText = loads.length
    ? `load average (1 min) during the scenarios ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${os.cpus().length} cores`
    : "";
  const lines = [
    `### Ingestion — ${today()}`,
    "",
    `${machineLine()} ${loadText}. ` +
      `POST /ingest/wms/inventory on the embedded app in its own process, fresh store, ${skuCount} SKUs × ${locationCount} locations; generateHistory deltas only, ` +
      `${eventsPerScenario} events per throughput scenario, new event ids per scenario; after a ${WARMUP_EVENTS}-event warm-up. ` +
      `Throughput rows: p50/p99 = time to the HTTP response (per request or statement). Lag rows: p50/p99 = request start → the consumer ` +
      `"orders.stock-availability" committed the event (reported by the server process), open loop; events/s there is the offered rate achieved. ` +
      `Snapshot rows: p50 = time to the response, p99 = until the consumer had every event, in ms. ` +
      `events = events acknowledged PROCESSED; errors = non-2xx or failed requests plus events not PROCESSED.`,
    "",
    "**Targets (issue 12, item 4)**",
    "",
    "| target | required | measured | met |",
    "|---|---|---|---|",
    ...targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${t.met === null ? "–" : t.met ? "yes" : "**no**"} |`),
    "",
  ];
  for (const r of reports) {
    lines.push(
      `**${r.store}**`,
      "",
      "| scenario | events | events/s | p50 ms | p99 ms | errors | CPU ms/event: server, PostgreSQL |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...[...r.rows, ...r.snapshot, ...r.baseline].map(
        (x) =>
          `| ${x.scenario} | ${x.events} | ${rate(x.perSecond)} | ${ms(x.p50)} | ${ms(x.p99)} | ${x.errors} | ${x.appCpu === undefined ? "" : `${ms(x.appCpu ?? null)}, ${ms(x.postgresCpu ?? null)}`} |`,
      ),
      "",
      `What each guarantee costs (${r.store}, in the server process without HTTP, ${senders} workers; bench/ingest-ladder.ts):`,
      "",
      ...ladderTable(r.ladder),
      "",
      ...r.notes.map((n) => `- ${n}`),
      "",
    );
  }
  if (replicaResult) {
    const c = replicaResult.check;
    lines.push(
      "**Two operations-subgraph processes on one PostgreSQL** (real processes: `app/start-subgraph.ts operations` ×2, the consumer in an `orders` process; senders spread over the replicas; CPU from /proc)",
      "",
      "| replicas | scenario | events | events/s | app CPU ms/event | PostgreSQL CPU ms/event | errors |",
      "|---:|---|---:|---:|---:|---:|---:|",
      ...replicaResult.rows.map(
        (r) =>
          `| ${r.replicas} | ${r.scenario} | ${r.events} | ${rate(r.perSecond)} | ${ms(r.appCpuMsPerEvent)} | ${ms(r.postgresCpuMsPerEvent)} | ${r.errors} |`,
      ),
      "",
      `- Correctness after every replica scenario and the race: ${c.journalRows} journal rows for ${c.expectedJournalRows} expected (${c.appliedTwice} applied twice), ` +
        `${c.inventoryChanged} InventoryChanged events, ${c.handledByConsumer} handled by the consumer, ${c.positionsWrong} of ${c.positionsChecked} positions differing from the sum of what was sent, ` +
        `${c.duplicatesRecorded} repeats recorded as DUPLICATE.`,
      ...replicaResult.notes.map((n) => `- ${n}`),
      "",
    );
  }
  lines.push(...skipped, ...(skipped.length ? [""] : []));
  recordResults(lines);
  appendTargets([
    ...targets.map((t) => ({ item: "4", target: t.what, required: t.target, measured: t.measured, met: t.met })),
    // Item 8's ingestion figure: the same sends over 1 and 2 operations replicas (informational).
    ...(replicaResult?.rows ?? []).map((r) => ({
      item: "8",
      target: `ingestion, ${r.replicas} operations replica${r.replicas > 1 ? "s" : ""} on PostgreSQL: ${r.scenario}`,
      required: "measured",
      measured: `${rate(r.perSecond)} events/s, app CPU ${ms(r.appCpuMsPerEvent)} ms/event, PostgreSQL ${ms(r.postgresCpuMsPerEvent)} ms/event`,
      met: true,
    })),
  ]);
  console.log("\nTargets:");
  for (const t of targets) console.log(`  ${t.met === null ? "n/a    " : t.met ? "MET    " : "NOT MET"}  ${t.what}: ${t.measured} (${t.target})`);
  process.exit(0);
}

main().catch(async (err) => {
  console.error(err);
  await stopPostgres().catch(() => {});
  process.exit(1);
});
