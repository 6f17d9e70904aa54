// `npm run bench:order-channels`: an X12 interchange of 100 850s posted to /ingest/x12, against
// the same 100 orders through placeOrder, on each store, in one run (the server of bench:orders,
// in its own process). Each order has 3 lines of 1 EA over BENCH_SKUS SKUs, ACCEPTED at capture.
// Figures: orders per second until every order is captured ACCEPTED (the interchange: its one
// request answered, every set processed; placeOrder: every call answered, with 1 sender and with
// 8), and until every order has left ACCEPTED (allocated by the consumers).
//   BENCH_ORDERS (default 100), BENCH_SKUS (default 200)
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
const SKUS = int("BENCH_SKUS", 200);
const LINES = 3;
const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { outcome } }`;
const skuOf = (order: number, line: number) => `B-${String((order * 7919 + line * 104_729) % SKUS).padStart(4, "0")}`;

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

async function untilAllocated(url: string, customerId: string) {
  for (;;) {
    const d = await gql(url, `query($c: ID) { orders(filter: { customerId: $c, status: [ACCEPTED] }, first: 1) { totalCount } }`, { c: customerId });
    if (d.orders.totalCount === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
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
        sets: Array.from({ length: ORDERS }, (_, i) => ({
          id: "850",
          control: String(i + 1).padStart(4, "0"),
          segments: [`BEG*00*SA*${run}-PO-${i}**20261127`, ...Array.from({ length: LINES }, (_, l) => `PO1*${l + 1}*1*EA*1.00*PE*VN*${skuOf(i, l)}`), `CTT*${LINES}`],
        })),
      },
    ],
  });
}

async function viaX12(base: string, url: string, run: string) {
  const body = interchange(run);
  const started = performance.now();
  const res = await fetch(new URL("/ingest/x12", base), { method: "POST", body, headers: { "content-type": "application/edi-x12" } });
  const answer = (await res.json()) as { messages: { state: string }[] };
  const captured = performance.now() - started;
  const errors = answer.messages.filter((m) => m.state !== "PROCESSED").length;
  await untilAllocated(url, "CUST-edi");
  return { name: `X12: one interchange of ${ORDERS} 850s`, captured, allocated: performance.now() - started, errors };
}

async function viaPlaceOrder(url: string, run: string, senders: number, customerId: string) {
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let i = next++; i < ORDERS; i = next++) {
        const lines = Array.from({ length: LINES }, (_, l) => ({ lineNumber: l + 1, sku: skuOf(i, l), quantity: 1, unitPrice: "1.00" }));
        const d = await gql(url, PLACE, { i: { idempotencyKey: `${run}-${i}`, customerId, lines } }).catch(() => null);
        if (d?.placeOrder.outcome !== "ACCEPTED") errors++;
      }
    }),
  );
  const captured = performance.now() - started;
  await untilAllocated(url, customerId);
  return { name: `placeOrder, ${senders} sender${senders > 1 ? "s" : ""}`, captured, allocated: performance.now() - started, errors };
}

async function measure(store: string, env: Record<string, string>) {
  const { url, child } = await startServer(env);
  const base = url.replace(/\/graphql$/, "/");
  try {
    const run = Date.now().toString(36);
    await viaPlaceOrder(url, `${run}-warm`, 4, "CUST-warmup"); // warm up the code paths
    const rows = [await viaX12(base, url, run), await viaPlaceOrder(url, `${run}-1`, 1, "CUST-api1"), await viaPlaceOrder(url, `${run}-8`, 8, "CUST-api8")];
    return { store, rows };
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
    await admin.query("CREATE DATABASE bench_channels");
    await admin.end();
    reports.push(await measure("PostgreSQL server", { DATABASE_URL: server.url("bench_channels") }));
  } finally {
    await server.stop();
  }
}

const rate = (ms: number) => (ORDERS / ms) * 1000;
const lines = [
  "",
  `### Order channels: an interchange of ${ORDERS} 850s vs placeOrder — ${today()}`,
  "",
  `${machineLine()} The bench:orders server in its own process; ${ORDERS} orders of ${LINES} lines (1 EA each, ${SKUS} SKUs) per row, credit check in-process. "Captured": orders per second until every order is ACCEPTED (the interchange's one request answered; every placeOrder answered). "Allocated": until every order has left ACCEPTED.`,
  "",
];
for (const r of reports) {
  lines.push(`**${r.store}**`, "", "| how | orders | captured (ACCEPTED) orders/s | allocated orders/s | errors |", "|---|---:|---:|---:|---:|");
  for (const row of r.rows) lines.push(`| ${row.name} | ${ORDERS} | ${rate(row.captured).toFixed(1)} | ${rate(row.allocated).toFixed(1)} | ${row.errors} |`);
  const [edi, one, eight] = r.rows;
  lines.push("", `- Ratios, captured orders/s: interchange / placeOrder with 1 sender ${(one.captured / edi.captured).toFixed(2)}, with 8 senders ${(eight.captured / edi.captured).toFixed(2)}.`, "");
}
recordResults(lines);
process.exit(0);
