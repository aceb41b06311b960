import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// DOMAIN.md §10's card-cart examples, run as commands through the handler and PostgreSQL.
@Suite("worked examples: card carts and application fees")
struct CardPaymentExamplesTests {
    static let gateway: JSONValue = ["kind": "gateway", "id": "gmo"]
    static let sweeper: JSONValue = ["kind": "daemon", "id": "sweeper"]

    /// Files, approves (fee 1,100 on a 2025 date) and adds to ichiro's cart the given applications.
    func approvedInCart(
        _ ledger: LedgerFixture, _ receptionNos: [String], user: JSONValue = LedgerFixture.ichiro,
        date: String = "2025-03-17", addToCart: Bool = true
    ) async throws {
        for receptionNo in receptionNos {
            let submitted = await ledger.run(
                "SubmitApplication", user, at: "\(date)T09:00:00+09:00",
                LedgerFixture.application(receptionNo, method: "card", date: date))
            #expect(submitted.status == .ok, "\(submitted.jsonLine)")
            let approved = await ledger.run(
                "ApproveApplication", LedgerFixture.staff, at: "\(date)T09:30:00+09:00",
                ["receptionNo": .string(receptionNo)])
            #expect(approved.result?["feeYen"] == 1100)
            if addToCart {
                let added = await ledger.run(
                    "AddToCart", user, at: "\(date)T09:59:00+09:00",
                    ["receptionNo": .string(receptionNo)])
                #expect(added.status == .ok, "\(added.jsonLine)")
            }
        }
    }

    func events(_ ledger: LedgerFixture, _ stream: String) async throws -> [RecordedEvent] {
        try await ledger.test.store.readWholeStream(StreamName(stream)!)
    }

    func statements(_ ledger: LedgerFixture, _ settlementNo: String) async throws -> [StatementIssued] {
        try await events(ledger, "payment-\(settlementNo)").filter { $0.eventType == StatementIssued.eventType }
            .map { try JSONCoding.decoder.decode(StatementIssued.self, from: Data($0.data.utf8)) }
    }

