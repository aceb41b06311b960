import EventStore
import Foundation
import Projections
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// Issue #13 items 1 and 2, through the handler and PostgreSQL: for each reason code the outside
/// fact is stored once (a re-delivery answers `exists`), the item appears in
/// `projections.unresolved_money` with its amount and reason, and resolving it does what
/// docs/commands.md says.
@Suite("the suspense account: money that fits nowhere is recorded, then resolved")
struct UnresolvedMoneyTests {
    static let gateway = LedgerFixture.gateway
    static let s1 = "20250317-8888000004-00001"
    static let order = "202401198888000004000001"

    func catchUp(_ ledger: LedgerFixture) async throws {
        for projection in ProjectionCatalog.all {
            _ = try await ProjectionWorker(
                projection: projection, store: ledger.test.store, conninfo: ledger.test.conninfo
            ).catchUp()
        }
    }

    /// The suspense rows, by item id.
    func rows(_ ledger: LedgerFixture) async throws -> [String: [String: JSONValue]] {
        try await objects(ledger, "SELECT to_jsonb(t)::text FROM projections.unresolved_money t")
            .reduce(into: [:]) { $0[$1["item_id"]?.textValue ?? ""] = $1 }
    }

    func objects(_ ledger: LedgerFixture, _ sql: String) async throws -> [[String: JSONValue]] {
        let connection = try await ledger.test.connect()
        let rows = try await connection.query(sql).rows.map { try $0.decode(String.self, 0) }
        await connection.close()
        return try rows.compactMap { text -> [String: JSONValue]? in
            if case .object(let object) = try JSONValue.decode(jsonText: text) { return object }
            return nil
        }
    }

    func capture(
        _ ledger: LedgerFixture, _ settlementNo: String, _ txn: String, _ amount: Int64,
        at: String = "2025-03-17T10:03:00+09:00"
    ) async -> CommandOutcome {
        await ledger.run(
            "RecordGatewayResult", Self.gateway, at: at,
            [
                "settlementNo": .string(settlementNo), "outcome": "succeeded", "gatewayTransactionId": .string(txn),
                "capturedAmountYen": .int(amount), "cardBrand": "visa",
            ])
    }

    func resolve(
        _ ledger: LedgerFixture, _ itemId: String, _ resolution: String, orderNo: String? = nil,
        reason: String? = nil, at: String = "2026-04-02T10:00:00+09:00"
    ) async -> CommandOutcome {
        var fields: [String: JSONValue] = ["itemId": .string(itemId), "resolution": .string(resolution)]
        if let orderNo { fields["orderNo"] = .string(orderNo) }
        if let reason { fields["reason"] = .string(reason) }
        return await ledger.run("ResolveUnresolvedMoney", LedgerFixture.staff, at: at, fields)
    }

    /// The fee attempt of EX-1: two 1,100-yen applications, 2,200 yen, started at 10:00.
    func ex1Attempt(_ ledger: LedgerFixture) async throws {
        try await ledger.setUp()
        try await CardPaymentExamplesTests().approvedInCart(ledger, ["000004172", "000012641"])
        let started = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00")
        #expect(started.result?["settlementNo"] == .string(Self.s1))
    }

