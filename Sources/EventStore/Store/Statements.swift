/// Every statement the event store sends. DDL and the server-side functions they call live in
/// `schema/`; these are one-line calls and plain reads, always with bound parameters.
enum Statements {
    /// The columns of `ledger.events` in the order `RecordedEvent.init(row:)` decodes them.
    static let eventColumns = """
        global_position, stream_id, stream_version, event_id, event_type, schema_version, \
        data::text, metadata::text, occurred_at, recorded_at, transaction_id::text
        """

    static let append = """
        SELECT a ->> 'status', (a -> 'events')::text, (a -> 'result')::text,
               a ->> 'stream', a ->> 'actual', a ->> 'commandId'
          FROM ledger.append_events($1::jsonb, $2::jsonb, $3::jsonb) AS a
        """

    static let recordedCommand = """
        SELECT fingerprint = encode(sha256(convert_to($2, 'UTF8')), 'hex'),
               (result -> 'events')::text, (result -> 'result')::text
          FROM ledger.commands WHERE command_id = $1
        """

    /// The wake-up sent after a successful append (outside the writing transaction).
    /// The wake-up after appends. A notifying transaction gets a transaction id, so by default its
    /// commit waits for a disk flush, holding PostgreSQL's notify lock meanwhile; a wake-up is only
    /// a hint, so this one commits without waiting (set_config(…, true) lasts to its commit).
    static let notify = "SELECT set_config('synchronous_commit', 'off', true), pg_notify('ledger_events', '')"

    static let streamVersion = """
        SELECT coalesce(max(stream_version), 0) FROM ledger.events WHERE stream_id = $1
        """

    static let readStreamForward = """
        SELECT \(eventColumns) FROM ledger.events
         WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3
        """

    static let readStreamBackward = """
        SELECT \(eventColumns) FROM ledger.events
         WHERE stream_id = $1 AND stream_version <= $2 ORDER BY stream_version DESC LIMIT $3
        """

    static let readAfter = """
        SELECT \(eventColumns) FROM ledger.read_after($1::xid8, $2, $3)
        """

    static let readCategoryAfter = """
        SELECT \(eventColumns) FROM ledger.read_category_after($1, $2::xid8, $3, $4)
        """

    static let readTypesAfter = """
        SELECT \(eventColumns) FROM ledger.read_types_after($1::text[], $2::xid8, $3, $4)
        """

    static let readByPosition = """
        SELECT \(eventColumns) FROM ledger.events
         WHERE global_position > $1 ORDER BY global_position LIMIT $2
        """

    /// The horizon now, and the age in seconds of the oldest transaction holding it back
    /// (0 when none is open).
    static let horizon = """
        SELECT pg_snapshot_xmin(pg_current_snapshot())::text,
               coalesce(extract(epoch FROM clock_timestamp() - min(xact_start))::float8, 0)::text
          FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
        """
}
