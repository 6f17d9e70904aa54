// `npm run bench:fulfillment`: order to cash end to end, on each store. One X12 interchange of
// BENCH_ORDERS 850s (3 lines of 1 EA each) is posted to /ingest/x12; every order goes through
// capture, allocation, release (a 940 to a 3PL, delivered to a folder), a 945 from the 3PL, the
// orders consumer (SHIPPED, the 856), the invoice in erp-finance, INVOICED and the 810. A
// simulated 3PL answers every 940 it finds with a 945 at once (polling every 100 ms, its answers
// batched in one interchange). Figures: orders per second from the 850s' post to the last
// invoice; lag per order from its 850 being recorded to its InvoiceCreated being recorded (p50,
// p99, max), which includes the simulated 3PL's polling.
//   BENCH_ORDERS (default 100)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openDatabase, type Database } from "../platform/db/index.js";
import { startEmbedded } from "../app/embedded.js";
import { benchSecurity } from "./security-options.js";
import { serverConfigFromEnv } from "../app/config.js";
import { findPostgresBin, startPostgres } from "../test/helpers/postgres-server.js";
import { x12 } from "../test/helpers/x12.js";
import { machineLine, recordResults, today } from "./report.js";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100);
const LINES = 3;
const SKUS = 60;
const skuOf = (order: number, line: number) => `F-${String((order * 7 + line * 13) % SKUS).padStart(3, "0")}`;

async function fixture(database: Database, outbox: string) {
  const db = database.db;
  await db.businessUnit.create({ data: { id: "BU-F", name: "Bench", erpSystem: "DYNAMICS_365", erpInstance: "bench", deployment: "CLOUD", currency: "USD" } });
  await db.customer.create({
    data: {
      id: "CUST-F",
      name: "Bench buyer",
      businessUnitId: "BU-F",
      creditLimit: "999999999.00",
      currency: "USD",
      paymentTerms: "NET30",
      termsDays: 30,
      taxRate: "0.0700",
    },
  });
  await db.crossReference.create({ data: { kind: "CUSTOMER", system: "X12", externalValue: "ZZ:BENCHBUYER", canonicalId: "CUST-F" } });
  await db.location.create({ data: { id: "LOC-3PL", code: "3PL", name: "3PL", kind: "WAREHOUSE" } });
  await db.warehouseEndpoint.create({ data: { locationId: "LOC-3PL", format: "X12_940", partner: "ZZ:BENCH3PL", deliverTo: `file:${outbox}` } });
  const names = Array.from({ length: SKUS }, (_, i) => `F-${String(i).padStart(3, "0")}`);
  await db.product.createMany({ data: names.map((sku) => ({ sku, description: `Bench item ${sku}`, baseUnit: "EA" })) });
  await db.catalogItem.createMany({ data: names.map((sku) => ({ sku, description: `Bench item ${sku}`, baseUnit: "EA", conversions: [] })) });
  await db.priceListEntry.createMany({ data: names.map((sku) => ({ priceList: "LIST", sku, unit: "EA", currency: "USD", unitPrice: "2.5000" })) });
  await db.inventoryPosition.createMany({ data: names.map((sku) => ({ sku, locationId: "LOC-3PL", onHand: 1_000_000, asOf: new Date() })) });
}

function interchange(run: string): string {
  return x12({
    sender: ["ZZ", "BENCHBUYER"],
    control: String(Date.now() % 1e9).padStart(9, "0"),
    groups: [
      {
        control: "1",
        functionalId: "PO",
        sets: Array.from({ length: ORDERS }, (_, i) => ({
          id: "850",
          control: String(i + 1).padStart(4, "0"),
          segments: [
            `BEG*00*SA*${run}-${i}**20261127`,
            ...Array.from({ length: LINES }, (_, l) => `PO1*${l + 1}*1*EA*2.50*PE*VN*${skuOf(i, l)}`),
            `CTT*${LINES}`,
          ],
        })),
      },
    ],
  });
}

