// `npm run bench:subscription-rate`: the event rate one fast subscriber sustains without
// SUBSCRIBER_TOO_SLOW, with follow-up queries one per event (FOLLOW_UP_BATCH_SIZE=1, how every
// event was fetched before batching) and batched (the default), in one run on the same machine.
//   BENCH_RATE_STEPS (events/s offered, default "25,50,100,150,200,300"), BENCH_RATE_SECONDS (per
//   step, default 15), BENCH_BEFORE_DIR (optional: a checkout of earlier code whose bench/serve.ts
//   runs as a third variant, to check that batch size 1 stands for it).
//
// Per variant, the embedded app runs on PGlite in memory in its own process (bench/serve.ts); the
// variants take each step in turn, so they meet the same machine load. One
// client subscribes to inventoryChanged at one warehouse with the README's cross-subgraph
// selection and reads every event as it comes (a fast local client). Each step offers a steady
// rate of WMS receipts at that warehouse, posted every 100 ms in one request (open loop: the next
// request goes out on schedule whether or not the previous one was answered). A subscriber cut
// off with SUBSCRIBER_TOO_SLOW resubscribes at once with since: lastSequence, as a client should,
// so the count of cut-offs per step is what a dashboard would see. After each step the bench waits
// until the subscriber has caught up (or 60 s) before the next.
// Per step: committed = receipts acknowledged / step time; delivered = events the subscriber got
// during the step / step time; lag = receipt time - occurredAt (both this machine's clock), p99
// over the step; backlog = events committed but not delivered when the step ended. Server side
// (over IPC): follow-up queries and entities fetched, time inside them, the longest subscriber queue,
// and the server's CPU time per committed event (ingestion and delivery together: on a machine
// shared with other work, CPU time per event compares variants more steadily than wall-clock rates).
// "Sustained" = the highest offered rate with no cut-off and lag p99 within 2 s. A variant with
// nobody subscribed runs the same steps: its CPU per event (ingestion alone) is subtracted to give
// each variant's delivery cost per event, the figure least disturbed by neighbours on the machine.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { generateDemoData } from "../demo/generate.js";
import { machineLine, recordResults, today } from "./report.js";

const steps = (process.env.BENCH_RATE_STEPS ?? "25,50,100,150,200,300").split(",").map(Number);
const stepSeconds = Number(process.env.BENCH_RATE_SECONDS ?? 15);
const beforeDir = process.env.BENCH_BEFORE_DIR;
const QUERY = `subscription($since: String) { inventoryChanged(locationId: "LOC-WH-ATL", since: $since) { sequence occurredAt reason
  before { available } after { available }
  position { available product { sku description openDemand } location { name } } } }`;

interface Stats {
  followUps: number;
  cpuMs?: number;
  entities?: number;
  followUpMs?: number;
  maxBuffered?: number;
}

