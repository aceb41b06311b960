import EventStore

/// Every read model the engine maintains.
public enum ProjectionCatalog {
    public static let all: [any Projection] = [
        CouponBalanceProjection(), CouponHistoryProjection(), CouponOrderProjection(), ApplicationStatusProjection(),
        CreditStatementProjection(), BackOfficeProjection(), NotificationOutboxProjection(),
        UnresolvedMoneyProjection(),
        MoneyReceivedProjection(),
    ]

    public static func named(_ name: String) -> (any Projection)? { all.first { $0.name == name } }
}

/// One projection's checkpoint and health, for `ledger status` and `/health`.
public struct ProjectionStatus: Sendable, Codable {
    public var projection: String
    public var globalPosition: Int64
    public var eventsApplied: Int64
    /// Events of its types after its cursor (settled or not).
    public var lagEvents: Int64
    /// Seconds between the newest event of its types and the last one applied.
    public var lagSeconds: Double
    public var failing: Bool
    public var errorMessage: String?
    public var errorPosition: Int64?

    /// Reads every projection's status. `ensure` first creates missing checkpoint rows (a write);
    /// without it the read is read-only (probes, a standby) and a projection that never ran shows
    /// position 0 with all its events as lag.
    public static func all(_ connection: PGConnection, ensure: Bool = true) async throws -> [ProjectionStatus] {
        var statuses: [ProjectionStatus] = []
        for projection in ProjectionCatalog.all {
            if ensure { try await connection.query(CheckpointSQL.ensure, [projection.name]) }
            let row = try await connection.query(
                StatusSQL.status, [projection.name, PGTextArray(projection.eventTypes)]
            )
            .singleRow()
            statuses.append(
                ProjectionStatus(
                    projection: projection.name, globalPosition: try row.decode(Int64.self, 0),
                    eventsApplied: try row.decode(Int64.self, 1), lagEvents: try row.decode(Int64.self, 2),
                    lagSeconds: Double(try row.decode(String.self, 3)) ?? 0, failing: try row.decode(Bool.self, 4),
                    errorMessage: try row.decodeIfPresent(String.self, 5),
                    errorPosition: try row.decodeIfPresent(Int64.self, 6)))
        }
        return statuses
    }
}

enum StatusSQL {
    static let status = """
        SELECT coalesce(c.global_position, 0), coalesce(c.events_applied, 0),
               (SELECT count(*) FROM ledger.events e WHERE e.event_type = ANY ($2::text[])
                   AND (e.transaction_id, e.global_position)
                       > (coalesce(c.transaction_id, '0'::xid8), coalesce(c.global_position, 0))),
               coalesce(extract(epoch FROM
                   (SELECT max(recorded_at) FROM ledger.events e WHERE e.event_type = ANY ($2::text[]))
                   - coalesce(c.last_recorded_at,
                              (SELECT min(recorded_at) FROM ledger.events e WHERE e.event_type = ANY ($2::text[])))),
                        0)::float8::text,
               coalesce(c.failing, false), c.error_message, c.error_position
          FROM (SELECT $1::text AS projection) p
          LEFT JOIN ledger.projection_checkpoints c ON c.projection = p.projection
        """
}
