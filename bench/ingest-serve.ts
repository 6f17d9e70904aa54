// The server process of `npm run bench:ingest`: the embedded app on a fresh store (PGlite in
// memory, or DATABASE_URL) with the app's consumers, plus what the bench asks for over IPC:
// bare INSERTs of the same rows (the baseline), the guarantee ladder (bench/ingest-ladder.ts), a
// snapshot fixture. It reports, for every InventoryChanged the consumer commits, its source event
// id and the time (Date.now()), so the bench can measure consumer lag.
//
// It also runs from another revision's tree (BENCH_BASELINE_ROOT, copied there by the bench), so
// it uses only what every revision has: openDatabase, startEmbedded, the consumer definitions.
// The ladder is loaded only when asked for.
//   BENCH_SKUS, BENCH_LOCATIONS: the item master (BX-<n> at BX-WH-<n>); BENCH_SNAPSHOT_POSITIONS:
//   products SNAP-<n> at LOC-SNAP for the snapshot scenario (0: none).
import { openDatabase, type Db } from "../platform/db/index.js";
import { EventConsumer, type ConsumerDefinition } from "../platform/events/consumer.js";
import type { StoredEvent } from "../platform/events/event-log.js";
import { startEmbedded } from "../app/embedded.js";
import { consumerDefinitions } from "../app/consumers.js";
import { hostOptionsFromEnv, ingestOptionsFromEnv, serverConfigFromEnv } from "../app/config.js";
import { bareInserts, benchLocationId, benchLocations, benchSkus, SNAPSHOT_LOCATION, snapshotSkus, type FromServer, type ToServer } from "./ingest-protocol.js";

const send = (m: FromServer) => process.send?.(m);
const count = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const url = process.env.DATABASE_URL;
// SQL statements counted at the driver adapter (the app's and its consumers'), for statements per event.
const statementLog = { count: 0, statements: [] as string[], keepText: false };
const database = await openDatabase(url ? { kind: "postgres", url } : { kind: "pglite", dataDir: null }, { statementLog });

async function createFixture(db: Db) {
  const skus = benchSkus(count("BENCH_SKUS", 200));
  const locations = benchLocations(count("BENCH_LOCATIONS", 5));
  await db.product.createMany({ data: skus.map((sku) => ({ sku, description: `Bench item ${sku}`, baseUnit: "EA" })) });
  await db.location.createMany({ data: locations.map((code) => ({ id: benchLocationId(code), code, name: code, kind: "WAREHOUSE" as const })) });
  const snapshot = snapshotSkus(count("BENCH_SNAPSHOT_POSITIONS", 0));
  if (snapshot.length) {
    await db.location.create({ data: { ...SNAPSHOT_LOCATION, name: "Snapshot warehouse", kind: "WAREHOUSE" } });
    for (let i = 0; i < snapshot.length; i += 5000) {
      await db.product.createMany({ data: snapshot.slice(i, i + 5000).map((sku) => ({ sku, description: `Snapshot item ${sku}`, baseUnit: "EA" })) });
    }
  }
}
await createFixture(database.db);

// Handled stamps go out every 25 ms rather than one IPC message per event.
let outbox: [string, number][] = [];
const flushTimer = setInterval(() => {
  if (!outbox.length) return;
  send({ type: "handled", items: outbox });
  outbox = [];
}, 25);

