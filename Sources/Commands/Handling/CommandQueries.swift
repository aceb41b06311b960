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

    /// Bank orders a nightly run must look at: those still open, and those whose account received
    /// a deposit the order has not seen (refunded in full, O14).
    static let bankOrdersToCheck = """
        SELECT a.stream_id FROM ledger.events a
         WHERE a.event_type = 'VirtualAccountAssigned'
           AND (NOT EXISTS (SELECT FROM ledger.events t WHERE t.stream_id = a.stream_id
                              AND t.event_type IN ('CouponOrderFulfilled', 'CouponOrderCancelled', 'CouponOrderExpired',
                                                   'CouponOrderClosedUnderpaid'))
                OR EXISTS (SELECT FROM ledger.events d
                            WHERE d.event_type = 'BankDepositRecorded'
                              AND d.stream_id = 'bankAccount-' || (a.data -> 'account' ->> 'bankCode') || '_'
                                  || (a.data -> 'account' ->> 'branchCode') || '_' || (a.data -> 'account' ->> 'accountNumber')
                              AND NOT EXISTS (SELECT FROM ledger.events r WHERE r.stream_id = a.stream_id
                                                AND r.event_type = 'BankDepositReceived'
                                                AND r.data ->> 'depositId' = d.data -> 'deposit' ->> 'depositId')))
         ORDER BY a.global_position
        """

    /// Bank orders still waiting for their transfer (expiry candidates).
    static let openBankOrders = """
        SELECT a.stream_id FROM ledger.events a
         WHERE a.event_type = 'VirtualAccountAssigned'
           AND NOT EXISTS (SELECT FROM ledger.events t WHERE t.stream_id = a.stream_id
                             AND t.event_type IN ('CouponOrderFulfilled', 'CouponOrderCancelled', 'CouponOrderExpired',
                                                  'CouponOrderClosedUnderpaid', 'BankDepositReceived'))
         ORDER BY a.global_position
        """

    /// Orders with an accepted deposit and no fulfilment yet (scheduled issuance candidates).
    static let confirmedDeposits = """
        SELECT DISTINCT r.stream_id FROM ledger.events r
         WHERE r.event_type = 'BankDepositReceived' AND (r.data ->> 'acceptedForOrder')::boolean
           AND NOT EXISTS (SELECT FROM ledger.events f WHERE f.stream_id = r.stream_id
                             AND f.event_type = 'CouponOrderFulfilled')
        """

    /// The stream on which a refund became due.
    static let refundDue = """
        SELECT stream_id FROM ledger.events WHERE event_type = 'RefundBecameDue' AND lower(data ->> 'refundId') = lower($1)
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
