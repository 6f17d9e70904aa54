// `npm run bench:orders`: order capture through HTTP, on each store, every figure from one run
// (one server process per store, the same fixture, measured one part after the other):
//   1. placeOrder (the gateway, a real GraphQL POST), BENCH_SENDERS senders in a closed loop,
//      BENCH_ORDERS one-line orders of 1 EA per scenario:
//      - contention: every order is for the same SKU (inventory allocates them one after another
//        on the same positions);
//      - spread: each order is for one of BENCH_SKUS SKUs.
//      Figures: placeOrder responses per second, latency p50/p99, and orders per second until every
//      order has left ACCEPTED (allocated by the inventory consumer, recorded by the orders consumer).
//   2. An X12 interchange of BENCH_850S 850s (3 lines of 1 EA each) in one POST /ingest/x12, and
//      the same orders through placeOrder with BENCH_SENDERS senders, for a ratio in the same run.
//      Figures: orders per second until every order is captured ACCEPTED (the interchange's one
//      request answered, every set processed; every placeOrder answered), and until allocated.
// Each order is ACCEPTED at capture (credit in-process, always approved). Appends one section to
// bench/RESULTS.md with the machine and the date.
//   BENCH_ORDERS (per placeOrder scenario, default 100), BENCH_850S (default 100),
//   BENCH_SENDERS (default 8), BENCH_SKUS (default 200)
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { findPostgresBin, startPostgres } from "../test/helpers/postgres-server.js";
import { x12 } from "../test/helpers/x12.js";
import { machineLine, recordResults, today } from "./report.js";

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number >= 1`);
  return v;
};
const ORDERS = int("BENCH_ORDERS", 100);
const X12_ORDERS = int("BENCH_850S", 100);
const SENDERS = int("BENCH_SENDERS", 8);
const SKUS = int("BENCH_SKUS", 200);
const X12_LINES = 3;
const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome order { id } } }`;
const skuName = (n: number) => `B-${String(n % SKUS).padStart(4, "0")}`;
const channelSku = (order: number, line: number) => skuName(order * 7919 + line * 104_729);

