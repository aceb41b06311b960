-- 0001: the event store.
--
-- Why: everything the business knows is an immutable event in ledger.events. This file holds the
-- table, its append-only guard, the command (idempotency) table, the roles, and the one function
-- that appends. The global-order strategy (the xid8 horizon) lives here too, in one reviewed place.

CREATE SCHEMA IF NOT EXISTS ledger;

-- The migration runner records each applied file here (it creates nothing itself).
CREATE TABLE ledger.schema_migrations (
    version     integer     PRIMARY KEY,
    name        text        NOT NULL,
    checksum    text        NOT NULL,          -- SHA-256 of the file's bytes, hex
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- Roles are cluster-wide, so create them only when missing. They are group roles (NOLOGIN):
-- grant them to the login roles that the daemon, the projector and reporting users connect as.
DO $roles$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['ledger_writer', 'ledger_projector', 'ledger_reporting'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created at the same moment by a migration of another database
            END;
        END IF;
    END LOOP;
END
$roles$;

CREATE TABLE ledger.events (
    global_position bigint      GENERATED ALWAYS AS IDENTITY,
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL DEFAULT 1,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at     timestamptz NOT NULL,      -- business time of the fact (the command's `at`)
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- The writing transaction's id; assigned after the stream locks are held (see append_events).
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT events_pkey PRIMARY KEY (global_position),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
    CONSTRAINT events_stream_id_format CHECK (stream_id ~ '^[A-Za-z][A-Za-z0-9_]*-.+$'),
    CONSTRAINT events_stream_version_positive CHECK (stream_version >= 1),
    CONSTRAINT events_data_object CHECK (jsonb_typeof(data) = 'object'),
    CONSTRAINT events_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- Subscribers read in (transaction_id, global_position) order.
CREATE INDEX events_subscription_idx ON ledger.events (transaction_id, global_position);
-- Reads by category ("coupons" of "coupons-8888000004") and by type, in subscription order.
CREATE INDEX events_category_idx ON ledger.events ((split_part(stream_id, '-', 1)), transaction_id, global_position);
CREATE INDEX events_type_idx ON ledger.events (event_type, transaction_id, global_position);
CREATE INDEX events_recorded_at_idx ON ledger.events (recorded_at);

-- Append-only, enforced by the database whatever the role: UPDATE, DELETE and TRUNCATE fail with
-- SQLSTATE LD010. (A superuser can still disable triggers; `ledger verify` catches that.)
CREATE FUNCTION ledger.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on %.% is not allowed: the table is append-only', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'LD010',
              HINT = 'Record a correcting event instead of changing history.';
END
$$;

CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger.events
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON ledger.events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

-- Permanent idempotency: one row per command id, written in the same transaction as its events.
CREATE TABLE ledger.commands (
    command_id   uuid        PRIMARY KEY,
    fingerprint  text        NOT NULL,         -- SHA-256 (hex) of the caller's canonical command body
    result       jsonb       NOT NULL,         -- what the first execution answered
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TRIGGER commands_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger.commands
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER commands_refuse_truncate BEFORE TRUNCATE ON ledger.commands
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

-- append_events: the one way events enter the store.
--
-- p_command   {"commandId": uuid, "fingerprint": text, "result": {...}} or NULL (no idempotency);
--             the fingerprint is the command body in a canonical form; its SHA-256 is what is kept
-- p_streams   [{"stream": text, "expected": "any" | "noStream" | "streamExists" | <int version>}]
-- p_events    [{"stream", "eventId", "eventType", "schemaVersion", "data", "metadata", "occurredAt"}]
--             in append order; each event's stream must be listed in p_streams.
--
-- Returns one jsonb object:
--   {"status": "appended", "events": [{"stream","version","position","eventId","eventType"}...], "result": …}
--   {"status": "exists", …the stored answer of the first execution…}
--   {"status": "existsWithDifferentPayload", "commandId": …}
--   {"status": "wrongExpectedVersion", "stream": …, "expected": …, "actual": <int, 0 = no stream>}
-- Nothing is written unless the status is "appended".
--
-- Why the order of operations matters (the global-order strategy):
-- 1. The command id is locked and checked first, so two deliveries of one command serialize and
--    the second sees the first's row (READ COMMITTED takes a fresh snapshot per statement).
-- 2. Every stream touched is locked with pg_advisory_xact_lock, in one sorted order (no deadlock),
--    BEFORE the first write. Advisory locks assign no transaction id; the id is assigned by the
--    first INSERT, after the locks are held. So a later version of a stream always carries a larger
--    transaction id than an earlier one, and reading in (transaction_id, global_position) order
--    keeps every stream in version order.
-- 3. Expected versions are checked before any identity value is drawn, so a losing writer burns
--    no positions and writes nothing.
-- 4. Subscribers read only below the horizon pg_snapshot_xmin(pg_current_snapshot()): every
--    transaction below it has ended, so nothing can later appear behind a subscriber's cursor.
-- Wake-ups: the function does not NOTIFY. PostgreSQL serializes the commits of notifying
-- transactions on one global lock, which caps concurrent appends; the caller notifies after commit
-- instead (PostgresEventStore.append), in a transaction of its own that writes nothing.
-- The function refuses to run in a transaction that has already written (an id assigned before
-- the locks would break rule 2).
CREATE FUNCTION ledger.append_events(p_command jsonb, p_streams jsonb, p_events jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_command_id  uuid := (p_command ->> 'commandId')::uuid;
    v_stored      ledger.commands;
    v_stream      jsonb;
    v_lock_key    integer;
    v_actual      bigint;
    v_expected    jsonb;
    v_matches     boolean;
    v_fingerprint text;
    v_appended    jsonb;
    v_answer      jsonb;
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'append_events must be the first write of its transaction'
            USING ERRCODE = 'LD020';
    END IF;
    IF jsonb_typeof(p_streams) IS DISTINCT FROM 'array' OR jsonb_array_length(p_streams) = 0 THEN
        RAISE EXCEPTION 'append_events needs at least one stream' USING ERRCODE = 'LD021';
    END IF;

    IF EXISTS (SELECT FROM jsonb_array_elements(p_events) e
                WHERE NOT EXISTS (SELECT FROM jsonb_array_elements(p_streams) s
                                   WHERE s ->> 'stream' = e ->> 'stream')) THEN
        RAISE EXCEPTION 'an event names a stream that is not in the append''s stream list'
            USING ERRCODE = 'LD023';
    END IF;

    IF v_command_id IS NOT NULL THEN
        v_fingerprint := encode(sha256(convert_to(p_command ->> 'fingerprint', 'UTF8')), 'hex');
        PERFORM pg_advisory_xact_lock(2, hashtext(v_command_id::text));
        SELECT * INTO v_stored FROM ledger.commands WHERE command_id = v_command_id;
        IF FOUND THEN
            IF v_stored.fingerprint = v_fingerprint THEN
                RETURN v_stored.result || jsonb_build_object('status', 'exists');
            END IF;
            RETURN jsonb_build_object('status', 'existsWithDifferentPayload', 'commandId', v_command_id);
        END IF;
    END IF;

    FOR v_lock_key IN
        SELECT DISTINCT hashtext(s ->> 'stream') AS k FROM jsonb_array_elements(p_streams) s ORDER BY k
    LOOP
        PERFORM pg_advisory_xact_lock(1, v_lock_key);
    END LOOP;

    FOR v_stream IN SELECT * FROM jsonb_array_elements(p_streams) LOOP
        SELECT coalesce(max(stream_version), 0) INTO v_actual
          FROM ledger.events WHERE stream_id = v_stream ->> 'stream';
        v_expected := v_stream -> 'expected';
        v_matches := CASE
            WHEN v_expected = '"any"' THEN true
            WHEN v_expected = '"noStream"' THEN v_actual = 0
            WHEN v_expected = '"streamExists"' THEN v_actual > 0
            WHEN jsonb_typeof(v_expected) = 'number' THEN v_actual = (v_expected #>> '{}')::bigint
        END;
        IF v_matches IS NULL THEN
            RAISE EXCEPTION 'invalid expected version for stream %', v_stream ->> 'stream'
                USING ERRCODE = 'LD022';
        ELSIF NOT v_matches THEN
            RETURN jsonb_build_object('status', 'wrongExpectedVersion', 'stream', v_stream ->> 'stream',
                                      'expected', v_expected, 'actual', v_actual);
        END IF;
    END LOOP;

    WITH incoming AS (
        SELECT e.value AS event, e.ordinality AS n
          FROM jsonb_array_elements(p_events) WITH ORDINALITY e
    ), numbered AS (
        SELECT i.n, i.event ->> 'stream' AS stream_id,
               (SELECT coalesce(max(stream_version), 0) FROM ledger.events x
                 WHERE x.stream_id = i.event ->> 'stream')
               + row_number() OVER (PARTITION BY i.event ->> 'stream' ORDER BY i.n) AS stream_version,
               (i.event ->> 'eventId')::uuid AS event_id,
               i.event ->> 'eventType' AS event_type,
               coalesce((i.event ->> 'schemaVersion')::integer, 1) AS schema_version,
               i.event -> 'data' AS data,
               coalesce(i.event -> 'metadata', '{}'::jsonb) AS metadata,
               coalesce((i.event ->> 'occurredAt')::timestamptz, clock_timestamp()) AS occurred_at
          FROM incoming i
    ), inserted AS (
        INSERT INTO ledger.events (stream_id, stream_version, event_id, event_type, schema_version,
                                   data, metadata, occurred_at)
        SELECT stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at
          FROM numbered ORDER BY n
        RETURNING stream_id, stream_version, global_position, event_id, event_type
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'stream', stream_id, 'version', stream_version, 'position', global_position,
               'eventId', event_id, 'eventType', event_type) ORDER BY global_position), '[]'::jsonb)
      INTO v_appended FROM inserted;

    v_answer := jsonb_build_object('events', v_appended, 'result', coalesce(p_command -> 'result', 'null'::jsonb));
    IF v_command_id IS NOT NULL THEN
        INSERT INTO ledger.commands (command_id, fingerprint, result)
        VALUES (v_command_id, v_fingerprint, v_answer);
    END IF;

    RETURN v_answer || jsonb_build_object('status', 'appended');
END
$$;

-- The gap-free subscription reads (rule 4 above): events after a cursor, strictly below the
-- horizon, in (transaction_id, global_position) order. One function per filter so each uses its
-- own index.
CREATE FUNCTION ledger.read_after(p_transaction_id xid8, p_position bigint, p_limit integer)
RETURNS SETOF ledger.events
LANGUAGE sql STABLE AS $$
    SELECT * FROM ledger.events
     WHERE (transaction_id, global_position) > (p_transaction_id, p_position)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, global_position
     LIMIT p_limit
$$;

CREATE FUNCTION ledger.read_category_after(p_category text, p_transaction_id xid8, p_position bigint,
                                           p_limit integer)
RETURNS SETOF ledger.events
LANGUAGE sql STABLE AS $$
    SELECT * FROM ledger.events
     WHERE split_part(stream_id, '-', 1) = p_category
       AND (transaction_id, global_position) > (p_transaction_id, p_position)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, global_position
     LIMIT p_limit
$$;

CREATE FUNCTION ledger.read_types_after(p_types text[], p_transaction_id xid8, p_position bigint,
                                        p_limit integer)
RETURNS SETOF ledger.events
LANGUAGE sql STABLE AS $$
    SELECT * FROM ledger.events
     WHERE event_type = ANY (p_types)
       AND (transaction_id, global_position) > (p_transaction_id, p_position)
       AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY transaction_id, global_position
     LIMIT p_limit
$$;

GRANT USAGE ON SCHEMA ledger TO ledger_writer, ledger_projector, ledger_reporting;
GRANT SELECT, INSERT ON ledger.events, ledger.commands TO ledger_writer;
GRANT SELECT ON ledger.events TO ledger_projector;
GRANT SELECT ON ledger.schema_migrations TO ledger_writer, ledger_projector;
GRANT EXECUTE ON FUNCTION ledger.append_events(jsonb, jsonb, jsonb) TO ledger_writer;
GRANT EXECUTE ON FUNCTION ledger.read_after(xid8, bigint, integer),
                          ledger.read_category_after(text, xid8, bigint, integer),
                          ledger.read_types_after(text[], xid8, bigint, integer)
    TO ledger_writer, ledger_projector;
REVOKE ALL ON FUNCTION ledger.append_events(jsonb, jsonb, jsonb) FROM PUBLIC;
