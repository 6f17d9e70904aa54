// `npm run bench:orders`: placeOrder through HTTP (the gateway, a real GraphQL POST), on each
// store, in one run. Two scenarios with the same number of orders and senders:
//   - contention: every order is for the same SKU (inventory allocates them one after another
//     on the same positions);
//   - spread: each order is for one of BENCH_SKUS SKUs, at random.
// Each order is one line of 1 EA, ACCEPTED at capture (credit in-process, always approved). Figures:
// placeOrder responses per second and latency p50/p99 (closed loop: each sender sends its next
// order when the previous one is answered), and orders per second until every order has left
// ACCEPTED (allocated by the inventory consumer and recorded by the orders consumer).
//   BENCH_ORDERS (per scenario, default 1000), BENCH_SENDERS (default 8), BENCH_SKUS (default 200)
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { findPostgresBin, startPostgres } from "../test/helpers/postgres-server.js";
import { machineLine, recordResults, today } from "./report.js";

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number >= 1`);
  return v;
};
const ORDERS = int("BENCH_ORDERS", 1000);
const SENDERS = int("BENCH_SENDERS", 8);
const SKUS = int("BENCH_SKUS", 200);
const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome order { id } } }`;

async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/orders-serve.ts"], { env: { ...process.env, ...env, BENCH_SKUS: String(SKUS) }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { url, child };
}

async function gql(url: string, query: string, variables?: unknown) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function scenario(url: string, name: string, skuOf: (i: number) => string, run: string) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const ids: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let i = next++; i < ORDERS; i = next++) {
        const t0 = performance.now();
        try {
          const d = await gql(url, PLACE, { i: { idempotencyKey: `${run}-${name}-${i}`, customerId: `CUST-${name}`, lines: [{ sku: skuOf(i), quantity: 1 }] } });
          if (d.placeOrder.outcome !== "ACCEPTED") errors++;
          else ids.push(d.placeOrder.order.id);
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const captured = performance.now() - started;
  // End to end: until no order of this scenario is still waiting for its allocation.
  for (;;) {
    const d = await gql(url, `query($s: [OrderStatus!], $c: ID) { orders(filter: { customerId: $c, status: $s }, first: 1) { totalCount } }`, { s: ["ACCEPTED"], c: `CUST-${name}` });
    if (d.orders.totalCount === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const allocated = performance.now() - started;
  return { name, orders: ORDERS, perSecond: (ORDERS / captured) * 1000, p50: pct(latencies, 50), p99: pct(latencies, 99), endToEnd: (ORDERS / allocated) * 1000, errors };
}

async function measure(store: string, env: Record<string, string>) {
  const { url, child } = await startServer(env);
  try {
    const run = Date.now().toString(36);
    await scenario(url, "warmup", (i) => `B-${String(i % SKUS).padStart(4, "0")}`, `${run}w`);
    const contention = await scenario(url, "contention", () => "B-0000", run);
    const spread = await scenario(url, "spread", (i) => `B-${String((i * 7919) % SKUS).padStart(4, "0")}`, run);
    return { store, rows: [contention, spread] };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const reports = [await measure("PGlite (in memory)", {})];
const bin = findPostgresBin();
if (bin) {
  const server = await startPostgres(bin);
  try {
    const admin = new pg.Client({ connectionString: server.url("postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE bench_orders");
    await admin.end();
    reports.push(await measure("PostgreSQL server", { DATABASE_URL: server.url("bench_orders") }));
  } finally {
    await server.stop();
  }
}

const lines = [
  "",
  `### placeOrder — ${today()}`,
  "",
  `${machineLine()} Embedded app in its own process; ${SENDERS} senders, closed loop, ${ORDERS} one-line orders per scenario through the gateway over HTTP; credit check in-process. "End to end": orders per second until every order is ALLOCATED (inventory consumer + orders consumer). Contention: every order for one SKU; spread: ${SKUS} SKUs.`,
  "",
];
for (const r of reports) {
  lines.push(`**${r.store}**`, "", "| scenario | orders | placeOrder/s | p50 ms | p99 ms | allocated orders/s end to end | errors |", "|---|---:|---:|---:|---:|---:|---:|");
  for (const row of r.rows) lines.push(`| ${row.name} | ${row.orders} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.endToEnd.toFixed(0)} | ${row.errors} |`);
  const [c, s] = r.rows;
  lines.push("", `- Ratios contention/spread: placeOrder/s ${(c.perSecond / s.perSecond).toFixed(2)}, p99 ${(c.p99 / s.p99).toFixed(2)}, end to end ${(c.endToEnd / s.endToEnd).toFixed(2)}.`, "");
}
recordResults(lines);
process.exit(0);
