import EventStore
import Foundation

/// The few look-ups across streams that the handler needs before a read model exists for them.
/// Each is a plain read of `ledger.events` by event type (indexed), filtered on a payload field.
enum CommandQueries {
    /// Carts (`cart-<userId>` streams) that ever held `receptionNo`; the caller folds them to see
    /// which hold it now (R16 exclusivity is best effort, Q4).
    static let cartsMentioning = """
        SELECT DISTINCT stream_id FROM ledger.events
         WHERE event_type = 'CartItemAdded' AND data ->> 'receptionNo' = $1
        """

    /// Open card attempts past `deadlineAt` + grace: started, with no terminal event yet.
    static let overdueAttempts = """
        SELECT s.stream_id FROM ledger.events s
         WHERE s.event_type = 'PaymentAttemptStarted'
           AND (s.data ->> 'deadlineAt')::timestamptz + make_interval(secs => $2) <= $1::timestamptz
           AND NOT EXISTS (SELECT FROM ledger.events t WHERE t.stream_id = s.stream_id
                             AND t.event_type IN ('PaymentAttemptSucceeded', 'PaymentAttemptFailed',
                                                  'PaymentAttemptTimedOut', 'PaymentAttemptAbandoned'))
         ORDER BY s.global_position
        """

    static func streams(_ session: CommandSession, _ sql: String, _ parameters: [(any PGEncodable)?]) async throws
        -> [StreamName]
    {
        try await session.store.pool.withConnection { connection in
            try await connection.query(sql, parameters).rows.compactMap { StreamName(try $0.decode(String.self, 0)) }
        }
    }
}

extension CommandSession {
    /// The carts that hold `receptionNo` now, loaded, by user.
    func cartsHolding(_ receptionNo: ReceptionNo) async throws -> [UserId: LoadedStream<CartState>] {
        var carts: [UserId: LoadedStream<CartState>] = [:]
        for name in try await CommandQueries.streams(self, CommandQueries.cartsMentioning, [receptionNo.stringValue]) {
            let loaded = try await load(name, CartState(), CartState.evolve)
            if loaded.state.contains(receptionNo), let user = try? UserId(parsing: name.id, field: "cart") {
                carts[user] = loaded
            }
        }
        return carts
    }
}
