-- The event log's notification names the types of the events appended (comma-separated, distinct),
-- so a consumer that handles none of them need not read the log at once (docs/decisions.md
-- "Consumers wake for the event types they handle"). An empty payload still means "anything"
-- (notifications from before this migration, or a list too long for a payload).
-- append_events is otherwise unchanged (migration 20261128160709_event_log_order).
CREATE OR REPLACE FUNCTION "platform"."append_events"(events jsonb) RETURNS TABLE(seq bigint, tx_order bigint, recorded_at timestamptz)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  types text;
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'append_events needs READ COMMITTED isolation, not %', current_setting('transaction_isolation');
  END IF;
  SELECT string_agg(DISTINCT e->>'type', ',') INTO types FROM jsonb_array_elements(events) AS x(e);
  IF length(types) > 7000 THEN
    types := ''; -- a NOTIFY payload is limited to 8000 bytes
  END IF;
  PERFORM pg_advisory_xact_lock_shared(pg_snapshot_xmax(pg_current_snapshot())::text::bigint), pg_notify('event_log', coalesce(types, ''));
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
