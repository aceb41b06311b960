/// The checkpoint statements.
enum CheckpointSQL {
    static let ensure = """
        INSERT INTO ledger.projection_checkpoints (projection) VALUES ($1) ON CONFLICT (projection) DO NOTHING
        """
    static let load = """
        SELECT transaction_id::text, global_position FROM ledger.projection_checkpoints WHERE projection = $1
        """
    /// Whether events of the projection's types are committed or in flight past its checkpoint but
    /// not yet below the horizon (so a re-check soon will find them).
    static let unsettled = """
        SELECT EXISTS (SELECT FROM ledger.events e, ledger.projection_checkpoints c
                        WHERE c.projection = $1 AND e.event_type = ANY ($2::text[])
                          AND (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position))
        """
    static let advance = """
        UPDATE ledger.projection_checkpoints
           SET transaction_id = $4::xid8, global_position = $5, events_applied = events_applied + $6,
               last_recorded_at = $7, updated_at = clock_timestamp(),
               failing = false, error_message = NULL, error_position = NULL, error_at = NULL, attempts = 0
         WHERE projection = $1 AND transaction_id = $2::xid8 AND global_position = $3
        """
    static let recordFailure = """
        UPDATE ledger.projection_checkpoints
           SET failing = true, error_message = $2, error_position = $3, error_at = clock_timestamp(),
               attempts = attempts + 1
         WHERE projection = $1
        """
}
