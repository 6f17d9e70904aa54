-- The event log without a global lock (docs/decisions.md "Event log order without a global lock").
-- The log's order becomes (txOrder, sequence), and readers see only events below the horizon of the
-- transactions still appending, so an event that commits late is never skipped.

-- DropIndex
DROP INDEX "platform"."EventLog_type_sequence_idx";

-- AlterTable: consumers resume after (txOrder, position). Events logged before this migration
-- were ordered by sequence under the old lock, so they all get txOrder 0 and keep their order.
ALTER TABLE "platform"."ConsumerOffset" ADD COLUMN     "txOrder" BIGINT NOT NULL DEFAULT 0;

-- AlterTable: no default once existing rows are filled, so only append_events writes events.
ALTER TABLE "platform"."EventLog" ADD COLUMN     "txOrder" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "platform"."EventLog" ALTER COLUMN "txOrder" DROP DEFAULT;

-- CreateIndex
CREATE INDEX "EventLog_txOrder_sequence_idx" ON "platform"."EventLog"("txOrder", "sequence");

-- CreateIndex
CREATE INDEX "EventLog_type_txOrder_sequence_idx" ON "platform"."EventLog"("type", "txOrder", "sequence");

-- The horizon: events with txOrder below it are final (their transactions have ended). It is the
-- next transaction id, or less while a transaction that registered itself as an appender (a
-- shared advisory lock keyed by the next transaction id at the time, held to its end) is in
-- flight in this database. Bigint-keyed advisory locks in this database are reserved for it: any
-- other holder could only delay readers, never make them skip.
CREATE FUNCTION "platform"."event_log_horizon"() RETURNS bigint
LANGUAGE sql VOLATILE AS $$
  SELECT LEAST(
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
    (SELECT min((l.classid::bigint << 32) | l.objid::bigint) FROM pg_locks l
      WHERE l.locktype = 'advisory' AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())))
$$;

-- Appends events (a JSON array of {eventId, correlationId, type, aggregateType, aggregateId,
-- aggregateVersion, occurredAt, payload}, one document: cheaper to send and parse than one array
-- per column) in the calling transaction, which must run at READ COMMITTED (the default):
--  1. registers the transaction as an appender (see event_log_horizon) and queues one
--     notification, delivered at commit,
--  2. inserts the events, in the order given, with txOrder = the next transaction id as of this
--     statement, in a subtransaction (the EXCEPTION block): its own, newer transaction id ends
--     with the caller, so the horizon passes txOrder as soon as the caller commits.
-- A transaction that committed before this statement began has a smaller txOrder, so events of
-- one aggregate, appended under its row lock, are in the log in the order they were appended.
CREATE FUNCTION "platform"."append_events"(events jsonb) RETURNS TABLE(seq bigint, tx_order bigint, recorded_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'append_events needs READ COMMITTED isolation, not %', current_setting('transaction_isolation');
  END IF;
  PERFORM pg_advisory_xact_lock_shared(pg_snapshot_xmax(pg_current_snapshot())::text::bigint), pg_notify('event_log', '');
  BEGIN
    RETURN QUERY WITH inserted AS (
      INSERT INTO "platform"."EventLog" ("eventId", "type", "aggregateType", "aggregateId", "aggregateVersion", "correlationId", "occurredAt", "payload", "txOrder")
      SELECT e->>'eventId', e->>'type', e->>'aggregateType', e->>'aggregateId', (e->>'aggregateVersion')::integer, e->>'correlationId',
        (e->>'occurredAt')::timestamptz, e->'payload', pg_snapshot_xmax(pg_current_snapshot())::text::bigint
      FROM jsonb_array_elements(events) WITH ORDINALITY AS x(e, n)
      ORDER BY x.n
      RETURNING "sequence", "txOrder", "recordedAt")
    SELECT * FROM inserted ORDER BY 1;
  EXCEPTION WHEN OTHERS THEN
    RAISE;
  END;
END
$$;

-- Events after (after_tx, after_seq) in log order, below the horizon: the horizon is computed
-- first and the events read by a later statement (a newer snapshot), so every event below it is
-- visible. Needs READ COMMITTED (in a REPEATABLE READ transaction the read would use an older
-- snapshot than the horizon).
CREATE FUNCTION "platform"."read_event_log"(after_tx bigint, after_seq bigint, max_rows integer, only_types text[] DEFAULT NULL, only_aggregate text DEFAULT NULL)
RETURNS SETOF "platform"."EventLog"
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  horizon bigint;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'read_event_log needs READ COMMITTED isolation, not %', current_setting('transaction_isolation');
  END IF;
  SELECT "platform"."event_log_horizon"() INTO horizon;
  RETURN QUERY SELECT * FROM "platform"."EventLog" e
    WHERE (e."txOrder", e."sequence") > (after_tx, after_seq) AND e."txOrder" < horizon
      AND (only_types IS NULL OR e."type" = ANY(only_types))
      AND (only_aggregate IS NULL OR e."aggregateId" = only_aggregate)
    ORDER BY e."txOrder", e."sequence"
    LIMIT max_rows;
END
$$;

-- The last event in log order below the horizon (where a follower that wants only new events starts).
CREATE FUNCTION "platform"."event_log_head"() RETURNS TABLE(tx_order bigint, seq bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  horizon bigint;
BEGIN
  SELECT "platform"."event_log_horizon"() INTO horizon;
  RETURN QUERY SELECT e."txOrder", e."sequence" FROM "platform"."EventLog" e WHERE e."txOrder" < horizon
    ORDER BY e."txOrder" DESC, e."sequence" DESC LIMIT 1;
END
$$;
