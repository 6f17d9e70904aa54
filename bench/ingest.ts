// `npm run bench:ingest`: inventory ingestion through HTTP (POST /ingest/wms/inventory) on each
// store, measured in one run, and what the pipeline's guarantees cost against plain INSERTs of
// the same number of rows on the same store. Appends the figures to bench/RESULTS.md.
//   BENCH_EVENTS (per throughput scenario, default 5000), BENCH_SENDERS (concurrent senders, default 4),
//   BENCH_LAG_EVENTS (default 300), BENCH_LAG_RATE (events/s offered in the lag scenario; default
//   50, or half the store's measured single-event throughput if that is lower, so the lag scenario
//   measures lag rather than a queue building up)
//
// Per store (PGlite in memory; a throwaway PostgreSQL server if its binaries are installed) the
// server runs in a child process (bench/ingest-serve.ts) with the app's consumers, and:
//   1. throughput: single-event POSTs, then arrays of 100 events, from BENCH_SENDERS senders that
//      each send their next request when the previous one is answered;
//   2. lag: BENCH_LAG_EVENTS single events sent at a steady pace (open loop: a request goes out on
//      schedule whether or not earlier ones are answered); lag = the time the consumer
//      "orders.stock-availability" committed the event's InventoryChanged (reported by the child
//      over IPC, see bench/ingest-serve.ts) minus the time the request started, both Date.now();
//      a MOVE makes two InventoryChanged events and counts when the later one is handled;
//   3. baseline: plain INSERTs of BENCH_EVENTS rows into a scratch table with the columns and
//      indexes of inventory."StockMovement", one row per statement and 100 rows per statement.
// Events come from generateHistory (deltas only), one seed per scenario, so no event is a duplicate.
// Between scenarios the bench waits for the consumer to catch up, so one scenario's backlog does
// not slow the next.
import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { generateHistory, type HistoryEvent } from "../test/helpers/stock-history.js";
import { fixtureLocations, fixtureSkus, locationIdOf } from "../test/helpers/stock-fixture.js";
import { findPostgresBin, startPostgres, type PostgresServer } from "../test/helpers/postgres-server.js";
import type { BaselineRow, FromServer, ToServer } from "./ingest-serve.js";
import { machineLine, recordResults, today } from "./report.js";

