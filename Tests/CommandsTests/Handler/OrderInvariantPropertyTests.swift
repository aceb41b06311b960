import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// Random sequences over the whole command set (orders, deposits, card payments, applications),
/// seeded; after every step the store is folded from scratch and I1–I10 are checked.
@Suite("invariants I1–I10 under random sequences of every command")
struct OrderInvariantPropertyTests {
    static let gateway: JSONValue = ["kind": "gateway", "id": "gmo"]
    static let daemon: JSONValue = ["kind": "daemon", "id": "d"]
    static let bank: JSONValue = ["kind": "bankFeed", "id": "bank"]

    @Test("I1–I10 hold after every step", arguments: [UInt64(11), 12])
    func randomSequences(seed: UInt64) async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts(40)
        try await ledger.grant(3, at: "2026-04-01T08:00:00+09:00")
        var random = SplitMix64(seed: seed)
        var time = RFC3339.parse("2026-04-06T09:00:00+09:00")!
        var orders: [String] = []
        var settlements: [String] = []
        var accepted: [String: Int] = [:]
        func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))] }
        for step in 0..<120 {
            time = time.addingTimeInterval(Double(60 * (1 + Int(random.next() % 400))))
            let at = RFC3339.format(time)
            let today = String(at.prefix(10))
            let user = pick([LedgerFixture.ichiro, LedgerFixture.jiro, LedgerFixture.taro])!
            let reception = JSONValue.string(String(format: "%09d", 990_000 + Int(random.next() % 10)))
            var outcome: CommandOutcome
            switch random.next() % 12 {
            case 0, 1:
                let method = random.next() % 2 == 0 ? "card" : "bankTransfer"
                outcome = await ledger.run(
                    "PlaceCouponOrder", user, at: at,
                    CouponOrderExamplesTests.order(
                        method, [("M1", Int64(1 + random.next() % 3)), ("M30", Int64(random.next() % 2))]))
                if let orderNo = outcome.result?["orderNo"]?.stringValue, outcome.status == .ok {
                    orders.append(orderNo)
                }
                if let settlementNo = outcome.result?["settlementNo"]?.stringValue { settlements.append(settlementNo) }
            case 2:
                outcome = await ledger.run("CancelCouponOrder", user, at: at, ["orderNo": .string(pick(orders) ?? "x")])
            case 3:
                // A deposit into one of the first accounts: exact, short or over.
                let amount = Int64([1210, 2420, 3630, 1000, 40000][Int(random.next() % 5)])
                outcome = await ledger.run(
                    "RecordBankDeposit", Self.bank, at: at,
                    [
                        "depositId": .string("D\(step)"), "bankCode": "0310", "branchCode": "502",
                        "accountNumber": .string(String(6_818_564 + Int(random.next() % 6))), "amountYen": .int(amount),
                        "depositedOn": .string(today),
                    ])
            case 4:
                outcome = await ledger.run(
                    "RunNightlyDepositCheck", Self.daemon, at: at, ["businessDate": .string(today)])
            case 5:
                outcome = await ledger.run("IssueScheduledCoupons", Self.daemon, at: at, ["date": .string(today)])
            case 6:
                let settlementNo = pick(settlements) ?? "20260406-8888000004-00001"
                let succeeded = random.next() % 3 != 0
                var fields: [String: JSONValue] = [
                    "settlementNo": .string(settlementNo),
                    "outcome": succeeded ? "succeeded" : "failed",
                    "gatewayTransactionId": .string("GW-\(settlementNo.suffix(5))"),
                ]
                if succeeded {
                    let payment = try await ledger.test.store.readWholeStream(StreamName("payment-\(settlementNo)")!)
                        .first
                    let started = try payment.map {
                        try JSONCoding.decoder.decode(PaymentAttemptStarted.self, from: Data($0.data.utf8))
                    }
                    fields["capturedAmountYen"] = .int(started?.amountYen.value ?? 0)
                } else {
                    fields["errorCode"] = "E11310004"
                }
                outcome = await ledger.run("RecordGatewayResult", Self.gateway, at: at, fields)
            case 7:
                outcome = await ledger.run(
                    "SubmitApplication", user, at: at,
                    LedgerFixture.application(
                        reception.stringValue!, method: random.next() % 2 == 0 ? "card" : "coupon", date: today))
            case 8:
                outcome = await ledger.run(
                    "ApproveApplication", LedgerFixture.staff, at: at, ["receptionNo": reception])
            case 9:
                outcome = await ledger.run("AddToCart", user, at: at, ["receptionNo": reception])
            case 10:
                outcome = await ledger.run("StartCardPayment", user, at: at)
                if let settlementNo = outcome.result?["settlementNo"]?.stringValue { settlements.append(settlementNo) }
            default:
                outcome = await ledger.run("SweepDeadlines", Self.daemon, at: at)
            }
            #expect(outcome.status != .error, "seed \(seed) step \(step): \(outcome.jsonLine)")
            if outcome.status == .ok { for event in outcome.events { accepted[event.eventType, default: 0] += 1 } }
            try await InvariantChecker.check(ledger, context: "seed \(seed) step \(step)")
        }
        for type in ["CouponOrderPlaced", "PaymentAttemptStarted", "CouponsIssued", "ApplicationSubmitted"] {
            #expect(accepted[type, default: 0] > 0, "seed \(seed): no \(type) was accepted: \(accepted)")
        }
    }
}