async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/orders-serve.ts"], {
    env: { ...process.env, ...env, BENCH_SKUS: String(SKUS) },
    stdio: ["ignore", "pipe", "inherit"],
  });
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
  let res: Response;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      break;
    } catch (err) {
      // A pooled connection the server closed while idle (keep-alive timeout) resets once; a fresh one works.
      if (attempt >= 3) throw err;
    }
  }
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Until no order of this customer is still waiting for its allocation. */
async function untilAllocated(url: string, customerId: string) {
  for (;;) {
    const d = await gql(url, `query($c: ID) { orders(filter: { customerId: $c, status: [ACCEPTED] }, first: 1) { totalCount } }`, { c: customerId });
    if (d.orders.totalCount === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `count` orders through placeOrder by `senders` closed-loop senders; lines(i) gives order i's lines. */
async function placeOrders(url: string, key: string, customerId: string, count: number, senders: number, lines: (i: number) => unknown[]) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        const d = await gql(url, PLACE, { i: { idempotencyKey: `${key}-${i}`, customerId, lines: lines(i) } }).catch(() => null);
        if (d?.placeOrder.outcome !== "ACCEPTED") errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const captured = performance.now() - started;
  await untilAllocated(url, customerId);
  return { count, captured, allocated: performance.now() - started, p50: pct(latencies, 50), p99: pct(latencies, 99), errors };
}

function interchange(run: string): string {
  return x12({
    sender: ["ZZ", "BENCHBUYER"],
    receiver: ["ZZ", "DISTGRAPH"],
    control: String(Date.now() % 1e9).padStart(9, "0"),
    groups: [
      {
        control: "1",
        functionalId: "PO",
        sets: Array.from({ length: X12_ORDERS }, (_, i) => ({
          id: "850",
          control: String(i + 1).padStart(4, "0"),
          segments: [
            `BEG*00*SA*${run}-PO-${i}**20261127`,
            ...Array.from({ length: X12_LINES }, (_, l) => `PO1*${l + 1}*1*EA*1.00*PE*VN*${channelSku(i, l)}`),
            `CTT*${X12_LINES}`,
          ],
        })),
      },
    ],
  });
}

async function viaInterchange(base: string, url: string, run: string) {
  const body = interchange(run);
  const started = performance.now();
  const res = await fetch(new URL("/ingest/x12", base), { method: "POST", body, headers: { "content-type": "application/edi-x12" } });
  const answer = (await res.json()) as { messages: { state: string }[] };
  const captured = performance.now() - started;
  const errors = answer.messages.filter((m) => m.state !== "PROCESSED").length + Math.max(0, X12_ORDERS - answer.messages.length);
  await untilAllocated(url, "CUST-edi");
  return { count: X12_ORDERS, captured, allocated: performance.now() - started, errors };
}

async function measure(store: string, env: Record<string, string>) {
  const { url, child } = await startServer(env);
  const base = url.replace(/\/graphql$/, "/");
  try {
    const run = Date.now().toString(36);
    const oneLine = (sku: (i: number) => string) => (i: number) => [{ sku: sku(i), quantity: 1 }];
    await placeOrders(url, `${run}-warm`, "CUST-warmup", Math.min(ORDERS, 50), SENDERS, oneLine(skuName)); // warm up the code paths
    const contention = await placeOrders(
      url,
      `${run}-c`,
      "CUST-contention",
      ORDERS,
      SENDERS,
      oneLine(() => skuName(0)),
    );
    const spread = await placeOrders(
      url,
      `${run}-s`,
      "CUST-spread",
      ORDERS,
      SENDERS,
      oneLine((i) => skuName(i * 7919)),
    );
    const edi = await viaInterchange(base, url, run);
    const api = await placeOrders(url, `${run}-api`, "CUST-api8", X12_ORDERS, SENDERS, (i) =>
      Array.from({ length: X12_LINES }, (_, l) => ({ lineNumber: l + 1, sku: channelSku(i, l), quantity: 1, unitPrice: "1.00" })),
    );
    return { store, contention, spread, edi, api };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const runStarted = performance.now();
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

const rate = (count: number, ms: number) => (count / ms) * 1000;
const lines = [
  "",
  `### Order capture: placeOrder (one SKU vs many) and an interchange of ${X12_ORDERS} 850s, one run — ${today()}`,
  "",
  `${machineLine()} \`npm run bench:orders\`, ${((performance.now() - runStarted) / 1000).toFixed(0)} s for both stores. The embedded app in its own process per store, credit check in-process, every order ACCEPTED at capture. placeOrder: ${SENDERS} senders, closed loop, ${ORDERS} one-line orders (1 EA) per scenario through the gateway over HTTP; contention: every order for one SKU; spread: ${SKUS} SKUs. Interchange: one POST /ingest/x12 of ${X12_ORDERS} 850s of ${X12_LINES} lines (1 EA each), against the same ${X12_ORDERS} orders through placeOrder with ${SENDERS} senders. "To ACCEPTED": orders per second until every order is captured (every request answered); "allocated": until every order has left ACCEPTED (inventory consumer + orders consumer).`,
  "",
];
for (const r of reports) {
  lines.push(
    `**${r.store}**`,
    "",
    "| part | orders | to ACCEPTED orders/s | p50 ms | p99 ms | allocated orders/s | errors |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...(
      [
        ["placeOrder, contention (1 SKU)", r.contention],
        [`placeOrder, spread (${SKUS} SKUs)`, r.spread],
      ] as const
    ).map(
      ([name, x]) =>
        `| ${name} | ${x.count} | ${rate(x.count, x.captured).toFixed(1)} | ${x.p50.toFixed(1)} | ${x.p99.toFixed(1)} | ${rate(x.count, x.allocated).toFixed(1)} | ${x.errors} |`,
    ),
    `| X12: one interchange of ${X12_ORDERS} 850s | ${r.edi.count} | ${rate(r.edi.count, r.edi.captured).toFixed(1)} | – | – | ${rate(r.edi.count, r.edi.allocated).toFixed(1)} | ${r.edi.errors} |`,
    `| the same orders by placeOrder, ${SENDERS} senders | ${r.api.count} | ${rate(r.api.count, r.api.captured).toFixed(1)} | ${r.api.p50.toFixed(1)} | ${r.api.p99.toFixed(1)} | ${rate(r.api.count, r.api.allocated).toFixed(1)} | ${r.api.errors} |`,
    "",
    `- Contention / spread: placeOrder/s ${(r.spread.captured / r.contention.captured).toFixed(2)}, p99 ${(r.contention.p99 / r.spread.p99).toFixed(2)}, allocated orders/s ${(r.spread.allocated / r.contention.allocated).toFixed(2)}.`,
    `- Interchange / placeOrder (${SENDERS} senders), orders/s to ACCEPTED: ${(r.api.captured / r.edi.captured).toFixed(2)}; allocated: ${(r.api.allocated / r.edi.allocated).toFixed(2)}.`,
    "",
  );
}
recordResults(lines);
process.exit(0);