const positiveInt = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number >= 1, got "${process.env[name]}"`);
  return v;
};
const eventsPerScenario = positiveInt("BENCH_EVENTS", 5000);
const senders = positiveInt("BENCH_SENDERS", 4);
const lagEvents = positiveInt("BENCH_LAG_EVENTS", 300);
const lagRateGiven = process.env.BENCH_LAG_RATE ? positiveInt("BENCH_LAG_RATE", 50) : null;
const BATCH = 100;
const WARMUP_EVENTS = 200;
/** How long the consumer may take to catch up after a scenario before the bench gives up waiting. */
const CATCH_UP_TIMEOUT_MS = 120_000;

interface Row {
  scenario: string;
  events: number;
  perSecond: number;
  p50: number | null;
  p99: number | null;
  errors: number;
}

interface StoreReport {
  store: string;
  rows: Row[];
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// The child process and its IPC.

class Server {
  /** sourceEventId -> handledAt of each InventoryChanged the consumer committed (a MOVE has two). */
  readonly handled = new Map<string, number[]>();
  private waiters = new Map<number, (m: FromServer) => void>();
  private nextId = 1;
  private exitPromise: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly ingestUrl: string,
  ) {
    this.exitPromise = new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    child.on("message", (m: FromServer) => {
      if (m.type === "handled") for (const [id, at] of m.items) this.handled.set(id, [...(this.handled.get(id) ?? []), at]);
      else if ("id" in m) this.waiters.get(m.id)?.(m);
    });
    child.once("exit", (code, signal) => {
      for (const w of this.waiters.values()) w({ type: "error", id: 0, error: `server process exited (${code ?? signal})` });
    });
  }

  static async start(env: Record<string, string>): Promise<Server> {
    const child = fork(new URL("./ingest-serve.ts", import.meta.url), { execArgv: ["--import", "tsx"], stdio: "inherit", env: { ...process.env, ...env } });
    const ingestUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("server process did not start in 120 s")), 120_000);
      child.on("message", (m: FromServer) => m.type === "ready" && (clearTimeout(timer), resolve(m.ingestUrl)));
      child.once("exit", (code, signal) => (clearTimeout(timer), reject(new Error(`server process exited (${code ?? signal}) before it was ready`))));
    }).catch(async (err) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      throw err;
    });
    return new Server(child, ingestUrl);
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
   * Waits until every successfully sent event has all its InventoryChanged events handled.
   * Returns the time the last of them was handled (Date.now() clock), or null on timeout.
   */
  async caughtUp(expected: Map<string, number>): Promise<{ lastHandledAt: number | null; missing: number }> {
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      let missing = 0;
      let last = 0;
      for (const [id, n] of expected) {
        const at = this.handled.get(id) ?? [];
        if (at.length < n) missing++;
        else last = Math.max(last, ...at);
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

/** "HTTP 500, FAILED at APPLY: Raw query failed. Code: `40P01`. Message: `deadlock detected`" */
const describe = (status: number, m: MessageView | undefined) =>
  `HTTP ${status}, ${m?.state ?? "no state"}${m?.failedStep ? ` at ${m.failedStep}` : ""}${m?.error ? `: ${m.error.trim().split("\n").at(-1)!.trim().slice(0, 200)}` : ""}`;

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

async function post(url: string, events: HistoryEvent[], into: SendResult) {
  const body = JSON.stringify(events.length === 1 ? events[0] : events);
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
      into.errors += 1;
      count(into.problems, json ? describe(res.status, json.messages?.find((m) => m.state !== "PROCESSED") ?? json) : `HTTP ${res.status}: ${text.slice(0, 200)}`);
      return;
    }
    const views = events.length === 1 ? [json ?? undefined] : (json?.messages ?? []);
    events.forEach((e, i) => {
      if (views[i]?.state === "PROCESSED") into.ok.push(e.eventId);
      else {
        into.errors += 1;
        count(into.problems, `event in a ${describe(res.status, views[i])}`);
      }
    });
  } catch (err) {
    into.lastEnd = Math.max(into.lastEnd, performance.now());
    into.errors += 1;
    count(into.problems, `request failed: ${(err as Error).message}`);
  }
}

/** Closed loop: `senders` workers, each sending its next request when the previous one is answered. */
async function sendConcurrently(url: string, requests: HistoryEvent[][], workers: number): Promise<SendResult> {
  const result = newResult();
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < requests.length) await post(url, requests[next++], result);
    }),
  );
  return result;
}

/** Open loop: one single-event request every 1000/rate ms, not waiting for earlier answers. */
async function sendPaced(url: string, events: HistoryEvent[], rate: number): Promise<SendResult> {
  const result = newResult();
  const interval = 1000 / rate;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < events.length; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(post(url, [events[i]], result));
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

// Deltas only (countShare 0) on the fixture's 5 SKUs x 3 locations; each scenario its own seed
// (event ids are h-<seed>-<i>) and its own stretch of time.
let seed = 100;
const history = (events: number) => {
  seed += 1;
  return generateHistory({ events, skus: fixtureSkus, locations: fixtureLocations, countShare: 0, seed, start: new Date(Date.UTC(2026, 10, 1) + seed * 86_400_000) });
};

const MOVEMENT: Record<HistoryEvent["type"], BaselineRow["kind"]> = { RECEIPT: "RECEIPT", PICK: "PICK", ADJUSTMENT: "ADJUSTMENT", MOVE: "MOVE_OUT", COUNT: "ADJUSTMENT" };
const SIGN: Record<HistoryEvent["type"], number> = { RECEIPT: 1, PICK: -1, ADJUSTMENT: 1, MOVE: -1, COUNT: 1 };
const baselineRows = (events: HistoryEvent[], prefix: string): BaselineRow[] =>
  events.map((e) => ({
    sku: e.sku,
    locationId: locationIdOf(e.location),
    kind: MOVEMENT[e.type],
    quantity: SIGN[e.type] * e.quantity,
    occurredAt: e.occurredAt,
    sourceEventId: `${prefix}:${e.eventId}`,
  }));

const ms = (v: number | null) => (v === null ? "–" : v < 10 ? v.toFixed(1) : v.toFixed(0));

// ---------------------------------------------------------------------------------------------
// One store.

async function benchStore(store: string, env: Record<string, string>): Promise<StoreReport> {
  console.log(`\n${store}: starting the server process…`);
  const server = await Server.start(env);
  const rows: Row[] = [];
  const notes: string[] = [];
  const problems = new Map<string, number>();
  const addProblems = (label: string, from: Map<string, number>) => {
    for (const [p, n] of from) problems.set(`${label}: ${p}`, (problems.get(`${label}: ${p}`) ?? 0) + n);
  };
  try {
    const deadlocks = async () => (await server.request<"stats">({ type: "stats", id: server.id() })).deadlocks;

    // Warm-up (JIT, prepared paths, connection pool), not reported.
    const warm = history(WARMUP_EVENTS);
    const w1 = await sendConcurrently(server.ingestUrl, chunks(warm.slice(0, WARMUP_EVENTS / 2), 1), senders);
    const w2 = await sendConcurrently(server.ingestUrl, chunks(warm.slice(WARMUP_EVENTS / 2), BATCH / 2), senders);
    await server.caughtUp(expectedChanges(warm, [...w1.ok, ...w2.ok]));

    const throughput = async (label: string, perRequest: number) => {
      const events = history(eventsPerScenario);
      const deadlocksBefore = await deadlocks();
      console.log(`${store}: ${label}…`);
      const r = await sendConcurrently(server.ingestUrl, chunks(events, perRequest), senders);
      const seconds = (r.lastEnd - r.firstStart) / 1000;
      const caught = await server.caughtUp(expectedChanges(events, r.ok));
      const deadlocksAfter = await deadlocks();
      rows.push({ scenario: label, events: r.ok.length, perSecond: r.ok.length / seconds, p50: percentile(r.latenciesMs, 0.5), p99: percentile(r.latenciesMs, 0.99), errors: r.errors });
      addProblems(label, r.problems);
      const endWall = Date.now() - (performance.now() - r.lastEnd);
      const startWall = Date.now() - (performance.now() - r.firstStart);
      notes.push(
        caught.lastHandledAt === null
          ? `${label}: the consumer had not handled ${caught.missing} events ${CATCH_UP_TIMEOUT_MS / 1000} s after the last response.`
          : `${label}: consumer done ${Math.max(0, caught.lastHandledAt - endWall).toFixed(0)} ms after the last response ` +
              `(${(r.ok.length / ((caught.lastHandledAt - startWall) / 1000)).toFixed(0)} events/s end to end).`,
      );
      if (deadlocksBefore !== null && deadlocksAfter !== null && deadlocksAfter > deadlocksBefore)
        notes.push(`${label}: PostgreSQL detected ${deadlocksAfter - deadlocksBefore} deadlocks (pg_stat_database).`);
      return r.ok.length / seconds;
    };
    const single = await throughput(`ingest: 1 event per POST, ${senders} senders`, 1);
    const batched = await throughput(`ingest: ${BATCH} events per POST, ${senders} senders`, BATCH);

    // Lag at a steady, lower rate.
    const lagRate = lagRateGiven ?? Math.max(1, Math.min(50, Math.floor(single / 2)));
    const lagLabel = `lag: ${lagEvents} single events at ${lagRate}/s, request start → consumer committed`;
    console.log(`${store}: ${lagLabel}…`);
    const lagHistory = history(lagEvents);
    const lr = await sendPaced(server.ingestUrl, lagHistory, lagRate);
    const caught = await server.caughtUp(expectedChanges(lagHistory, lr.ok));
    const lags = lr.ok.flatMap((id) => {
      const at = server.handled.get(id);
      return at?.length ? [Math.max(...at) - lr.sentAt.get(id)!] : [];
    });
    rows.push({ scenario: lagLabel, events: lr.ok.length, perSecond: lr.ok.length / ((lr.lastEnd - lr.firstStart) / 1000), p50: percentile(lags, 0.5), p99: percentile(lags, 0.99), errors: lr.errors });
    addProblems("lag", lr.problems);
    notes.push(
      `lag scenario: HTTP response p50 ${ms(percentile(lr.latenciesMs, 0.5))} ms, p99 ${ms(percentile(lr.latenciesMs, 0.99))} ms; ` +
        `max lag ${ms(lags.length ? Math.max(...lags) : null)} ms` +
        (caught.missing ? `; ${caught.missing} events never handled (left out)` : "") +
        ".",
    );

    // Baseline: the same number of rows with plain INSERTs, same store, same client and driver.
    const plain = async (label: string, rowsPerStatement: number, prefix: string) => {
      console.log(`${store}: ${label}…`);
      const b = await server.request<"baseline">({ type: "baseline", id: server.id(), rows: baselineRows(history(eventsPerScenario), prefix), rowsPerStatement, workers: senders });
      rows.push({ scenario: label, events: b.rows, perSecond: b.rows / b.seconds, p50: percentile(b.latenciesMs, 0.5), p99: percentile(b.latenciesMs, 0.99), errors: 0 });
      return b.rows / b.seconds;
    };
    const plainSingle = await plain(`plain INSERT: 1 row per statement, ${senders} workers`, 1, "one");
    const plainBatched = await plain(`plain INSERT: ${BATCH} rows per statement, ${senders} workers`, BATCH, "multi");

    notes.unshift(
      `Ratios (events/s): batched/single ${(batched / single).toFixed(2)}; pipeline/plain INSERT: single vs 1 row per statement ${(single / plainSingle).toFixed(3)}, ` +
        `batched vs ${BATCH} rows per statement ${(batched / plainBatched).toFixed(3)}.`,
    );
    for (const [p, n] of problems) {
      console.error(`${store}: ${n} × ${p}`);
      notes.push(`Errors: ${n} × ${p.replace(/\|/g, "/").replace(/\s+/g, " ")}`);
    }
  } finally {
    await server.stop();
  }
  return { store, rows, notes };
}

// ---------------------------------------------------------------------------------------------

let postgres: { server: PostgresServer; url: string } | null = null;

/** Stops the PostgreSQL server this run started (bounded: a hung stop must not hang the bench). */
async function stopPostgres() {
  if (!postgres) return;
  const { server } = postgres;
  postgres = null;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), 60_000)));
  if ((await Promise.race([server.stop(), timedOut])) === "timeout") console.error("PostgreSQL server did not stop within 60 s");
  clearTimeout(timer);
}

async function main() {
  const reports: StoreReport[] = [];
  const skipped: string[] = [];
  reports.push(await benchStore("PGlite in memory", {}));
  const bin = findPostgresBin();
  if (!bin) {
    const note = "PostgreSQL server: skipped, no binaries found (findPostgresBin: PG_BIN or /usr/lib/postgresql/*/bin).";
    console.log(note);
    skipped.push(note);
  } else {
    const server = await startPostgres(bin);
    postgres = { server, url: server.url("postgres") };
    // The app's own pool (max 10) plus the listener; fsync off, as startPostgres sets it up.
    reports.push(await benchStore("PostgreSQL server", { DATABASE_URL: postgres.url }));
    await stopPostgres();
  }

  const lines = [
    `### Ingestion — ${today()}`,
    "",
    `${machineLine()} ` +
      `POST /ingest/wms/inventory on the embedded app in its own process, fresh store, 5 SKUs × 3 locations; generateHistory deltas only, ` +
      `${eventsPerScenario} events per throughput scenario, new event ids per scenario; after a ${WARMUP_EVENTS}-event warm-up. ` +
      `Throughput rows: p50/p99 = time to the HTTP response (per request or statement). Lag row: p50/p99 = request start → the consumer ` +
      `"orders.stock-availability" committed the event (reported by the server process); events/s there is the offered rate achieved. ` +
      `events = events acknowledged PROCESSED; errors = non-2xx or failed requests plus events not PROCESSED.`,
    "",
  ];
  for (const r of reports) {
    lines.push(
      `**${r.store}**`,
      "",
      "| scenario | events | events/s | p50 ms | p99 ms | errors |",
      "|---|---:|---:|---:|---:|---:|",
      ...r.rows.map((x) => `| ${x.scenario} | ${x.events} | ${x.perSecond.toFixed(0)} | ${ms(x.p50)} | ${ms(x.p99)} | ${x.errors} |`),
      "",
      ...r.notes.map((n) => `- ${n}`),
      "",
    );
  }
  lines.push(...skipped, ...(skipped.length ? [""] : []));
  recordResults(lines);
  process.exit(0);
}

main().catch(async (err) => {
  console.error(err);
  await stopPostgres().catch(() => {});
  process.exit(1);
});
