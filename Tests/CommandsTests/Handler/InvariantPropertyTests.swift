import EventStore
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// Random valid and invalid command sequences (seeded; the seed is in every failure message),
/// with the invariants checked after every step by folding the whole store from scratch.
@Suite("invariants under random command sequences")
struct InvariantPropertyTests {
    static let receptionPool = (1...12).map { String(format: "%09d", 880_000 + $0) }

    @Test("I1, I2, I5 hold after every step", arguments: [UInt64(1), 2, 3])
    func randomSequences(seed: UInt64) async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        var random = SplitMix64(seed: seed)
        var minute = 0
        var accepted: [String: Int] = [:]
        for step in 0..<120 {
            minute += 1
            let at = RFC3339.format(Date(timeIntervalSince1970: 1_775_000_000 + Double(minute * 60)))
            let reception = JSONValue.string(Self.receptionPool[Int(random.next() % UInt64(Self.receptionPool.count))])
            let user = random.next() % 2 == 0 ? LedgerFixture.ichiro : LedgerFixture.jiro
            let outcome: CommandOutcome
            switch random.next() % 9 {
            case 0:
                let delta = Int64(random.next() % 7) - 3
                outcome = await ledger.run(
                    "AdjustCoupons", LedgerFixture.staff, at: at,
                    ["tradeRegNo": "8888000004", "delta": .int(delta), "reason": "random"])
            case 1, 2:
                var fields = LedgerFixture.application(
                    reception.stringValue ?? "", method: random.next() % 3 == 0 ? "card" : "coupon")
                fields["applicationDate"] = "2026-04-02"
                outcome = await ledger.run("SubmitApplication", user, at: at, fields)
            case 3:
                outcome = await ledger.run(
                    "PutApplicationOnHold", LedgerFixture.staff, at: at, ["receptionNo": reception])
            case 4:
                outcome = await ledger.run(
                    "ResubmitApplication", user, at: at,
                    ["receptionNo": reception, "paymentMethod": random.next() % 2 == 0 ? "coupon" : "card"])
            case 5, 6:
                outcome = await ledger.run(
                    "ApproveApplication", LedgerFixture.staff, at: at, ["receptionNo": reception])
            case 7:
                outcome = await ledger.run(
                    "WithdrawApplication", random.next() % 2 == 0 ? user : LedgerFixture.staff, at: at,
                    ["receptionNo": reception, "reason": "random"])
            default:
                // Invalid on purpose: wrong actor, bad field, or a card number.
                outcome = await ledger.run(
                    "AdjustCoupons", LedgerFixture.ichiro, at: at,
                    ["tradeRegNo": "8888000004", "delta": 1, "reason": "4111111111111111"])
                #expect(outcome.status == .rejected, "seed \(seed) step \(step)")
            }
            #expect(outcome.status != .error, "seed \(seed) step \(step): \(outcome.jsonLine)")
            if outcome.status == .ok { accepted[outcome.events.first?.eventType ?? "?", default: 0] += 1 }
            try await checkInvariants(ledger, context: "seed \(seed) step \(step)")
        }
        // The sequence must really exercise the transitions, not be refused throughout.
        for type in ["CouponsAdjustedByChamber", "ApplicationSubmitted", "ApplicationPutOnHold", "ApplicationApproved"]
        {
            #expect(accepted[type, default: 0] > 0, "seed \(seed): no \(type) was accepted: \(accepted)")
        }
    }

    /// Folds every event from position 0 and checks the invariants.
    func checkInvariants(_ ledger: LedgerFixture, context: String) async throws {
        var events: [RecordedEvent] = []
        var position: Int64 = 0
        while true {
            let batch = try await ledger.test.store.read(afterPosition: position, limit: 1000)
            guard let last = batch.last else { break }
            events += batch
            position = last.globalPosition
        }
        var available: Int64 = 0
        var heldPerApplication: [String: Int64] = [:]
        var issuedPerApplication: [String: Int] = [:]
        for event in events {
            let data = Data(event.data.utf8)
            switch event.stream.category {
            case "company":
                guard let decoded = try CompanyEvent.decode(eventType: event.eventType, data: data) else {
                    Issue.record("\(context): unknown company event \(event.eventType)")
                    continue
                }
                var balanceAfter: Count?
                switch decoded {
                case .couponUsed(let e):
                    available -= Int64(e.coupons.value)
                    heldPerApplication[e.receptionNo.stringValue, default: 0] += 1
                    balanceAfter = e.balanceAfter
                case .couponReturned(let e):
                    available += Int64(e.coupons.value)
                    heldPerApplication[e.receptionNo.stringValue, default: 0] -= 1
                    balanceAfter = e.balanceAfter
                case .couponsAdjusted(let e):
                    available += Int64(e.delta.value)
                    balanceAfter = e.balanceAfter
                case .couponsIssued(let e):
                    available += Int64(e.coupons.value)
                    balanceAfter = e.balanceAfter
                default: break
                }
                #expect(available >= 0, "\(context): I1 balance negative at position \(event.globalPosition)")
                if let balanceAfter {
                    #expect(
                        Int64(balanceAfter.value) == available,
                        "\(context): I2 balanceAfter \(balanceAfter.value) ≠ running balance \(available)")
                }
            case "application":
                if event.eventType == ApplicationIssued.eventType {
                    issuedPerApplication[event.stream.id, default: 0] += 1
                }
            default: break
            }
        }
        for (reception, held) in heldPerApplication {
            #expect(held == 0 || held == 1, "\(context): I5 application \(reception) holds \(held) coupons")
        }
        for (reception, count) in issuedPerApplication {
            #expect(count == 1, "\(context): I5 application \(reception) issued \(count) times")
        }
        #expect(try await ledger.company().available.value == Int32(available), "\(context): state ≠ fold")
    }
}

extension JSONValue {
    var stringValue: String? { if case .string(let text) = self { text } else { nil } }
}
