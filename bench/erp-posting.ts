// `npm run bench:erp-posting`: invoices posted per second to each kind of ERP, on each store, in
// one run: BENCH_INVOICES invoices (3 lines, a charge and tax each) written PENDING into a fresh
// store, then the ERP runtime (posting worker + pulls, as npm start runs it) posts them
//   - to the Business Central stand-in over HTTP (find by number, create with lines, post, read back);
//   - to the file ERP stand-in (a batch file, the stand-in's acknowledgement file, its import);
//   - to the Business Central stand-in answering 503 to every other GET (retries with backoff; a
//     post whose read-back failed is found by its number on the next attempt, not posted again).
// Figures: invoices/s from the start of the worker until every invoice is POSTED, the latency of
// each invoice (scheduled -> posted) p50/p99, and the documents the ERP holds (must equal invoices).
//   BENCH_INVOICES (default 200)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { openDatabase, type Database } from "../platform/db/index.js";
import { Prisma } from "../platform/db/generated/client.js";
import { ErpRuntime } from "../subgraphs/erp-finance/erp-sync/runtime.js";
import { BusinessCentralStandIn } from "../subgraphs/erp-finance/stand-in/business-central.js";
import { FileErpStandIn } from "../subgraphs/erp-finance/stand-in/file-erp.js";
import { findPostgresBin, startPostgres } from "../test/helpers/postgres-server.js";
import { machineLine, recordResults, today } from "./report.js";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 200);
if (!Number.isInteger(INVOICES) || INVOICES < 1) throw new Error("BENCH_INVOICES must be a whole number >= 1");