/// Folds the whole store and checks DOMAIN.md's I1–I10.
enum InvariantChecker {
    static func check(_ ledger: LedgerFixture, context: String) async throws {
        var events: [RecordedEvent] = []
        var position: Int64 = 0
        while true {
            let batch = try await ledger.test.store.read(afterPosition: position, limit: 1000)
            guard let last = batch.last else { break }
            events += batch
            position = last.globalPosition
        }
        var available: Int64 = 0
        var pending: Int64 = 0
        var openOrder: String?
        var openCoupons: [String: Int64] = [:]
        var closed = Set<String>()
        var issuedOrders: [String: Int] = [:]
        var totals: [String: Int64] = [:]
        var held: [String: Int64] = [:]
        var issuedApplications: [String: Int] = [:]
        var links: [String: Int] = [:]
        var fees: [String: Int64] = [:]
        var captured: [String: Int64] = [:]
        var statementSums: [String: Int64] = [:]
        var purposes: [String: PaymentPurpose] = [:]
        for event in events {
            let data = Data(event.data.utf8)
            let at = "\(context) at position \(event.globalPosition) (\(event.eventType))"
            switch event.stream.category {
            case "company":
                guard let decoded = try CompanyEvent.decode(eventType: event.eventType, data: data) else { continue }
                switch decoded {
                case .couponUsed(let e):
                    available -= 1
                    held[e.receptionNo.stringValue, default: 0] += 1
                    #expect(Int64(e.balanceAfter.value) == available, "I2 \(at)")
                case .couponReturned(let e):
                    available += 1
                    held[e.receptionNo.stringValue, default: 0] -= 1
                    #expect(Int64(e.balanceAfter.value) == available, "I2 \(at)")
                case .couponsAdjusted(let e):
                    available += Int64(e.delta.value)
                    #expect(Int64(e.balanceAfter.value) == available, "I2 \(at)")
                case .purchaseOpened(let e):
                    #expect(openOrder == nil, "I4 a second purchase opened while \(openOrder ?? "") is open, \(at)")
                    openOrder = e.orderNo.stringValue
                    openCoupons[e.orderNo.stringValue] = Int64(e.coupons.value)
                    pending = Int64(e.coupons.value)
                case .purchaseClosed(let e):
                    #expect(closed.insert(e.orderNo.stringValue).inserted, "I4 closed twice, \(at)")
                    if openOrder == e.orderNo.stringValue {
                        openOrder = nil
                        pending = 0
                    }
                case .couponsIssued(let e):
                    available += Int64(e.coupons.value)
                    issuedOrders[e.orderNo.stringValue, default: 0] += 1
                    #expect(Int64(e.balanceAfter.value) == available, "I2 \(at)")
                    let expectedPending = openOrder.flatMap { $0 == e.orderNo.stringValue ? 0 : openCoupons[$0] } ?? 0
                    #expect(Int64(e.pendingAfter.value) == expectedPending, "I3 \(at)")
                    pending = Int64(e.pendingAfter.value)
                    if openOrder == e.orderNo.stringValue { pending = 0 }
                default: break
                }
                #expect(available >= 0 && pending >= 0, "I1 \(at)")
            case "couponOrder":
                if event.eventType == CouponOrderPlaced.eventType {
                    let placed = try JSONCoding.decoder.decode(CouponOrderPlaced.self, from: data)
                    var sum: Int64 = 0
                    var coupons: Int64 = 0
                    for line in placed.lines {
                        #expect(
                            line.lineAmountYen.value == line.unitPriceYen.value * Int64(line.quantity.value), "I8 \(at)"
                        )
                        sum += line.lineAmountYen.value
                        coupons += Int64(line.packSize.value) * Int64(line.quantity.value)
                    }
                    #expect(placed.amountYen.value == sum && Int64(placed.totalCoupons.value) == coupons, "I8 \(at)")
                    let split = TaxSplit(amount: placed.amountYen)
                    #expect(
                        placed.consumptionTaxYen == split.consumptionTax
                            && placed.taxableAmountYen == split.taxableAmount,
                        "I10 \(at)")
                    totals[placed.orderNo.stringValue] = Int64(placed.totalCoupons.value)
                }
            case "application":
                if event.eventType == ApplicationIssued.eventType {
                    issuedApplications[event.stream.id, default: 0] += 1
                }
                if event.eventType == ApplicationPaymentLinked.eventType {
                    links[event.stream.id, default: 0] += 1
                    #expect(links[event.stream.id] == 1, "I6 two open links, \(at)")
                }
                if event.eventType == ApplicationPaymentReleased.eventType
                    || event.eventType == ApplicationIssued.eventType
                {
                    links[event.stream.id] = 0
                }
            case "payment":
                let settlement = event.stream.id
                switch event.eventType {
                case PaymentAttemptStarted.eventType:
                    let started = try JSONCoding.decoder.decode(PaymentAttemptStarted.self, from: data)
                    purposes[settlement] = started.purpose
                    if started.purpose == .applicationFees {
                        let sum = (started.items ?? []).reduce(Int64(0)) { $0 + $1.feeYen.value }
                        #expect(started.amountYen.value == sum, "I7 \(at)")
                    }
                    fees[settlement] = started.amountYen.value
                case PaymentAttemptSucceeded.eventType:
                    let succeeded = try JSONCoding.decoder.decode(PaymentAttemptSucceeded.self, from: data)
                    captured[settlement] = succeeded.capturedAmountYen.value
                    #expect(succeeded.capturedAmountYen.value == fees[settlement], "I7 \(at)")
                case StatementIssued.eventType:
                    let statement = try JSONCoding.decoder.decode(StatementIssued.self, from: data)
                    let split = TaxSplit(amount: statement.amountYen)
                    #expect(
                        statement.consumptionTaxYen == split.consumptionTax
                            && statement.taxableAmountYen == split.taxableAmount, "I10 \(at)")
                    statementSums[settlement, default: 0] += statement.amountYen.value
                default: break
                }
            default: break
            }
        }
        for (orderNo, count) in issuedOrders {
            #expect(count == 1, "I9 order \(orderNo) issued \(count) times, \(context)")
        }
        for (receptionNo, count) in held {
            #expect(count == 0 || count == 1, "I5 \(receptionNo) holds \(count), \(context)")
        }
        for (receptionNo, count) in issuedApplications {
            #expect(count == 1, "I5 \(receptionNo) issued \(count) times, \(context)")
        }
        for (settlement, amount) in captured where purposes[settlement] == .applicationFees {
            #expect(statementSums[settlement] == amount, "I7 statements ≠ capture on \(settlement), \(context)")
        }
        let company = try await ledger.company()
        #expect(Int64(company.available.value) == available, "state ≠ fold, \(context)")
    }
}