    /// The answer of a recording command that fit nowhere: ok, one UnresolvedMoneyRecorded, and
    /// `result.unresolved` with the reason and amount. Returns the item id.
    func expectUnresolved(
        _ outcome: CommandOutcome, reason: UnresolvedReason, amount: Int64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        #expect(outcome.status == .ok, "\(outcome.jsonLine)", sourceLocation: sourceLocation)
        #expect(
            outcome.events.map(\.eventType).contains(UnresolvedMoneyRecorded.eventType), sourceLocation: sourceLocation)
        let unresolved = try #require(outcome.result?["unresolved"], sourceLocation: sourceLocation)
        #expect(unresolved["reason"] == .string(reason.rawValue), sourceLocation: sourceLocation)
        #expect(unresolved["amountYen"] == .int(amount), sourceLocation: sourceLocation)
        #expect(unresolved["kind"] == .string(reason.kind.rawValue), sourceLocation: sourceLocation)
        return try #require(unresolved["itemId"]?.textValue, sourceLocation: sourceLocation)
    }

    func expectRow(
        _ row: [String: JSONValue]?, reason: UnresolvedReason, amount: Int64, state: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(row?["reason"] == .string(reason.rawValue), sourceLocation: sourceLocation)
        #expect(row?["kind"] == .string(reason.kind.rawValue), sourceLocation: sourceLocation)
        #expect(row?["amount_yen"] == .int(amount), sourceLocation: sourceLocation)
        #expect(row?["state"] == .string(state), sourceLocation: sourceLocation)
    }

    @Test("wrongAmount: a capture of 2,000 for a 2,200 attempt is recorded, not refused; refunded in full")
    func wrongAmount() async throws {
        let ledger = try await LedgerFixture.make()
        try await ex1Attempt(ledger)
        let recorded = await capture(ledger, Self.s1, "tx-short", 2_000)
        let itemId = try expectUnresolved(recorded, reason: .wrongAmount, amount: 2_000)
        let again = await capture(ledger, Self.s1, "tx-short", 2_000, at: "2025-03-17T10:03:30+09:00")
        #expect(again.status == .exists, "re-delivered: \(again.jsonLine)")
        // No success: the attempt stays open, the applications unpaid (P2).
        let payment = try await ledger.test.store.readWholeStream(StreamName("payment-\(Self.s1)")!)
        #expect(payment.map(\.eventType) == [PaymentAttemptStarted.eventType])
        try await catchUp(ledger)
        var row = try await rows(ledger)[itemId]
        expectRow(row, reason: .wrongAmount, amount: 2_000, state: "open")
        #expect(row?["trade_reg_no"] == "8888000004")
        #expect(row?["settlement_no"] == .string(Self.s1))
        #expect(row?["status_label"] == "未処理")
        #expect(row?["gateway_transaction_id"] == "tx-short")

        let refunded = await resolve(ledger, itemId, "refund", at: "2025-03-18T10:00:00+09:00")
        #expect(refunded.status == .ok, "\(refunded.jsonLine)")
        #expect(
            refunded.events.map(\.eventType) == [RefundBecameDue.eventType, UnresolvedMoneyResolved.eventType])
        let refundId = try #require(refunded.result?["refundId"]?.textValue)
        let twice = await resolve(ledger, itemId, "writeOff", reason: "again", at: "2025-03-18T10:01:00+09:00")
        #expect(twice.error?.code == .alreadyResolved)
        #expect(twice.error?.details["resolution"] == "refund")
        let paid = await ledger.run(
            "RecordRefund", LedgerFixture.staff, at: "2025-03-19T10:00:00+09:00",
            [
                "refundId": .string(refundId), "paidYen": 2_000, "deductedCostsYen": 0, "paidOn": "2025-03-19",
                "method": "cardCancellation",
            ])
        #expect(paid.status == .ok, "\(paid.jsonLine)")
        try await catchUp(ledger)
        row = try await rows(ledger)[itemId]
        expectRow(row, reason: .wrongAmount, amount: 2_000, state: "resolved")
        #expect(row?["resolution"] == "refund")
        #expect(row?["resolved_by"] == "staff1")
        #expect(row?["status_label"] == "処理済（返金）")
        let refunds = try await objects(
            ledger, "SELECT to_jsonb(r)::text FROM projections.refund r WHERE refund_id = '\(refundId)'")
        #expect(refunds.first?["reason"] == "unresolvedMoney")
        #expect(refunds.first?["basis_yen"] == 2_000)
        #expect(refunds.first?["paid_yen"] == 2_000)
        let failures = try await ledger.auditFailures()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("attemptNoLongerOpen: a capture after the gateway reported failure is recorded; written off with a reason")
    func attemptNoLongerOpen() async throws {
        let ledger = try await LedgerFixture.make()
        try await ex1Attempt(ledger)
        let failed = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2025-03-17T10:02:00+09:00",
            [
                "settlementNo": .string(Self.s1), "outcome": "failed", "gatewayTransactionId": "tx-f",
                "errorCode": "E11310004",
            ])
        #expect(failed.status == .ok)
        let recorded = await capture(ledger, Self.s1, "tx-late", 2_200)
        let itemId = try expectUnresolved(recorded, reason: .attemptNoLongerOpen, amount: 2_200)
        let redelivered = await capture(ledger, Self.s1, "tx-late", 2_200)
        #expect(redelivered.status == .exists)
        try await catchUp(ledger)
        expectRow(try await rows(ledger)[itemId], reason: .attemptNoLongerOpen, amount: 2_200, state: "open")
        let noReason = await resolve(ledger, itemId, "writeOff", at: "2025-03-18T10:00:00+09:00")
        #expect(noReason.error?.code == .invalidCommand)
        #expect(noReason.error?.details["field"] == "reason")
        let notStaff = await ledger.run(
            "ResolveUnresolvedMoney", LedgerFixture.ichiro, at: "2025-03-18T10:00:00+09:00",
            ["itemId": .string(itemId), "resolution": "writeOff", "reason": "x"])
        #expect(notStaff.error?.code == .forbidden, "staff only")
        let id = UUID()
        let written = await ledger.run(
            "ResolveUnresolvedMoney", LedgerFixture.staff, at: "2025-03-18T10:00:00+09:00", id: id,
            ["itemId": .string(itemId), "resolution": "writeOff", "reason": "gateway confirmed a test capture"])
        #expect(written.status == .ok, "\(written.jsonLine)")
        #expect(written.events.map(\.eventType) == [UnresolvedMoneyResolved.eventType])
        let retried = await ledger.run(
            "ResolveUnresolvedMoney", LedgerFixture.staff, at: "2025-03-18T10:00:00+09:00", id: id,
            ["itemId": .string(itemId), "resolution": "writeOff", "reason": "gateway confirmed a test capture"])
        #expect(retried.status == .exists, "idempotent by command id")
        try await catchUp(ledger)
        let row = try await rows(ledger)[itemId]
        expectRow(row, reason: .attemptNoLongerOpen, amount: 2_200, state: "resolved")
        #expect(row?["resolution"] == "writeOff")
        #expect(row?["resolution_reason"] == "gateway confirmed a test capture")
        #expect(row?["resolved_by"] == "staff1")
        let failures = try await ledger.auditFailures()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("unknownSettlement: a capture under a number never started is recorded with its company; no order match")
    func unknownSettlement() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let unknown = "20250317-8888000004-00077"
        let recorded = await capture(ledger, unknown, "tx-x", 5_000)
        let itemId = try expectUnresolved(recorded, reason: .unknownSettlement, amount: 5_000)
        #expect(recorded.result?["unresolved"]?["tradeRegNo"] == "8888000004")
        let redelivered = await capture(ledger, unknown, "tx-x", 5_000)
        #expect(redelivered.status == .exists)
        let failure = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2025-03-17T10:04:00+09:00",
            [
                "settlementNo": .string(unknown), "outcome": "failed", "gatewayTransactionId": "tx-y",
                "errorCode": "E1",
            ])
        #expect(failure.error?.code == .unknownSettlement, "a failure moves no money")
        let malformed = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2025-03-17T10:04:00+09:00",
            ["settlementNo": .string(unknown), "outcome": "succeeded", "gatewayTransactionId": "tx-z"])
        #expect(malformed.error?.code == .invalidCommand, "malformed input is still refused")
        let before = try await ledger.eventCount()
        let applied = await resolve(ledger, itemId, "applyToOrder", orderNo: Self.order)
        #expect(applied.error?.code == .matchImpossible)
        #expect(try await ledger.eventCount() == before, "a refused resolution writes nothing")
        let nothing = await resolve(ledger, UUID().uuidString, "refund")
        #expect(nothing.error?.code == .unknownItem)
        let refunded = await resolve(ledger, itemId, "refund")
        #expect(refunded.status == .ok, "\(refunded.jsonLine)")
        try await catchUp(ledger)
        let row = try await rows(ledger)[itemId]
        expectRow(row, reason: .unknownSettlement, amount: 5_000, state: "resolved")
        #expect(row?["trade_reg_no"] == "8888000004")
        let failures = try await ledger.auditFailures()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("accountNeverAssigned: a deposit into a pool account no order has; applied to the open order")
    func accountNeverAssigned() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await ledger.placeEX9()
        let recorded = await ledger.deposit(id: "D-stray", amount: 13_200, on: "2024-01-22", account: "6818565")
        let itemId = try expectUnresolved(recorded, reason: .accountNeverAssigned, amount: 13_200)
        #expect(recorded.result?["recorded"] == true)
        let again = await ledger.deposit(id: "D-stray", amount: 13_200, on: "2024-01-22", account: "6818565")
        #expect(again.status == .exists)
        #expect(again.result?["unresolved"]?["itemId"] == .string(itemId))
        let deposit = try await ledger.test.store.readWholeStream(StreamName("deposit-D-stray")!)
        #expect(deposit.count == 1, "the fact is stored once")
        let feed = try await ledger.test.store.readWholeStream(StreamName("bankAccount-0310_502_6818565")!)
        #expect(feed.isEmpty, "kept out of the feed a later order of that account would read")
        // The order's own check finds nothing.
        let night = await ledger.nightly("2024-01-22")
        #expect(night.status == .ok)
        try await catchUp(ledger)
        expectRow(try await rows(ledger)[itemId], reason: .accountNeverAssigned, amount: 13_200, state: "open")
        #expect(try await rows(ledger)[itemId]?["account_no"] == "0310-502-6818565")

        let applied = await resolve(
            ledger, itemId, "applyToOrder", orderNo: Self.order, at: "2024-01-23T11:00:00+09:00")
        #expect(applied.status == .ok, "\(applied.jsonLine)")
        #expect(
            Set(applied.events.map(\.eventType)) == [
                BankDepositReceived.eventType, CouponOrderFulfilled.eventType, CouponsIssued.eventType,
                CouponPurchaseClosed.eventType, UnresolvedMoneyResolved.eventType,
            ])
        let company = try await ledger.company()
        #expect(company.available == 40)
        #expect(company.pending == 0 && company.openPurchase == nil)
        // A second stray deposit cannot pay the order now fulfilled.
        let second = await ledger.deposit(id: "D-stray-2", amount: 13_200, on: "2024-01-23", account: "6818566")
        let secondId = try expectUnresolved(second, reason: .accountNeverAssigned, amount: 13_200)
        let impossible = await resolve(
            ledger, secondId, "applyToOrder", orderNo: Self.order, at: "2024-01-23T11:05:00+09:00")
        #expect(impossible.error?.code == .matchImpossible)
        #expect(impossible.error?.details["state"] == "fulfilled")
        try await catchUp(ledger)
        let row = try await rows(ledger)[itemId]
        expectRow(row, reason: .accountNeverAssigned, amount: 13_200, state: "resolved")
        #expect(row?["resolution"] == "applyToOrder")
        #expect(row?["order_no"] == .string(Self.order))
        #expect(row?["status_label"] == "処理済（注文に充当）")
        let failures = try await ledger.auditFailures()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test(
        "unknownAccount: a deposit into an account not in the pool; applied to an expired order with the excess refunded"
    )
    func unknownAccount() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await ledger.placeEX9()
        // No deposit by 2024-02-18: the night of 02-19 expires the order (O10).
        let expiry = await ledger.nightly("2024-02-19")
        #expect(expiry.events.map(\.eventType).contains(CouponOrderExpired.eventType), "\(expiry.jsonLine)")
        let recorded = await ledger.deposit(id: "D-unknown", amount: 14_000, on: "2024-02-20", account: "9999999")
        let itemId = try expectUnresolved(recorded, reason: .unknownAccount, amount: 14_000)
        let redelivered = await ledger.deposit(id: "D-unknown", amount: 14_000, on: "2024-02-20", account: "9999999")
        #expect(redelivered.status == .exists)
        let small = await ledger.deposit(id: "D-small", amount: 100, on: "2024-02-20", account: "9999998")
        let smallId = try expectUnresolved(small, reason: .unknownAccount, amount: 100)
        let tooSmall = await resolve(
            ledger, smallId, "applyToOrder", orderNo: Self.order, at: "2024-02-21T10:00:00+09:00")
        #expect(tooSmall.error?.code == .matchImpossible, "an underpayment pays no order")
        let applied = await resolve(
            ledger, itemId, "applyToOrder", orderNo: Self.order, at: "2024-02-21T10:00:00+09:00")
        #expect(applied.status == .ok, "\(applied.jsonLine)")
        #expect(applied.result?["order"]?["couponsIssued"] == 40)
        guard case .array(let refunds) = applied.result?["order"]?["refundsDue"] else {
            Issue.record("no refund due: \(applied.jsonLine)")
            return
        }
        #expect(refunds.first?["basisYen"] == 800, "the excess, as for a matching deposit")
        #expect(
            !applied.events.map(\.eventType).contains(CouponPurchaseClosed.eventType), "an expired order held no lock")
        #expect(try await ledger.company().available == 40)
        try await catchUp(ledger)
        let rows = try await rows(ledger)
        expectRow(rows[itemId], reason: .unknownAccount, amount: 14_000, state: "resolved")
        expectRow(rows[smallId], reason: .unknownAccount, amount: 100, state: "open")
        #expect(rows[itemId]?["account_no"] == "0310-502-9999999")
        let failures = try await ledger.auditFailures()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("a card coupon order captured for another amount is recorded; the order stays as it was")
    func cardOrderWrongAmount() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let placed = await ledger.run(
            "PlaceCouponOrder", LedgerFixture.jiro, at: "2026-04-02T10:00:00+09:00",
            LedgerFixture.order("card", [("M1", 2)]))
        let settlementNo = try #require(placed.result?["settlementNo"]?.textValue)
        let recorded = await capture(ledger, settlementNo, "tx-c", 2_000, at: "2026-04-02T10:01:00+09:00")
        let itemId = try expectUnresolved(recorded, reason: .wrongAmount, amount: 2_000)
        #expect(recorded.result?["unresolved"]?["orderNo"] == placed.result?["orderNo"])
        #expect(try await ledger.company().pending == 2, "the order still awaits its card payment")
        try await catchUp(ledger)
        #expect(try await rows(ledger)[itemId]?["order_no"] == placed.result?["orderNo"])
    }
}