interface Row {
  name: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  inErp: number;
  attempts: number;
  failed: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function seed(database: Database, bu: string, kind: "CLOUD_REST" | "FILE_EXCHANGE", customer: string) {
  const db = database.db;
  await db.businessUnit.create({
    data: {
      id: bu,
      name: bu,
      erpSystem: kind === "CLOUD_REST" ? "DYNAMICS_365" : "SAP_ECC",
      erpInstance: "bench",
      deployment: kind === "CLOUD_REST" ? "CLOUD" : "ON_PREMISE",
      currency: "USD",
    },
  });
  const system = kind === "CLOUD_REST" ? "DYNAMICS_365" : "SAP_ECC";
  await db.customer.create({
    data: {
      id: `CUST-${bu}`,
      name: "Bench buyer",
      businessUnitId: bu,
      creditLimit: "999999999.00",
      currency: "USD",
      paymentTerms: "NET30",
      termsDays: 30,
      externalRefs: [{ system, value: customer }],
    },
  });
  await db.erpConnector.create({
    data: { businessUnitId: bu, kind, system, folder: kind === "FILE_EXCHANGE" ? bu : null, pollIntervalMs: 100, maxAttempts: 20 },
  });
  const rows = Array.from({ length: INVOICES }, (_, i) => {
    const id = `INV-${bu}-${String(i).padStart(5, "0")}`;
    return { id, invoiceNumber: `IN-${bu}-${i}` };
  });
  await db.invoice.createMany({
    data: rows.map((r, i) => ({
      ...r,
      orderId: `ORD-${i}`,
      customerId: `CUST-${bu}`,
      businessUnitId: bu,
      status: "OPEN" as const,
      postingStatus: "PENDING" as const,
      invoiceDate: new Date("2026-11-27T00:00:00Z"),
      dueDate: new Date("2026-12-27T00:00:00Z"),
      currency: "USD",
      subtotal: new Prisma.Decimal("30.00"),
      chargesTotal: new Prisma.Decimal("5.00"),
      allowancesTotal: new Prisma.Decimal(0),
      taxRate: new Prisma.Decimal("0.0825"),
      taxTotal: new Prisma.Decimal("2.48"),
      total: new Prisma.Decimal("37.48"),
    })),
  });
  await db.invoiceLine.createMany({
    data: rows.flatMap((r) =>
      [1, 2, 3].map((n) => ({
        id: `${r.id}-${n}`,
        invoiceId: r.id,
        lineNumber: n,
        sku: `B-${n}`,
        quantity: 2,
        unit: "EA",
        unitPrice: new Prisma.Decimal("5.0000"),
        amount: new Prisma.Decimal("10.00"),
      })),
    ),
  });
  await db.invoiceAdjustment.createMany({
    data: rows.map((r) => ({
      id: `${r.id}-C`,
      invoiceId: r.id,
      kind: "CHARGE" as const,
      code: "D240",
      description: "Freight",
      amount: new Prisma.Decimal("5.00"),
    })),
  });
}

async function scenario(name: string, openStore: () => Promise<Database>, kind: "CLOUD_REST" | "FILE_EXCHANGE", flaky: boolean): Promise<Row> {
  const database = await openStore();
  const bu = "BU-BENCH";
  const bc = await new BusinessCentralStandIn({ pageSize: 100 }).start();
  bc.upsertCustomer({ number: "C1", displayName: "Bench buyer" });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-erp-"));
  const files = new FileErpStandIn({ root: path.join(root, bu), pollIntervalMs: 50 }).start();
  await seed(database, bu, kind, kind === "CLOUD_REST" ? "C1" : "100001");
  // Every other GET of salesInvoices (lookups by number, reads after posting) answers 503.
  if (flaky) bc.fail({ method: "GET", path: "salesInvoices", status: 503, every: 2 });
  const runtime = new ErpRuntime(database.db, {
    registry: null,
    defaultCloud: bc.endpoint(),
    secrets: {},
    fileRoot: root,
    requestTimeoutMs: 10_000,
    fileSettleMs: 0,
    postingPollMs: 50,
    worker: { batchSize: 50, backoff: { baseMs: 50, maxMs: 200 } },
    log: () => {},
  });
  const started = performance.now();
  runtime.start();
  // Until every invoice has an outcome (an exception counts: it is reported, never waited for).
  for (const deadline = Date.now() + 600_000; ;) {
    const left = await database.db.invoice.count({ where: { businessUnitId: bu, postingStatus: "PENDING" } });
    if (left === 0) break;
    if (Date.now() > deadline) throw new Error(`${name}: ${left} invoices still pending after 10 minutes`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const seconds = (performance.now() - started) / 1000;
  await runtime.stop();
  const postings = await database.db.erpPosting.findMany({
    where: { businessUnitId: bu },
    select: { scheduledAt: true, postedAt: true, totalAttempts: true, state: true },
  });
  const failed = postings.filter((p) => p.state !== "POSTED").length;
  const latencies = postings
    .filter((p) => p.postedAt)
    .map((p) => p.postedAt!.getTime() - p.scheduledAt.getTime())
    .sort((a, b) => a - b);
  const inErp = kind === "CLOUD_REST" ? [...bc.documents.salesInvoices.values()].filter((d) => d.status === "Open").length : files.posted.size;
  await files.stop();
  await bc.stop();
  await database.close();
  fs.rmSync(root, { recursive: true, force: true });
  return {
    name,
    seconds,
    failed,
    perSecond: (INVOICES - failed) / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    inErp,
    attempts: postings.reduce((s, p) => s + p.totalAttempts, 0),
  };
}

async function measure(store: string, openStore: () => Promise<Database>) {
  const rows = [
    await scenario("cloud ERP (Business Central stand-in, HTTP)", openStore, "CLOUD_REST", false),
    await scenario("file ERP (batch file + acknowledgement file)", openStore, "FILE_EXCHANGE", false),
    await scenario("cloud ERP answering 503 to every other GET", openStore, "CLOUD_REST", true),
  ];
  return { store, rows };
}

const reports = [await measure("PGlite (in memory)", () => openDatabase({ kind: "pglite", dataDir: null }))];
const bin = findPostgresBin();
if (bin) {
  const server = await startPostgres(bin);
  try {
    let n = 0;
    reports.push(
      await measure("PostgreSQL server", async () => {
        const name = `bench_erp_${n++}`;
        const admin = new pg.Client({ connectionString: server.url("postgres") });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        return openDatabase({ kind: "postgres", url: server.url(name) });
      }),
    );
  } finally {
    await server.stop();
  }
}

const lines = [
  `\n## ERP posting (${today()})`,
  "",
  machineLine(),
  "",
  `${INVOICES} invoices per scenario (3 lines, a freight charge and tax each), posted by the ERP runtime from a fresh store; the worker takes 50 per claim.`,
  "",
];
for (const r of reports) {
  lines.push(
    `**${r.store}**`,
    "",
    "| ERP | invoices/s | all settled in | latency p50 | latency p99 | attempts | exceptions | documents in the ERP |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const row of r.rows)
    lines.push(
      `| ${row.name} | ${row.perSecond.toFixed(1)} | ${row.seconds.toFixed(1)} s | ${(row.p50 / 1000).toFixed(2)} s | ${(row.p99 / 1000).toFixed(2)} s | ${row.attempts} | ${row.failed} | ${row.inErp} |`,
    );
  const [cloud, file, flaky] = r.rows;
  lines.push(
    "",
    `- Ratios, invoices/s: file / cloud ${(file.perSecond / cloud.perSecond).toFixed(2)}, cloud with 503s / cloud ${(flaky.perSecond / cloud.perSecond).toFixed(2)}.`,
    "",
  );
}
recordResults(lines);
process.exit(0);
