enum EventsSQL {
    /// The highest global position (0 on an empty store): the total of a progress display.
    static let head = "SELECT coalesce(max(global_position), 0) FROM ledger.events"

    /// One page of events as JSON objects; every filter is optional (NULL = no filter).
    static let page = """
        SELECT global_position, jsonb_build_object(
                 'globalPosition', global_position, 'streamId', stream_id, 'streamVersion', stream_version,
                 'eventId', event_id, 'eventType', event_type, 'schemaVersion', schema_version,
                 'occurredAt', occurred_at, 'recordedAt', recorded_at, 'transactionId', transaction_id::text,
                 'data', data, 'metadata', metadata)::text
          FROM ledger.events
         WHERE global_position > $1 AND global_position <= $2
           AND ($3::text IS NULL OR stream_id = $3)
           AND ($4::text IS NULL OR split_part(stream_id, '-', 1) = $4)
           AND ($5::text[] IS NULL OR event_type = ANY ($5::text[]))
           AND ($6::timestamptz IS NULL OR occurred_at >= $6)
           AND ($7::timestamptz IS NULL OR occurred_at <= $7)
         ORDER BY global_position LIMIT $8
        """
}