/** The consumer's own Db: $transaction stamps the events its committed transaction handled. */
function observedConsumer(definition: ConsumerDefinition): EventConsumer {
  let noted: string[] = [];
  const db = new Proxy(database.db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "$transaction") {
        return async (...args: unknown[]) => {
          noted = [];
          try {
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            const handledAt = Date.now();
            for (const id of noted) outbox.push([id, handledAt]);
            return result;
          } finally {
            noted = [];
          }
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Db;
  const note = (event: StoredEvent) => {
    const sourceEventId = (event.payload as { sourceEventId?: unknown } | null)?.sourceEventId;
    if (event.type === "InventoryChanged" && typeof sourceEventId === "string") noted.push(sourceEventId);
  };
  const wrapped: ConsumerDefinition & { handleBatch?: (events: StoredEvent[], tx: never) => Promise<void> } = {
    ...definition,
    async handle(event, tx) {
      await definition.handle(event, tx);
      note(event);
    },
  };
  // Revisions with batched handling: keep it, stamping every event of the batch.
  const batch = (definition as { handleBatch?: (events: StoredEvent[], tx: unknown) => Promise<void> }).handleBatch;
  if (batch) {
    wrapped.handleBatch = async (events, tx) => {
      await batch(events, tx);
      events.forEach(note);
    };
  }
  // The same options app/host.ts gives its consumers.
  return new EventConsumer(db, database.store, { ...wrapped, pollIntervalMs: hostOptionsFromEnv().pollIntervalMs });
}

// Host without its consumers (it still runs recovery); the consumers are started here instead.
// Bodies up to 64 MB: a 50,000-position reconcileInventory is about 3 MB of GraphQL.
const app = await startEmbedded(
  database,
  { ...serverConfigFromEnv({}, 0), bodyLimit: "64mb", ingestBodyLimit: 64 * 1024 * 1024 },
  { consumers: false, ingest: ingestOptionsFromEnv() },
  undefined,
  "graphiql",
  // Authentication off (what is measured is the pipeline); absent in revisions before it existed.
  await import("./security-options.js").then((m) => m.benchSecurity()).catch(() => undefined),
);
let consumers = consumerDefinitions.map((c) => observedConsumer(c.definition));
await Promise.all(consumers.map((c) => c.start()));

await database.db.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS "bench"`);
// The columns, defaults and indexes of inventory."StockMovement", copied so they cannot drift (LIKE
// copies no foreign keys).
await database.db.$executeRawUnsafe(`CREATE TABLE "bench"."StockMovement" (LIKE "inventory"."StockMovement" INCLUDING ALL)`);

async function deadlocks(): Promise<number | null> {
  if (!url) return null;
  const [row] = await database.db.$queryRaw<{ deadlocks: bigint }[]>`SELECT "deadlocks" FROM pg_stat_database WHERE "datname" = current_database()`;
  return Number(row.deadlocks);
}

let stopping = false;
process.on("message", async (m: ToServer) => {
  if (m.type === "stop") {
    if (stopping) return;
    stopping = true;
    await Promise.all(consumers.map((c) => c.stop()));
    clearInterval(flushTimer);
    await app.close();
    await database.close();
    process.exit(0);
  }
  try {
    if (m.type === "stats")
      send({ type: "stats", id: m.id, deadlocks: await deadlocks(), rssMiB: process.memoryUsage().rss / 2 ** 20, statements: statementLog.count });
    else if (m.type === "baseline") send({ type: "baseline", id: m.id, ...(await bareInserts(database.db, m.rows, m.rowsPerStatement, m.workers)) });
    else if (m.type === "ladder") {
      // The app's consumers pause, so each step is priced on its own (the last step adds a consumer).
      await Promise.all(consumers.map((c) => c.stop()));
      try {
        const { runLadder } = await import("./ingest-ladder.js");
        send({ type: "ladder", id: m.id, rows: await runLadder(database, m.events as never, m.perRequest, m.workers) });
      } finally {
        consumers = consumerDefinitions.map((c) => observedConsumer(c.definition));
        await Promise.all(consumers.map((c) => c.start()));
      }
    }
  } catch (err) {
    send({ type: "error", id: (m as { id: number }).id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
// The bench going away without saying "stop" (it crashed) must not leave this process behind.
process.on("disconnect", () => process.exit(1));

const base = app.url.replace(/\/graphql$/, "");
send({ type: "ready", ingestUrl: `${base}/ingest/wms/inventory`, x12Url: `${base}/ingest/x12`, graphqlUrl: app.url, store: url ? "postgres" : "pglite" });
