// What each guarantee of the ingestion pipeline costs, measured in the server process on the same
// store, same run, same events (fresh ids per step), from the same number of concurrent workers,
// without HTTP. Each step adds one guarantee to the one before:
//   1. bare INSERT      journal-shaped rows into a copy of inventory.StockMovement
//   2. + store-first    the raw message is stored before anything else (InboundMessage, no key)
//   3. + idempotency    stored under its idempotency key (repeats detected), locked, marked done
//                       (the pipeline with a handler that applies nothing)
//   4. + journal        parsed, validated, mapped and applied: positions locked and updated, every
//                       change journaled under its unique source event id (no events)
//   5. + outbox         the real WMS handler: the InventoryChanged events appended too
//   6. + consumer       step 5, then a consumer projects every event (its own transactions)
// The app's own consumers are paused meanwhile (bench/ingest-serve.ts).
import { performance } from "node:perf_hooks";
import { Prisma } from "../platform/db/generated/client.js";
import type { Database } from "../platform/db/index.js";
import { timeOrderedId } from "../platform/ids.js";
import { EventConsumer } from "../platform/events/consumer.js";
import { logHead } from "../platform/events/event-log.js";
import { HandlerRegistry, type IngestHandler } from "../platform/ingest/handlers.js";
import { receiveMessages } from "../platform/ingest/message-store.js";
import { processReceivedMessages } from "../platform/ingest/pipeline.js";
import { createHandlerRegistry } from "../app/ingest-handlers.js";
import { wmsInventoryHandler } from "../subgraphs/inventory/sources/wms-inventory.js";
import { applyStockChangeBatches, stateOf, type StockChange } from "../subgraphs/inventory/stock-sync.js";
import { stockAvailabilityProjection } from "../subgraphs/orders/events.js";
import { bareInserts, benchLocationId, type BaselineRow, type LadderRow } from "./ingest-protocol.js";
import type { HistoryEvent } from "../test/helpers/stock-history.js";

const MOVEMENT: Record<HistoryEvent["type"], BaselineRow["kind"]> = {
  RECEIPT: "RECEIPT",
  PICK: "PICK",
  ADJUSTMENT: "ADJUSTMENT",
  MOVE: "MOVE_OUT",
  COUNT: "ADJUSTMENT",
};

/** Closed loop: `workers` at once, each sending its next request when the previous one is done. */
async function timed(requests: HistoryEvent[][], workers: number, run: (events: HistoryEvent[]) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < requests.length) await run(requests[next++]);
    }),
  );
  return (performance.now() - started) / 1000;
}

const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

const noopHandler: IngestHandler = {
  source: "bench",
  kind: "noop",
  parse: (raw) => JSON.parse(raw.toString("utf8")),
  validate: (parsed) => parsed,
  map: async (valid) => valid,
  apply: async () => ({ state: "PROCESSED", result: {} }),
};

/** The WMS handler without its events: the price of the outbox is what step 5 adds. */
const journalOnlyHandler: IngestHandler<unknown, unknown, StockChange[]> = {
  ...(wmsInventoryHandler as IngestHandler<unknown, unknown, StockChange[]>),
  apply: async (changes, tx, ctx) => {
    const [outcomes] = await applyStockChangeBatches(tx, [{ changes, ctx }], { appendEvents: false });
    return { state: stateOf(outcomes), result: { changes: outcomes } as never };
  },
  applyMany: async (items, tx) =>
    (
      await applyStockChangeBatches(
        tx,
        items.map((i) => ({ changes: i.command, ctx: i.context })),
        { appendEvents: false },
      )
    ).map((outcomes) => ({
      state: stateOf(outcomes),
      result: { changes: outcomes } as never,
    })),
};

export async function runLadder(database: Database, steps: HistoryEvent[][], perRequest: number, workers: number): Promise<LadderRow[]> {
  const { db } = database;
  const rows: LadderRow[] = [];
  const add = (step: string, events: number, seconds: number) => rows.push({ step, events, perSecond: events / seconds });
  const [s1, s2, s3, s4, s5, s6] = steps;

  add(
    "bare INSERT",
    s1.length,
    (
      await bareInserts(
        db,
        s1.map((e) => ({
          sku: e.sku,
          locationId: benchLocationId(e.location),
          kind: MOVEMENT[e.type],
          quantity: e.quantity,
          occurredAt: e.occurredAt,
          sourceEventId: `ladder:${e.eventId}`,
        })),
        perRequest,
        workers,
      )
    ).seconds,
  );

  add(
    "+ store-first",
    s2.length,
    await timed(chunks(s2, perRequest), workers, async (events) => {
      const values = events.map((e) => {
        const raw = Buffer.from(JSON.stringify(e));
        return Prisma.sql`(${timeOrderedId()}, 'bench', 'store-only', ${e.eventId}, 'ladder', 'RECEIVED'::"platform"."InboundState", 'application/json', ${raw}, ${raw.length})`;
      });
      await db.$executeRaw`
        INSERT INTO "platform"."InboundMessage" ("id", "source", "kind", "idempotencyKey", "correlationId", "state", "contentType", "raw", "sizeBytes")
        VALUES ${Prisma.join(values)}`;
    }),
  );

  // Steps 3 to 6 go through the pipeline as a request does, minus HTTP and body splitting.
  const through = (registry: HandlerRegistry, source: string, kind: string) => async (events: HistoryEvent[]) => {
    const incoming = events.map((e) => ({
      source,
      kind,
      idempotencyKey: e.eventId,
      correlationId: "ladder",
      contentType: "application/json",
      raw: Buffer.from(JSON.stringify(e)),
    }));
    const received = await receiveMessages(db, incoming);
    const fresh = received.flatMap((r, i) => (r.message.state === "RECEIVED" ? [{ ...r.message, raw: incoming[i].raw as never }] : []));
    const outcomes = await processReceivedMessages(db, registry, fresh);
    const failed = outcomes.find((o) => o.state !== "PROCESSED");
    if (failed) throw new Error(`ladder: a message ended ${failed.state}: ${failed.error}`);
  };
  const noop = new HandlerRegistry();
  noop.register(noopHandler);
  add("+ idempotency", s3.length, await timed(chunks(s3, perRequest), workers, through(noop, "bench", "noop")));

  const journalOnly = new HandlerRegistry();
  journalOnly.register(journalOnlyHandler);
  add("+ journal", s4.length, await timed(chunks(s4, perRequest), workers, through(journalOnly, "wms", "inventory-event")));

  const real = createHandlerRegistry();
  add("+ outbox", s5.length, await timed(chunks(s5, perRequest), workers, through(real, "wms", "inventory-event")));

  // A consumer of its own, starting at the head of the log, drains what step 6 appended.
  const consumer = new EventConsumer(db, database.store, { ...stockAvailabilityProjection, name: `bench.ladder-${perRequest}` });
  const head = await logHead(db);
  await db.$executeRaw`
    INSERT INTO "platform"."ConsumerOffset" ("consumer", "position", "txOrder", "updatedAt") VALUES (${consumer.name}, ${head.sequence}, ${head.txOrder}, now())`;
  const ingest = await timed(chunks(s6, perRequest), workers, through(real, "wms", "inventory-event"));
  const drainStarted = performance.now();
  await consumer.drain();
  add("+ consumer", s6.length, ingest + (performance.now() - drainStarted) / 1000);
  return rows;
}
