// Ingestion with several operations-subgraph processes on one PostgreSQL database, for
// `npm run bench:ingest`: the processes are real (`app/start-subgraph.ts operations`, each its own
// pool), the orders subgraph runs the consumer in a process of its own, and the senders spread
// their requests over the replicas. Measured with one replica, then two, in the same run, on the
// same database; then the same requests are sent to both replicas at once (a load balancer
// retrying on another replica, say), and the database is checked: every event applied once, the
// positions equal to the sum of what was sent, every InventoryChanged handled once.
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { openDatabase, type Database } from "../platform/db/index.js";
import { cpuReading, cpuSpent, postgresPids } from "./proc-cpu.js";
import { benchLocationId, benchLocations, benchSkus } from "./ingest-protocol.js";
import type { HistoryEvent } from "../test/helpers/stock-history.js";

export interface ReplicaProcess {
  name: string;
  url: string;
  child: ChildProcess;
}

export async function startSubgraphProcess(name: string, databaseUrl: string, env: Record<string, string> = {}): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/start-subgraph.ts", name], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: "0",
      MIGRATE: "off",
      EVENT_POLL_MS: "1000",
      INGEST_BODY_LIMIT: "16mb",
      AUTH_DISABLED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${out}`)), 120_000);
    child.stdout!.on("data", () => {
      const m = out.match(/Subgraph \S+ on .*?: (http:\/\/\S+\/graphql)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before starting:\n${out}`));
    });
  });
  return { name, url, child };
}

export async function stopProcess(p: ReplicaProcess) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once("exit", r));
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A new, empty database on the bench's server (dropped first if a previous run left it); its URL. */
export async function createEmptyDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

/** A fresh, migrated database on the bench's server, with the bench item master. */
export async function createReplicaDatabase(adminUrl: string, name: string, skus: number, locations: number): Promise<{ url: string; database: Database }> {
  const url = await createEmptyDatabase(adminUrl, name);
  const database = await openDatabase({ kind: "postgres", url });
  await database.db.product.createMany({ data: benchSkus(skus).map((sku) => ({ sku, description: `Bench item ${sku}`, baseUnit: "EA" })) });
  await database.db.location.createMany({
    data: benchLocations(locations).map((code) => ({ id: benchLocationId(code), code, name: code, kind: "WAREHOUSE" as const })),
  });
  return { url, database };
}

/** CPU of the app processes and of the PostgreSQL server, for CPU per event. */
export function cpuMeter(processes: ReplicaProcess[], postgresPort: number) {
  const appPids = () => processes.map((p) => p.child.pid!).filter(Boolean);
  const start = { app: cpuReading(appPids()), pg: cpuReading(postgresPids(postgresPort)) };
  return () => ({ app: cpuSpent(start.app, cpuReading(appPids())), postgres: cpuSpent(start.pg, cpuReading(postgresPids(postgresPort))) });
}

export interface ReplicaCheck {
  journalRows: number;
  expectedJournalRows: number;
  inventoryChanged: number;
  handledByConsumer: number;
  positionsChecked: number;
  positionsWrong: number;
  duplicatesRecorded: number;
  appliedTwice: number;
}

/**
 * What the database holds after the replicas ran: each event sent (successfully) applied exactly
 * once, positions equal to the sum of the deltas sent, every InventoryChanged handled once.
 */
export async function checkReplicaDatabase(db: Database["db"], sent: HistoryEvent[]): Promise<ReplicaCheck> {
  const distinct = new Map(sent.map((e) => [e.eventId, e]));
  const expected = new Map<string, number>();
  const add = (sku: string, location: string, q: number) =>
    expected.set(`${sku}@${benchLocationId(location)}`, (expected.get(`${sku}@${benchLocationId(location)}`) ?? 0) + q);
  let expectedJournalRows = 0;
  for (const e of distinct.values()) {
    const sign = e.type === "PICK" ? -1 : 1;
    if (e.type === "MOVE") {
      add(e.sku, e.location, -e.quantity);
      add(e.sku, e.toLocation!, e.quantity);
      expectedJournalRows += 2;
    } else {
      add(e.sku, e.location, sign * e.quantity);
      expectedJournalRows += 1;
    }
  }
  const [journal] = await db.$queryRaw<{ n: bigint; twice: bigint }[]>`
    SELECT COUNT(*) AS "n", COUNT(*) - COUNT(DISTINCT ("sourceEventId", "sku", "locationId")) AS "twice" FROM "inventory"."StockMovement"`;
  const [changed] = await db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS "n" FROM "platform"."EventLog" WHERE "type" = 'InventoryChanged'`;
  const [handled] = await db.$queryRaw<{ n: bigint | null }[]>`SELECT SUM("handledEvents") AS "n" FROM "orders"."StockAvailability"`;
  const [duplicates] = await db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS "n" FROM "platform"."InboundMessage" WHERE "state" = 'DUPLICATE'`;
  const positions = await db.inventoryPosition.findMany({ select: { sku: true, locationId: true, onHand: true } });
  const wrong = positions.filter((p) => (expected.get(`${p.sku}@${p.locationId}`) ?? 0) !== p.onHand).length;
  return {
    journalRows: Number(journal.n),
    expectedJournalRows,
    inventoryChanged: Number(changed.n),
    handledByConsumer: Number(handled.n ?? 0),
    positionsChecked: positions.length,
    positionsWrong: wrong + [...expected.keys()].filter((k) => !positions.some((p) => `${p.sku}@${p.locationId}` === k)).length,
    duplicatesRecorded: Number(duplicates.n),
    appliedTwice: Number(journal.twice),
  };
}
