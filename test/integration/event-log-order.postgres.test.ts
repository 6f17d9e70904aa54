// The event log's order on a PostgreSQL server, where transactions append concurrently and can
// commit in any order (PGlite runs one transaction at a time, so none of this can happen there).
// Each case is one a simpler log gets wrong: reading by sequence skips an event that commits
// after a later sequence; ordering by transaction id puts a later change of one aggregate first;
// a horizon of "the next transaction id" never passes an event until some other transaction ends;
// a horizon of "the oldest running transaction" stalls behind any open transaction.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../helpers/databases.js";
import { appendEvents, LOG_START, readEventsAfter, type StoredEvent, type Tx } from "../../platform/events/event-log.js";
import { defineEvent } from "../../platform/events/types.js";
import { z } from "zod";

// Events must be of a declared type (checked at append): this test's own.
for (const name of ["Early", "Late", "Versioned", "Marker", "Alone", "Unblocked", "Doomed", "Survivor"])
  defineEvent(name, "Test", z.object({ aggregateId: z.string() }));
import { EventConsumer } from "../../platform/events/consumer.js";
import { EventFollower } from "../../gateway/subscriptions/event-follower.js";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe.runIf(postgresAvailable())("event log order on a PostgreSQL server", () => {
  let database: TestDatabase;
  const stopping: { stop(): Promise<void> }[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await Promise.all(stopping.map((s) => s.stop()));
    await database?.close();
  });

  const event = (type: string, aggregateId: string, aggregateVersion = 1) => ({
    type,
    aggregateType: "Test",
    aggregateId,
    aggregateVersion,
    occurredAt: new Date(),
    payload: { aggregateId },
  });
  const append = (tx: Tx, type: string, aggregateId: string, version = 1) => appendEvents(tx, "order-test", [event(type, aggregateId, version)]);
  /** Runs fn in a transaction that stays open until `hold` opens; resolves `ready` once fn is done. */
  function held<T>(fn: (tx: Tx) => Promise<T>, hold: Promise<void>) {
    const ready = gate();
    let value!: T;
    const committed = database.db.$transaction(
      async (tx) => {
        value = await fn(tx);
        ready.open();
        await hold;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    return { ready: ready.opened, committed, value: () => value };
  }
  const xid = async (tx: Tx) => BigInt((await tx.$queryRaw<{ xid: string }[]>`SELECT pg_current_xact_id()::text AS "xid"`)[0].xid);

  it("hands a consumer and a subscription follower an event that commits after a later sequence, once each", async () => {
    const handled: string[] = [];
    const consumer = new EventConsumer(database.db, database.store, {
      name: "test.late-commit",
      types: ["Late", "Early"],
      handle: async (e) => void handled.push(e.aggregateId),
      pollIntervalMs: 60_000,
    });
    const follower = new EventFollower(database.db, database.store, ["Late", "Early"], 60_000);
    stopping.push(follower);
    await follower.start();
    const followed: string[] = [];
    follower.listen((e) => followed.push(e.aggregateId));

    const release = gate();
    const a = held((tx) => append(tx, "Late", "late"), release.opened);
    await a.ready; // "late" has its sequence, its transaction is still open
    const [early] = await database.db.$transaction((tx) => append(tx, "Early", "early"));
    const [late] = a.value();
    expect(late.sequence < early.sequence).toBe(true);

    // "early" is committed, "late" is not: a reader by sequence would take "early" and move past "late".
    expect(await consumer.drain()).toBe(0);
    await follower.poke();
    expect(handled).toEqual([]);
    expect(followed).toEqual([]);

    release.open();
    await a.committed;
    expect(await consumer.drain()).toBe(2);
    await follower.poke();
    expect(handled).toEqual(["late", "early"]);
    expect(followed).toEqual(["late", "early"]);
    expect(await consumer.drain()).toBe(0);
    expect(await consumer.position()).toBe(early.sequence);
  });

  it("keeps one aggregate's events in the order they were appended, even when the later appender's transaction is older", async () => {
    await database.db.$executeRaw`INSERT INTO "platform"."ConsumerOffset" ("consumer", "position", "updatedAt") VALUES ('test.row-lock', 0, now())`;
    const lockRow = (tx: Tx) => tx.$queryRaw`SELECT 1 FROM "platform"."ConsumerOffset" WHERE "consumer" = 'test.row-lock' FOR UPDATE`;
    const olderStarted = gate();
    const newerDone = gate();
    // The older transaction takes its id first, then waits for the row the newer one holds.
    let olderXid = 0n;
    const older = database.db.$transaction(
      async (tx) => {
        olderXid = await xid(tx);
        olderStarted.open();
        await newerDone.opened;
        await lockRow(tx); // waits until the newer one commits
        await append(tx, "Versioned", "agg-1", 2);
      },
      { timeout: 30_000 },
    );
    await olderStarted.opened;
    let newerXid = 0n;
    await database.db.$transaction(
      async (tx) => {
        newerXid = await xid(tx);
        await lockRow(tx);
        await append(tx, "Versioned", "agg-1", 1);
        newerDone.open();
        await new Promise((r) => setTimeout(r, 100)); // the older one is now waiting for the row
      },
      { timeout: 30_000 },
    );
    await older;
    expect(olderXid < newerXid).toBe(true);
    const events = await readEventsAfter(database.db, LOG_START, 100, ["Versioned"]);
    expect(events.map((e) => e.aggregateVersion)).toEqual([1, 2]);
  });

  it("shows a committed event at once, though a newer transaction ended before it and none after", async () => {
    const [before] = await database.db.$transaction((tx) => append(tx, "Marker", "before"));
    const idTaken = gate();
    const newerEnded = gate();
    let appended: StoredEvent[] = [];
    const old = database.db.$transaction(
      async (tx) => {
        await xid(tx); // this transaction's id is older than the next one's
        idTaken.open();
        await newerEnded.opened;
        appended = await append(tx, "Alone", "alone");
      },
      { timeout: 30_000 },
    );
    await idTaken.opened;
    await database.db.$transaction(async (tx) => void (await xid(tx)));
    newerEnded.open();
    await old;
    // Nothing else runs from here on: the reader must see "alone" without any later transaction.
    const seen = await readEventsAfter(database.db, before.sequence, 100, ["Alone"]);
    expect(seen.map((e) => e.sequence)).toEqual([appended[0].sequence]);
  });

  it("is not held back by an open transaction that appends nothing", async () => {
    const release = gate();
    const idle = held(async (tx) => {
      await xid(tx);
      await tx.$executeRaw`UPDATE "platform"."ConsumerOffset" SET "updatedAt" = now() WHERE "consumer" = 'test.row-lock'`;
    }, release.opened);
    await idle.ready;
    const [e] = await database.db.$transaction((tx) => append(tx, "Unblocked", "unblocked"));
    const seen = await readEventsAfter(database.db, LOG_START, 1000, ["Unblocked"]);
    expect(seen.map((x) => x.sequence)).toEqual([e.sequence]);
    release.open();
    await idle.committed;
  });

  it("drops the events of an appender whose session is killed mid-transaction, and is not held back by it", async () => {
    // A process killed while appending: its own connection (not the test's pool), its transaction
    // open, its events inserted. The server ends the session: the transaction rolls back, its
    // registration as an appender goes with it, and readers move on.
    const consumer = new EventConsumer(database.db, database.store, {
      name: "test.killed-appender",
      types: ["Doomed", "Survivor"],
      handle: async () => {},
      pollIntervalMs: 60_000,
    });
    const doomed = new pg.Client({ connectionString: database.url! });
    doomed.on("error", () => {}); // the termination below
    await doomed.connect();
    await doomed.query("BEGIN");
    const doomedEvent = {
      eventId: randomUUID(),
      correlationId: "order-test",
      type: "Doomed",
      aggregateType: "Test",
      aggregateId: "doomed",
      aggregateVersion: 1,
      occurredAt: new Date().toISOString(),
      payload: {},
    };
    await doomed.query(`SELECT * FROM "platform"."append_events"($1::jsonb)`, [JSON.stringify([doomedEvent])]);
    const pid = (await doomed.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    const [survivor] = await database.db.$transaction((tx) => append(tx, "Survivor", "survivor"));
    // Held back while the doomed appender may still commit before it.
    expect(await readEventsAfter(database.db, LOG_START, 100, ["Doomed", "Survivor"])).toEqual([]);
    await database.db.$queryRaw`SELECT pg_terminate_backend(${pid}::integer)`;
    // The backend exits after the call returns: wait until it is gone.
    const deadline = Date.now() + 20_000;
    while ((await database.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS "n" FROM pg_stat_activity WHERE pid = ${pid}::integer`)[0].n > 0n) {
      if (Date.now() > deadline) throw new Error(`backend ${pid} did not exit`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seen = await readEventsAfter(database.db, LOG_START, 100, ["Doomed", "Survivor"]);
    expect(seen.map((e) => e.aggregateId)).toEqual(["survivor"]);
    expect(await database.db.eventLog.count({ where: { eventId: doomedEvent.eventId } })).toBe(0);
    expect(await consumer.drain()).toBe(1);
    expect(await consumer.position()).toBe(survivor.sequence);
    await doomed.end().catch(() => {});
  });
});