/** The 3PL: answers every released warehouse order with a 945 shipping all of it. */
async function threePl(database: Database, base: string, stop: () => boolean) {
  const answered = new Set<string>();
  let control = 500_000_000;
  while (!stop()) {
    const open = await database.db.warehouseOrder.findMany({ where: { status: "RELEASED" }, include: { lines: true } });
    const fresh = open.filter((w) => !answered.has(w.id));
    if (fresh.length) {
      const body = x12({
        sender: ["ZZ", "BENCH3PL"],
        control: String(++control),
        groups: [
          {
            control: String(control % 1e6),
            functionalId: "SW",
            sets: fresh.map((w, i) => ({
              id: "945",
              control: String(i + 1).padStart(4, "0"),
              segments: [
                `W06*F*${w.number}*20261128*C-${w.number}`,
                ...w.lines.flatMap((l, n) => [`LX*${n + 1}`, `W12*CC*${l.quantity}*${l.quantity}*0*EA**VN*${l.sku}`]),
              ],
            })),
          },
        ],
      });
      const res = await fetch(new URL("/ingest/x12", base), { method: "POST", body, headers: { "content-type": "application/edi-x12" } });
      if (!res.ok) throw new Error(`945s refused: ${res.status} ${await res.text()}`);
      for (const w of fresh) answered.add(w.id);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function measure(store: string, config: Parameters<typeof openDatabase>[0]) {
  const database = await openDatabase(config);
  const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "bench-outbox-"));
  await fixture(database, outbox);
  const app = await startEmbedded(
    database,
    { ...serverConfigFromEnv({}, 0), ingestBodyLimit: 8 << 20 },
    { pollIntervalMs: 200, autoRelease: true, delivery: { outboxDir: outbox, pollMs: 100, maxAttempts: 8 } },
    undefined,
    undefined,
    benchSecurity(), // the pipeline's throughput: authentication off (bench:security measures it)
  );
  const base = app.url.replace(/\/graphql$/, "/");
  let done = false;
  const pl = threePl(database, base, () => done);
  try {
    const started = performance.now();
    const res = await fetch(new URL("/ingest/x12", base), {
      method: "POST",
      body: interchange(Date.now().toString(36)),
      headers: { "content-type": "application/edi-x12" },
    });
    if (!res.ok) throw new Error(`850s refused: ${res.status}`);
    let report = performance.now();
    for (;;) {
      if ((await database.db.invoice.count()) >= ORDERS) break;
      if (performance.now() - report > 10_000) {
        report = performance.now();
        const byStatus = await database.db.order.groupBy({ by: ["status"], _count: true });
        const messages = await database.db.inboundMessage.groupBy({ by: ["kind", "state"], _count: true });
        console.error(
          JSON.stringify({ store, orders: byStatus.map((b) => `${b.status}:${b._count}`), messages: messages.map((m) => `${m.kind}/${m.state}:${m._count}`) }),
        );
      }
      if (performance.now() - started > 600_000) throw new Error("not every order was invoiced within 10 minutes");
      await new Promise((r) => setTimeout(r, 50));
    }
    const elapsed = performance.now() - started;
    done = true;
    await pl;
    const orders = await database.db.order.findMany({ select: { id: true, createdAt: true, status: true } });
    const invoiced = await database.db.eventLog.findMany({ where: { type: "InvoiceCreated" }, select: { payload: true, recordedAt: true } });
    const at = new Map(invoiced.map((e) => [(e.payload as { orderId: string }).orderId, e.recordedAt.getTime()]));
    const lags = orders.map((o) => at.get(o.id)! - o.createdAt.getTime()).sort((a, b) => a - b);
    const documents = await database.db.outboundDocument.groupBy({ by: ["type"], _count: true });
    return {
      store,
      elapsed,
      lags,
      invoiced: orders.filter((o) => o.status === "INVOICED").length,
      documents: Object.fromEntries(documents.map((d) => [d.type, d._count])),
    };
  } finally {
    done = true;
    await pl.catch(() => {});
    await app.close();
    await database.close();
    fs.rmSync(outbox, { recursive: true, force: true });
  }
}

const reports = [await measure("PGlite (in memory)", { kind: "pglite", dataDir: null })];
const bin = findPostgresBin();
if (bin) {
  const server = await startPostgres(bin);
  try {
    const admin = new pg.Client({ connectionString: server.url("postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE bench_fulfillment");
    await admin.end();
    reports.push(await measure("PostgreSQL server", { kind: "postgres", url: server.url("bench_fulfillment") }));
  } finally {
    await server.stop();
  }
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
recordResults([
  "",
  `### Fulfillment to cash: 850 to invoice — ${today()}`,
  "",
  `${machineLine()} In process (the load generator shares the event loop); ${ORDERS} X12 850s of ${LINES} lines in one interchange; a simulated 3PL answers each 940 with a 945 (polling every 100 ms). Lag: from the 850 recorded to its InvoiceCreated recorded.`,
  "",
  "| Store | Orders invoiced | Orders/s (850s posted → last invoice) | Lag p50 | Lag p99 | Lag max | Documents |",
  "|---|---|---|---|---|---|---|",
  ...reports.map(
    (r) =>
      `| ${r.store} | ${r.invoiced} of ${ORDERS} | ${((ORDERS * 1000) / r.elapsed).toFixed(1)} | ${s(pct(r.lags, 50))} | ${s(pct(r.lags, 99))} | ${s(r.lags.at(-1)!)} | ${Object.entries(
        r.documents,
      )
        .sort()
        .map(([t, n]) => `${t}: ${n}`)
        .join(", ")} |`,
  ),
]);
process.exit(0);
