// The system under test for `npm run bench:ingest`, in its own process (like bench/serve.ts) so the
// load generator does not share its event loop. Embedded app on a fresh store (in-memory PGlite,
// or DATABASE_URL) with the small stock fixture, and the same event consumers the app runs,
// except that each is started here, not by the host, so its handling can be observed:
//
// How end-to-end lag is measured. The consumer's handling time is not stored anywhere, and
// polling orders."StockAvailability" would measure the polling interval as much as the lag. So
// the consumers run with their production definitions and options, but
//   - the definition's handle() is wrapped to note each InventoryChanged event's sourceEventId
//     (the WMS eventId), and
//   - the Db the consumer uses is a proxy whose $transaction, once the consumer's transaction
//     (handler + offset update) has COMMITTED, stamps those notes with Date.now() (handledAt);
//     a transaction that throws drops its notes (the event will be retried and noted again).
// The stamps are sent to the bench over IPC in small batches ({ type: "handled", items }); the
// bench records Date.now() at each request's start and computes lag = handledAt - sentAt. Both
// clocks are the same machine's wall clock, and the IPC delay does not enter the figure.
// No production code is changed: only the wiring of this benchmark process differs.
//
// Also answers, over IPC: "stats" (deadlocks counted by the PostgreSQL server, if any) and
// "baseline" (plain INSERTs into a scratch table shaped like inventory."StockMovement", through
// the same Prisma client and driver adapter the pipeline uses), and "stop".
import { performance } from "node:perf_hooks";
import { Prisma } from "../platform/db/generated/client.js";
import { openDatabase, type Db } from "../platform/db/index.js";
import { EventConsumer, type ConsumerDefinition } from "../platform/events/consumer.js";
import { startEmbedded } from "../app/embedded.js";
import { consumerDefinitions } from "../app/consumers.js";
import { hostOptionsFromEnv } from "../app/config.js";
import { INVENTORY_CHANGED } from "../subgraphs/inventory/stock-sync.js";
import { createStockFixture } from "../test/helpers/stock-fixture.js";

export interface BaselineRow {
  sku: string;
  locationId: string;
  kind: "RECEIPT" | "PICK" | "ADJUSTMENT" | "MOVE_IN" | "MOVE_OUT";
  quantity: number;
  occurredAt: string;
  sourceEventId: string;
}

export type ToServer =
  | { type: "stats"; id: number }
  | { type: "baseline"; id: number; rows: BaselineRow[]; rowsPerStatement: number; workers: number }
  | { type: "stop" };

export type FromServer =
  | { type: "ready"; ingestUrl: string; store: string }
  | { type: "handled"; items: [sourceEventId: string, handledAt: number][] }
  | { type: "stats"; id: number; deadlocks: number | null }
  | { type: "baseline"; id: number; rows: number; seconds: number; latenciesMs: number[] }
  | { type: "error"; id: number; error: string };

const send = (m: FromServer) => process.send?.(m);

const url = process.env.DATABASE_URL;
const database = await openDatabase(url ? { kind: "postgres", url } : { kind: "pglite", dataDir: null });
await createStockFixture(database.db);

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
  const wrapped: ConsumerDefinition = {
    ...definition,
    async handle(event, tx) {
      await definition.handle(event, tx);
      const sourceEventId = (event.payload as { sourceEventId?: unknown } | null)?.sourceEventId;
      if (event.type === INVENTORY_CHANGED && typeof sourceEventId === "string") noted.push(sourceEventId);
    },
  };
  // The same options app/host.ts gives its consumers.
  return new EventConsumer(db, database.store, { ...wrapped, pollIntervalMs: hostOptionsFromEnv().pollIntervalMs });
}

// Host without its consumers (it still runs recovery); the consumers are started here instead.
const app = await startEmbedded(
  database,
  { port: 0, host: "127.0.0.1", corsOrigins: [], bodyLimit: "1mb", ingestBodyLimit: 5 * 1024 * 1024 },
  { consumers: false },
);
const consumers = consumerDefinitions.map((c) => observedConsumer(c.definition));
await Promise.all(consumers.map((c) => c.start()));

await database.db.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS "bench"`);
// The columns, defaults and indexes of inventory."StockMovement", copied so they cannot drift (LIKE
// copies no foreign keys).
await database.db.$executeRawUnsafe(`CREATE TABLE "bench"."StockMovement" (LIKE "inventory"."StockMovement" INCLUDING ALL)`);

async function baseline(rows: BaselineRow[], rowsPerStatement: number, workers: number) {
  const statements: BaselineRow[][] = [];
  for (let i = 0; i < rows.length; i += rowsPerStatement) statements.push(rows.slice(i, i + rowsPerStatement));
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < statements.length) {
        const chunk = statements[next++];
        const values = chunk.map(
          (r) => Prisma.sql`(${r.sku}, ${r.locationId}, ${r.kind}::"inventory"."MovementKind", ${r.quantity}, ${new Date(r.occurredAt)}, ${r.sourceEventId}, ${null})`,
        );
        const t0 = performance.now();
        await database.db.$executeRaw`
          INSERT INTO "bench"."StockMovement" ("sku", "locationId", "kind", "quantity", "occurredAt", "sourceEventId", "inboundMessageId")
          VALUES ${Prisma.join(values)}`;
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { rows: rows.length, seconds: (performance.now() - started) / 1000, latenciesMs };
}

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
    if (m.type === "stats") send({ type: "stats", id: m.id, deadlocks: await deadlocks() });
    else if (m.type === "baseline") send({ type: "baseline", id: m.id, ...(await baseline(m.rows, m.rowsPerStatement, m.workers)) });
  } catch (err) {
    send({ type: "error", id: m.id, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
// The bench going away without saying "stop" (it crashed) must not leave this process behind.
process.on("disconnect", () => process.exit(1));

send({ type: "ready", ingestUrl: app.url.replace(/\/graphql$/, "/ingest/wms/inventory"), store: url ? "postgres" : "pglite" });