interface StepRow {
  offered: number;
  committed: number;
  delivered: number;
  cutOffs: number;
  lagP99: number;
  backlog: number;
  followUps: number;
  entities: number | null;
  msPerFollowUp: number | null;
  maxBuffered: number | null;
  cpuMsPerEvent: number | null;
}

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startServer(dir: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stats: () => Promise<Stats> }> {
  const child = fork(path.join(dir, "bench/serve.ts"), {
    cwd: dir,
    execArgv: ["--import", "tsx", ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/hgprof"] : [])],
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  const stats = () => new Promise<Stats>((resolve) => (child.once("message", resolve as never), child.send("stats")));
  return new Promise((resolve, reject) => {
    child.once("message", (m: { url: string }) => resolve({ child, url: m.url, stats }));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

interface Variant {
  label: string;
  step(rate: number): Promise<StepRow>;
  stop(): Promise<void>;
}

async function startVariant(label: string, dir: string, env: Record<string, string>, withSubscriber = true): Promise<Variant> {
  const demo = generateDemoData();
  const skus = demo.inventoryPositions
    .filter((p) => p.locationId === "LOC-WH-ATL")
    .map((p) => p.sku)
    .slice(0, 40);
  const server = await startServer(dir, env);
  const ingest = server.url.replace(/\/graphql$/, "/ingest/wms/inventory");
  const client: Client = createClient({ url: server.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
  let delivered = 0;
  let cutOffs = 0;
  let lastSequence: string | null = null;
  let lags: number[] = [];
  let unexpected = 0;
  const subscribe = () =>
    client.subscribe(
      { query: QUERY, variables: { since: lastSequence } },
      {
        next: (r: any) => {
          const e = r.data?.inventoryChanged;
          if (r.errors?.some((x: any) => x.extensions?.code === "SUBSCRIBER_TOO_SLOW")) {
            cutOffs++;
            lastSequence = r.errors[0].extensions.lastSequence ?? lastSequence;
            return;
          }
          if (!e) return void (unexpected++ < 3 && console.error(`${label}: unexpected result`, JSON.stringify(r).slice(0, 400)));
          delivered++;
          lastSequence = e.sequence;
          lags.push(Date.now() - Date.parse(e.occurredAt));
        },
        error: (err) => console.error(`${label}: subscription error`, err),
        // Completed after SUBSCRIBER_TOO_SLOW: resume where it stopped.
        complete: () => void subscribe(),
      },
    );
  if (withSubscriber) {
    subscribe();
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
      if (((await server.stats()) as Stats & { listeners: number }).listeners >= 1) break;
    }
  }

  let eventNo = 0;
  let committed = 0;
  return {
    label,
    async step(rate) {
      const before = await server.stats();
      const deliveredBefore = delivered;
      const committedBefore = committed;
      const cutOffsBefore = cutOffs;
      lags = [];
      const perTick = rate / 10;
      let carry = 0;
      const started = Date.now();
      const inFlight: Promise<void>[] = [];
      for (let tick = 0; tick < stepSeconds * 10; tick++) {
        carry += perTick;
        const n = Math.floor(carry);
        carry -= n;
        if (n > 0) {
          const now = new Date().toISOString();
          const events = Array.from({ length: n }, () => ({
            eventId: `rate-${label}-${eventNo++}`,
            type: "RECEIPT",
            sku: skus[eventNo % skus.length],
            location: "WH-ATL",
            quantity: 1,
            occurredAt: now,
          }));
          inFlight.push(
            fetch(ingest, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(events) }).then(async (res) => {
              await res.arrayBuffer();
              if (res.ok) committed += n;
            }),
          );
        }
        await sleep(Math.max(0, started + (tick + 1) * 100 - Date.now()));
      }
      const elapsed = (Date.now() - started) / 1000;
      const deliveredInStep = delivered - deliveredBefore;
      const backlog = committed - delivered;
      const stepLags = lags;
      await Promise.all(inFlight);
      const committedInStep = committed - committedBefore;
      // Let the subscriber catch up before the next step.
      for (const deadline = Date.now() + 60_000; withSubscriber && delivered < committed && Date.now() < deadline;) await sleep(100);
      const after = await server.stats();
      const followUps = after.followUps - before.followUps;
      const row: StepRow = {
        offered: rate,
        committed: committedInStep / elapsed,
        delivered: deliveredInStep / elapsed,
        cutOffs: cutOffs - cutOffsBefore,
        lagP99: percentile(stepLags, 99),
        backlog,
        followUps,
        entities: after.entities === undefined ? null : after.entities - (before.entities ?? 0),
        msPerFollowUp: after.followUpMs === undefined || !followUps ? null : (after.followUpMs - (before.followUpMs ?? 0)) / followUps,
        maxBuffered: after.maxBuffered ?? null,
        cpuMsPerEvent: after.cpuMs === undefined || !committedInStep ? null : (after.cpuMs - before.cpuMs!) / committedInStep,
      };
      console.log(label, JSON.stringify(row));
      return row;
    },
    async stop() {
      await client.dispose();
      server.child.send("stop");
      await new Promise((r) => server.child.once("exit", r));
    },
  };
}

/** Keeping up: no cut-off, and 99% of events delivered within 2 s of being sent. */
const SUSTAINED_LAG_MS = 2000;
const sustained = (rows: StepRow[]) => {
  let best = 0;
  for (const r of rows) if (r.cutOffs === 0 && r.lagP99 <= SUSTAINED_LAG_MS) best = r.offered;
  return best;
};

const fmt = (n: number | null, digits = 0) => (n === null || Number.isNaN(n) ? "–" : n.toFixed(digits));

async function main() {
  const here = path.resolve(import.meta.dirname, "..");
  const variants: [string, string, Record<string, string>][] = [
    ["one follow-up per event (FOLLOW_UP_BATCH_SIZE=1)", here, { FOLLOW_UP_BATCH_SIZE: "1" }],
    ["batched follow-ups (default, FOLLOW_UP_BATCH_SIZE=50)", here, {}],
  ];
  if (beforeDir) variants.unshift([`earlier code (${path.basename(beforeDir)})`, path.resolve(beforeDir), {}]);
  // Ingestion alone, nobody subscribed: its CPU per event is subtracted to get each variant's
  // delivery cost per event.
  const baseline = await startVariant("no subscriber", here, {}, false);
  // Every variant's server runs throughout; each step is run on one variant after the other, so
  // all of them meet the same machine (this one has neighbours whose load drifts).
  const running: Variant[] = [];
  for (const [label, dir, env] of variants) running.push(await startVariant(label, dir, env));
  const results: [string, StepRow[]][] = running.map((v) => [v.label, []]);
  const baselineRows: StepRow[] = [];
  try {
    for (const rate of steps) {
      baselineRows.push(await baseline.step(rate));
      for (const [i, v] of running.entries()) results[i][1].push(await v.step(rate));
    }
  } finally {
    for (const v of [baseline, ...running]) await v.stop();
  }

  const lines = [
    `### Subscription event rate — ${today()}`,
    "",
    `${machineLine()} Embedded app on PGlite in memory (own process), one fast local subscriber (inventoryChanged at WH-ATL, the README's cross-subgraph selection), ` +
      `WMS receipts offered at a steady rate for ${stepSeconds} s per step (one POST every 100 ms); the variants take each step in turn. Cut-offs: SUBSCRIBER_TOO_SLOW during the step (the client resumes with since). ` +
      `Lag: receipt at the client minus the event's occurredAt (the send time). Backlog: events acknowledged but not yet delivered at the end of the step. Follow-ups: queries executed during the step and its catch-up, ms each on average. ` +
      `Server CPU ms/event: the server process's CPU time over the step and its catch-up per committed event, ingestion included; "delivery" subtracts the same step's figure with nobody subscribed. ` +
      `Sustained: the highest offered rate with no cut-off and lag p99 within ${SUSTAINED_LAG_MS / 1000} s.`,
    "",
    `**no subscriber (ingestion only)**: server CPU ms/event ${baselineRows.map((r) => `${r.offered}/s: ${fmt(r.cpuMsPerEvent, 1)}`).join(", ")}`,
    "",
  ];
  for (const [label, rows] of results) {
    lines.push(`**${label}**: sustained ${sustained(rows)} events/s`, "");
    lines.push(
      "| offered/s | committed/s | delivered/s | cut-offs | backlog | lag p99 ms | follow-ups | entities | ms per follow-up | longest queue | server CPU ms/event | delivery CPU ms/event |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const [i, r] of rows.entries()) {
      const base = baselineRows[i]?.cpuMsPerEvent;
      const delivery = r.cpuMsPerEvent === null || base === null || base === undefined ? null : r.cpuMsPerEvent - base;
      lines.push(
        `| ${r.offered} | ${fmt(r.committed)} | ${fmt(r.delivered)} | ${r.cutOffs} | ${r.backlog} | ${fmt(r.lagP99)} | ${r.followUps} | ${fmt(r.entities)} | ${fmt(r.msPerFollowUp, 1)} | ${fmt(r.maxBuffered)} | ${fmt(r.cpuMsPerEvent, 1)} | ${fmt(delivery, 1)} |`,
      );
    }
    lines.push("");
  }
  const [base, batched] = [results.at(-2)!, results.at(-1)!];
  const ratio = sustained(base[1]) ? (sustained(batched[1]) / sustained(base[1])).toFixed(1) : "∞";
  lines.push(`Ratio (sustained rate, batched / one per event): ${ratio}.`, "");
  recordResults(lines);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