extension UnresolvedMoneyTests {
    @Test("daily_totals: every deposit on its credit date and every capture, by chamber; unmatched money apart")
    func dailyTotals() async throws {
        let ledger = try await LedgerFixture.make()
        _ = try await ledger.placeEX9()
        _ = await ledger.deposit(id: "D1", amount: 12_980, on: "2024-01-22")
        _ = await ledger.deposit(id: "D2", amount: 500, on: "2024-01-22", account: "7777777")
        _ = await capture(ledger, "20240122-8888000004-00009", "tx-u", 3_000, at: "2024-01-22T16:00:00+09:00")
        let night = await ledger.nightly("2024-01-22")
        #expect(night.events.map(\.eventType).contains(CouponOrderClosedUnderpaid.eventType))
        try await catchUp(ledger)
        let totals = try await objects(
            ledger,
            "SELECT to_jsonb(t)::text FROM projections.daily_totals t WHERE day = '2024-01-22' ORDER BY chamber_id")
        #expect(totals.count == 2, "\(totals)")
        let chamber = totals.first { $0["chamber_id"] == "kamikochi" }
        #expect(chamber?["deposits_yen"] == 12_980, "an underpaid deposit is money received too")
        #expect(chamber?["card_unmatched_yen"] == 3_000)
        #expect(chamber?["card_captured_yen"] == 3_000)
        #expect(chamber?["deposits_unmatched_yen"] == 0)
        let nobody = totals.first { $0["chamber_id"] == .null }
        #expect(nobody?["deposits_yen"] == 500)
        #expect(nobody?["deposits_unmatched_yen"] == 500)
    }
}

extension JSONValue {
    fileprivate var textValue: String? { if case .string(let value) = self { value } else { nil } }
}