    @Test("EX-1: two 1,100-yen certificates in one card payment")
    func ex1() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await approvedInCart(ledger, ["000004172", "000012641"])
        let started = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00")
        #expect(started.status == .ok, "\(started.jsonLine)")
        #expect(started.result?["settlementNo"] == "20250317-8888000004-00001")
        #expect(started.result?["amountYen"] == 2200)
        #expect(started.result?["itemCount"] == 2)
        #expect(started.result?["productLabel"] == "貿易関係証明発給システム 2申請分手数料")
        #expect(started.result?["deadlineAt"] == "2025-03-17T10:05:00+09:00")
        let paid = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2025-03-17T10:03:00+09:00",
            [
                "settlementNo": "20250317-8888000004-00001", "outcome": "succeeded", "gatewayTransactionId": "tx-1",
                "capturedAmountYen": 2200, "cardBrand": "visa", "threeDSecure": true,
            ])
        #expect(paid.status == .ok, "\(paid.jsonLine)")
        let issued = try await statements(ledger, "20250317-8888000004-00001")
        #expect(issued.count == 2)
        #expect(
            issued.allSatisfy { $0.amountYen == 1100 && $0.taxableAmountYen == 1000 && $0.consumptionTaxYen == 100 })
        #expect(issued.allSatisfy { $0.payerUserId.stringValue == "ichiro" })
        #expect(Set(issued.map(\.issueNumber)).count == 2, "statement numbers are unique (I13)")
        for receptionNo in ["000004172", "000012641"] {
            let app = try await events(ledger, "application-\(receptionNo)")
            #expect(app.last?.eventType == ApplicationIssued.eventType)
        }
        #expect(try await events(ledger, "cart-ichiro").last?.eventType == CartCheckedOut.eventType)
        #expect(try await ledger.company().available == 0, "coupons are unaffected")
        // A re-delivered notification is a no-op (I20).
        let again = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2025-03-17T10:03:30+09:00",
            [
                "settlementNo": "20250317-8888000004-00001", "outcome": "succeeded", "gatewayTransactionId": "tx-1",
                "capturedAmountYen": 2200,
            ])
        #expect(again.status == .exists, "\(again.jsonLine)")
        #expect(try await statements(ledger, "20250317-8888000004-00001").count == 2)
    }

    @Test("EX-3: the 5-minute window expires; abandoned, or swept after the grace, then paid anew")
    func ex3() async throws {
        for abandon in [true, false] {
            let ledger = try await LedgerFixture.make()
            try await ledger.setUp()
            try await approvedInCart(ledger, ["000004172", "000012641"])
            _ = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00")
            if abandon {
                let abandoned = await ledger.run(
                    "AbandonCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:06:00+09:00",
                    ["settlementNo": "20250317-8888000004-00001"])
                #expect(
                    abandoned.events.map(\.eventType).filter { $0 == ApplicationPaymentReleased.eventType }.count == 2)
            } else {
                let early = await ledger.run("SweepDeadlines", Self.sweeper, at: "2025-03-17T10:06:59+09:00")
                #expect(early.events.isEmpty, "nothing is due before deadline + 120 s")
                let swept = await ledger.run("SweepDeadlines", Self.sweeper, at: "2025-03-17T10:07:00+09:00")
                #expect(swept.events.map(\.eventType).contains(PaymentAttemptTimedOut.eventType), "\(swept.jsonLine)")
            }
            let payment = try await events(ledger, "payment-20250317-8888000004-00001")
            #expect(!payment.contains { $0.eventType == StatementIssued.eventType })
            // Not back in the cart: the user adds them again and pays with a new settlement number.
            for receptionNo in ["000004172", "000012641"] {
                let added = await ledger.run(
                    "AddToCart", LedgerFixture.ichiro, at: "2025-03-17T10:08:00+09:00",
                    ["receptionNo": .string(receptionNo)])
                #expect(added.status == .ok, "\(added.jsonLine)")
            }
            let second = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:09:00+09:00")
            #expect(second.result?["settlementNo"] == "20250317-8888000004-00002")
            #expect(second.result?["amountYen"] == 2200)
        }
    }

    @Test("EX-4: a gateway error releases all eleven applications")
    func ex4() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let receptions = [
            "000003441", "000003431", "000003421", "000003411", "000003401", "000003391", "000003381",
            "000003371", "000003361", "000001321", "000001111",
        ]
        try await approvedInCart(ledger, receptions, user: LedgerFixture.taro, date: "2022-03-02")
        let started = await ledger.run("StartCardPayment", LedgerFixture.taro, at: "2022-03-02T10:00:00+09:00")
        #expect(started.result?["amountYen"] == 12100)
        let settlementNo = try #require(started.result?["settlementNo"]?.stringValue)
        let failed = await ledger.run(
            "RecordGatewayResult", Self.gateway, at: "2022-03-02T10:02:00+09:00",
            [
                "settlementNo": .string(settlementNo), "outcome": "failed", "gatewayTransactionId": "tx-e",
                "errorCode": "E11310004",
            ])
        #expect(failed.status == .ok, "\(failed.jsonLine)")
        #expect(failed.events.filter { $0.eventType == ApplicationPaymentReleased.eventType }.count == 11)
        let attempt = try await events(ledger, "payment-\(settlementNo)")
        let failure = try JSONCoding.decoder.decode(
            PaymentAttemptFailed.self,
            from: Data(try #require(attempt.last).data.utf8))
        #expect(failure.errorCode.stringValue == "E11310004")
        // They can be added again (「全てカートに追加」).
        let again = await ledger.run(
            "AddToCart", LedgerFixture.taro, at: "2022-03-02T10:05:00+09:00",
            ["receptionNo": "000003441"])
        #expect(again.status == .ok)
    }

    @Test("EX-18: a counter-issuance application cannot enter a cart")
    func ex18() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.grant(1, at: "2025-03-01T09:00:00+09:00")
        _ = await ledger.run(
            "SubmitApplication", LedgerFixture.ichiro, at: "2025-03-17T09:00:00+09:00",
            LedgerFixture.application("000000777", method: "coupon", channel: "counter", date: "2025-03-17"))
        _ = await ledger.run(
            "ApproveApplication", LedgerFixture.staff, at: "2025-03-17T09:30:00+09:00",
            ["receptionNo": "000000777"])
        let added = await ledger.run(
            "AddToCart", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00",
            ["receptionNo": "000000777"])
        #expect(added.error?.code == .notCardPayable)
    }

    @Test("EX-19: a late capture after the timeout issues; after another payment it becomes a refund due")
    func ex19() async throws {
        for paidElsewhere in [false, true] {
            let ledger = try await LedgerFixture.make()
            try await ledger.setUp()
            try await approvedInCart(ledger, ["000004172", "000012641"])
            _ = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00")
            _ = await ledger.run("SweepDeadlines", Self.sweeper, at: "2025-03-17T10:07:00+09:00")
            if paidElsewhere {
                for receptionNo in ["000004172", "000012641"] {
                    _ = await ledger.run(
                        "AddToCart", LedgerFixture.ichiro, at: "2025-03-17T10:07:10+09:00",
                        ["receptionNo": .string(receptionNo)])
                }
                _ = await ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:07:20+09:00")
                let paid = await ledger.run(
                    "RecordGatewayResult", Self.gateway, at: "2025-03-17T10:07:40+09:00",
                    [
                        "settlementNo": "20250317-8888000004-00002", "outcome": "succeeded",
                        "gatewayTransactionId": "tx-2",
                        "capturedAmountYen": 2200,
                    ])
                #expect(paid.status == .ok, "\(paid.jsonLine)")
            }
            let late = await ledger.run(
                "RecordGatewayResult", Self.gateway, at: "2025-03-17T10:08:00+09:00",
                [
                    "settlementNo": "20250317-8888000004-00001", "outcome": "succeeded", "gatewayTransactionId": "tx-1",
                    "capturedAmountYen": 2200,
                ])
            #expect(late.status == .ok, "\(late.jsonLine)")
            let attempt = try await events(ledger, "payment-20250317-8888000004-00001")
            if paidElsewhere {
                let due = try #require(attempt.first { $0.eventType == RefundBecameDue.eventType })
                let refund = try JSONCoding.decoder.decode(RefundBecameDue.self, from: Data(due.data.utf8))
                #expect(refund.reason == .duplicateCapture)
                #expect(refund.basisYen == 2200)
                for receptionNo in ["000004172", "000012641"] {
                    let issued = try await events(ledger, "application-\(receptionNo)")
                        .filter { $0.eventType == ApplicationIssued.eventType }
                    #expect(issued.count == 1, "paid once (I5)")
                }
            } else {
                let succeeded = try #require(attempt.first { $0.eventType == PaymentAttemptSucceeded.eventType })
                #expect(
                    try JSONCoding.decoder.decode(PaymentAttemptSucceeded.self, from: Data(succeeded.data.utf8)).late)
                #expect(attempt.filter { $0.eventType == StatementIssued.eventType }.count == 2)
            }
            let failures = try await ledger.auditFailures()
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test("EX-20: two users race to pay the same application: exactly one link commits")
    func ex20() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await approvedInCart(ledger, ["000004172"], addToCart: false)
        // The soft exclusivity check lost a race: both carts hold it (appended directly).
        for user in ["taro", "ichiro"] {
            let item = CartItemAdded(
                userId: try UserId(parsing: user), tradeRegNo: try TradeRegNo(parsing: "8888000004"),
                receptionNo: try ReceptionNo(parsing: "000004172"), feeYen: 1100,
                certificateKind: .originJapan)
            let pending = PendingEvent(item)
            try await ledger.test.store.append(
                [NewEvent(eventType: pending.eventType, data: pending.data)],
                to: StreamName("cart-\(user)")!, expected: .any)
        }
        async let first = ledger.run("StartCardPayment", LedgerFixture.taro, at: "2025-03-17T10:00:00+09:00")
        async let second = ledger.run("StartCardPayment", LedgerFixture.ichiro, at: "2025-03-17T10:00:00+09:00")
        let outcomes = await [first, second]
        #expect(outcomes.filter { $0.status == .ok }.count == 1, "\(outcomes.map(\.jsonLine))")
        let loser = try #require(outcomes.first { $0.status == .rejected })
        #expect(loser.error?.code == .wrongState)
        #expect(loser.error?.message.contains("この申請は他の決済で処理中です") == true)
        let links = try await events(ledger, "application-000004172").filter {
            $0.eventType == ApplicationPaymentLinked.eventType
        }
        #expect(links.count == 1)
        let connection = try await ledger.test.connect()
        let attempts = try await connection.query(
            "SELECT count(*) FROM ledger.events WHERE event_type = 'PaymentAttemptStarted'"
        ).singleRow().decode(Int.self, 0)
        #expect(attempts == 1, "no PaymentAttemptStarted is left behind by the loser")
        await connection.close()
        #expect(try await ledger.auditFailures().isEmpty)
    }
}
