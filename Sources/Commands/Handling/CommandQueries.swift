import EventStore
import Foundation

/// The few look-ups across streams that the handler needs before a read model exists for them.
/// Each is a plain read of `ledger.events` by event type (indexed), filtered on a payload field.
enum CommandQueries {
    /// Carts (`cart-<userId>` streams) that ever held `receptionNo`; the caller folds them to see
    /// which hold it now (R16 exclusivity is best effort, Q4).
    static let cartsMentioning = CommandQuery(
        """
        SELECT DISTINCT stream_id FROM ledger.events
         WHERE event_type = $2 AND data ->> 'receptionNo' = $1
        """, names: [.one(CartItemAdded.self)])

    /// Open card attempts past `deadlineAt` + grace: started, with no terminal event yet.
    static let overdueAttempts = CommandQuery(
        """
        SELECT s.stream_id FROM ledger.events s
         WHERE s.event_type = $3
           AND (s.data ->> 'deadlineAt')::timestamptz + make_interval(secs => $2) <= $1::timestamptz
           AND NOT EXISTS (SELECT FROM ledger.events t WHERE t.stream_id = s.stream_id
                             AND t.event_type = ANY ($4::text[]))
         ORDER BY s.global_position
        """, names: [.one(PaymentAttemptStarted.self), .any(paymentEnds)])

    /// Card attempts the sweeper may ask the gateway about (R21): past `deadlineAt` + grace, with
    /// no capture, failure or confirmation recorded, and either still open or ended (timed out,
    /// abandoned) less than the retry window after their deadline. `GatewayInquiry.isDue` decides
    /// on the folded state; this only narrows the candidates.
    static let gatewayInquiries = CommandQuery(
        """
        SELECT s.stream_id FROM ledger.events s
         WHERE s.event_type = $4
           AND (s.data ->> 'deadlineAt')::timestamptz + make_interval(secs => $2) <= $1::timestamptz
           AND NOT EXISTS (SELECT FROM ledger.events t WHERE t.stream_id = s.stream_id
                             AND t.event_type = ANY ($5::text[]))
           AND ((s.data ->> 'deadlineAt')::timestamptz + make_interval(secs => $3) > $1::timestamptz
                OR NOT EXISTS (SELECT FROM ledger.events e WHERE e.stream_id = s.stream_id
                                 AND e.event_type = ANY ($6::text[])))
         ORDER BY s.global_position
        """,
        names: [
            .one(PaymentAttemptStarted.self),
            .any([
                PaymentAttemptSucceeded.eventType, PaymentAttemptFailed.eventType,
                PaymentGatewayStatusConfirmed.eventType,
            ]),
            .any([PaymentAttemptTimedOut.eventType, PaymentAttemptAbandoned.eventType]),
        ])

    /// Bank orders a nightly run must look at: those still open, and those whose account received
    /// a deposit the order has not seen (refunded in full, O14). `$5` and `$6` rebuild the
    /// account's `bankAccount` stream name (`StreamID.bankAccount`).
    static let bankOrdersToCheck = CommandQuery(
        """
        SELECT a.stream_id FROM ledger.events a
         WHERE a.event_type = $1
           AND (NOT EXISTS (SELECT FROM ledger.events t WHERE t.stream_id = a.stream_id
                              AND t.event_type = ANY ($2::text[]))
                OR EXISTS (SELECT FROM ledger.events d
                            WHERE d.event_type = $3
                              AND d.stream_id = $5::text || '-' || (a.data -> 'account' ->> 'bankCode') || $6::text
                                  || (a.data -> 'account' ->> 'branchCode') || $6::text || (a.data -> 'account' ->> 'accountNumber')
                              AND NOT EXISTS (SELECT FROM ledger.events r WHERE r.stream_id = a.stream_id
                                                AND r.event_type = $4
                                                AND r.data ->> 'depositId' = d.data -> 'deposit' ->> 'depositId')))
         ORDER BY a.global_position
        """,
        names: [
            .one(VirtualAccountAssigned.self), .any(orderEnds), .one(BankDepositRecorded.self),
            .one(BankDepositReceived.self), .text(StreamCategory.bankAccount.rawValue),
            .text(StreamID.bankAccountSeparator),
        ])

    /// Bank orders still waiting for their transfer (expiry candidates).
    static let openBankOrders = CommandQuery(
        """
        SELECT a.stream_id FROM ledger.events a
         WHERE a.event_type = $1
           AND NOT EXISTS (SELECT FROM ledger.events t WHERE t.stream_id = a.stream_id
                             AND t.event_type = ANY ($2::text[]))
         ORDER BY a.global_position
        """, names: [.one(VirtualAccountAssigned.self), .any(orderEnds + [BankDepositReceived.eventType])])

    /// Orders with an accepted deposit and no fulfilment yet (scheduled issuance candidates).
    static let confirmedDeposits = CommandQuery(
        """
        SELECT DISTINCT r.stream_id FROM ledger.events r
         WHERE r.event_type = $1 AND (r.data ->> 'acceptedForOrder')::boolean
           AND NOT EXISTS (SELECT FROM ledger.events f WHERE f.stream_id = r.stream_id
                             AND f.event_type = $2)
        """, names: [.one(BankDepositReceived.self), .one(CouponOrderFulfilled.self)])

    /// The stream on which a refund became due.
    static let refundDue = CommandQuery(
        """
        SELECT stream_id FROM ledger.events WHERE event_type = $2 AND lower(data ->> 'refundId') = lower($1)
        """, names: [.one(RefundBecameDue.self)])

    /// The events that end a card attempt.
    static let paymentEnds = [
        PaymentAttemptSucceeded.eventType, PaymentAttemptFailed.eventType, PaymentAttemptTimedOut.eventType,
        PaymentAttemptAbandoned.eventType,
    ]
    /// The events that close a coupon order.
    static let orderEnds = [
        CouponOrderFulfilled.eventType, CouponOrderCancelled.eventType, CouponOrderExpired.eventType,
        CouponOrderClosedUnderpaid.eventType,
    ]

    static func streams(_ session: CommandSession, _ query: CommandQuery, _ parameters: [(any PGEncodable)?])
        async throws
        -> [StreamName]
    {
        try await streams(session.store, query, parameters)
    }

    static func streams(_ store: PostgresEventStore, _ query: CommandQuery, _ parameters: [(any PGEncodable)?])
        async throws
        -> [StreamName]
    {
        try await store.pool.withConnection { connection in
            try await connection.query(query.sql, parameters + query.nameParameters).rows.compactMap {
                StreamName(try $0.decode(String.self, 0))
            }
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
