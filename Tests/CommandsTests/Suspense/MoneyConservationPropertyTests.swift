import EventStore
import Foundation
import Projections
import TestSupport
import Testing

@testable import Commands
@testable import Domain

/// Issue #13's property: a seeded mix of valid, late, duplicate, wrong-amount and misdirected
/// card captures and bank deposits, with resolutions and refunds, through the handler and
/// PostgreSQL. After every step the store folded from scratch (`ledger audit`'s fold) satisfies
/// the balance equation (M1) and every other invariant, and no money fact is ever refused.
@Suite("the balance equation holds after every step of a seeded mix of money facts")
struct MoneyConservationPropertyTests {
    static let gateway = LedgerFixture.gateway

    /// What the run has seen so far.
    struct World {
        var day = JSTDate(year: 2026, month: 4, day: 6)!
        var minute = 0
        var bankOrders: [(orderNo: String, account: String, amount: Int64)] = []
        var openBankOrder: Int?
        var cardAttempts: [(settlementNo: String, amount: Int64)] = []
        var captures: [[String: JSONValue]] = []
        var deposits: [[String: JSONValue]] = []
        /// Open suspense items: id and kind.
        var items: [(id: String, kind: String)] = []
        var accountsTaken = 0
        var depositCount = 0
        var txnCount = 0

        /// The next instant of the business day, a few minutes on.
        mutating func at(_ random: inout SplitMix64) -> String {
            minute = min(minute + Int.random(in: 1...40, using: &random), 13 * 60)
            let h = 9 + minute / 60
            let m = minute % 60
            return "\(day.stringValue)T\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m):00+09:00"
        }
    }

    @Test("seeded runs", arguments: [UInt64(13), 2026, 0x5EED])
    func seeded(_ seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        try await ledger.loadAccounts(30)
        var world = World()
        for step in 0..<80 {
            let action = Int.random(in: 0..<13, using: &random)
            let label = try await perform(action, &world, &random, ledger)
            let findings = try await InvariantAudit(store: ledger.test.store).run()
            let failed = findings.filter { $0.status == .fail }
            #expect(
                failed.isEmpty,
                "seed \(seed) step \(step) (\(label)): \(failed.map { "\($0.invariant) \($0.counterexample ?? "")" })")
            if !failed.isEmpty { return }
        }
        // The suspense rows agree with the audit's unresolved yen.
        for projection in ProjectionCatalog.all {
            _ = try await ProjectionWorker(
                projection: projection, store: ledger.test.store, conninfo: ledger.test.conninfo
            )
            .catchUp()
        }
        let connection = try await ledger.test.connect()
        let open = try await connection.query(
            "SELECT coalesce(sum(amount_yen), 0)::bigint FROM projections.unresolved_money WHERE state = 'open'"
        ).singleRow().decode(Int64.self, 0)
        await connection.close()
        let total = try await InvariantAudit(store: ledger.test.store).run().first { $0.invariant == "M1" }?.money?.last
        #expect(total?.day == "total")
        #expect(total?.unresolvedYen == open)
        #expect((total?.receivedYen ?? 0) > 0)
    }

    /// Runs one step; returns what it did.
    func perform(_ action: Int, _ world: inout World, _ random: inout SplitMix64, _ ledger: LedgerFixture) async throws
        -> String
    {
        switch action {
        case 0, 12:
            // A bank order, when none is open.
            guard world.openBankOrder == nil else { return "bank order skipped" }
            let quantity = Int64.random(in: 1...3, using: &random)
            let placed = await ledger.run(
                "PlaceCouponOrder", LedgerFixture.jiro, at: world.at(&random),
                LedgerFixture.order("bankTransfer", [("M1", quantity)]))
            guard placed.status == .ok, let orderNo = placed.result?["orderNo"],
                case .string(let number) = orderNo,
                case .string(let account)? = placed.result?["virtualAccount"]?["accountNumber"]
            else { return "bank order refused: \(placed.jsonLine)" }
            world.accountsTaken += 1
            world.bankOrders.append((number, account, 1_210 * quantity))
            world.openBankOrder = world.bankOrders.count - 1
            return "bank order \(number)"
        case 1, 2:
            // A deposit: exact, over or under into the open order's account, late into a closed
            // one's, into a pool account no order has, or into an unknown account.
            let amount: Int64
            let account: String
            let kind = Int.random(in: 0..<5, using: &random)
            if kind <= 1, let index = world.openBankOrder ?? world.bankOrders.indices.randomElement(using: &random) {
                let order = world.bankOrders[index]
                account = order.account
                amount = [order.amount, order.amount + 500, order.amount - 100].randomElement(using: &random)!
            } else if kind == 2, !world.bankOrders.isEmpty {
                account = world.bankOrders.randomElement(using: &random)!.account
                amount = 1_210
            } else if kind == 3 {
                // Misdirected: often the open order's amount paid into the wrong account.
                account = String(6_818_564 + 29 - Int.random(in: 0..<3, using: &random))
                amount =
                    world.openBankOrder.map { world.bankOrders[$0].amount }
                    ?? Int64.random(in: 1...20_000, using: &random)
            } else {
                account = String(9_000_000 + Int.random(in: 0..<100, using: &random))
                amount = Int64.random(in: 1...20_000, using: &random)
            }
            world.depositCount += 1
            let fields: [String: JSONValue] = [
                "depositId": .string("D\(world.depositCount)"), "bankCode": "0310", "branchCode": "502",
                "accountNumber": .string(account), "amountYen": .int(amount),
                "depositedOn": .string(world.day.stringValue), "payerName": "ﾆﾂｼﾖｳ",
            ]
            world.deposits.append(fields)
            return try await money("RecordBankDeposit", LedgerFixture.bank, fields, &world, &random, ledger)
        case 3:
            // A delivered money fact delivered again: `exists`, nothing written.
            guard let fields = (world.deposits + world.captures).randomElement(using: &random) else { return "none" }
            let command = fields["depositId"] == nil ? "RecordGatewayResult" : "RecordBankDeposit"
            let actor = command == "RecordGatewayResult" ? Self.gateway : LedgerFixture.bank
            let before = try await ledger.eventCount()
            let again = await ledger.run(command, actor, at: world.at(&random), fields)
            #expect(again.status == .exists, "\(again.jsonLine)")
            #expect(try await ledger.eventCount() == before)
            return "re-delivery"
        case 4:
            // A card coupon order.
            guard world.openBankOrder == nil else { return "card order skipped" }
            let quantity = Int64.random(in: 1...2, using: &random)
            let placed = await ledger.run(
                "PlaceCouponOrder", LedgerFixture.jiro, at: world.at(&random),
                LedgerFixture.order("card", [("M1", quantity)]))
            guard case .string(let settlementNo)? = placed.result?["settlementNo"] else {
                return "card order refused: \(placed.jsonLine)"
            }
            world.cardAttempts.append((settlementNo, 1_210 * quantity))
            return "card order \(settlementNo)"
        case 5, 6:
            // A capture: right, wrong amount, a second one, or under an unknown number.
            let kind = Int.random(in: 0..<4, using: &random)
            world.txnCount += 1
            var settlementNo = "\(world.day.compactString)-8888000004-9\(String(format: "%04d", world.txnCount))"
            var amount = Int64.random(in: 1...9_000, using: &random)
            if kind < 3, let attempt = world.cardAttempts.randomElement(using: &random) {
                settlementNo = attempt.settlementNo
                amount = kind == 1 ? attempt.amount + 10 : attempt.amount
            }
            let fields: [String: JSONValue] = [
                "settlementNo": .string(settlementNo), "outcome": "succeeded",
                "gatewayTransactionId": .string("tx-\(world.txnCount)"), "capturedAmountYen": .int(amount),
            ]
            world.captures.append(fields)
            return try await money("RecordGatewayResult", Self.gateway, fields, &world, &random, ledger)
        case 7, 8:
            // Staff resolve an open item.
            let choice = Int.random(in: 0..<3, using: &random)
            let candidates = choice == 2 ? world.items.filter { $0.kind == "bankDeposit" } : world.items
            guard let item = (candidates.isEmpty ? world.items : candidates).randomElement(using: &random)?.id else {
                return "nothing to resolve"
            }
            var fields: [String: JSONValue] = ["itemId": .string(item)]
            switch choice {
            case 0: fields["resolution"] = "refund"
            case 1:
                fields["resolution"] = "writeOff"
                fields["reason"] = "staff decision"
            default:
                fields["resolution"] = "applyToOrder"
                let order = Bool.random(using: &random) ? world.openBankOrder : nil
                fields["orderNo"] = .string(
                    (order.map { world.bankOrders[$0] } ?? world.bankOrders.randomElement(using: &random))?.orderNo
                        ?? "202604068888000004000001")
            }
            let resolved = await ledger.run(
                "ResolveUnresolvedMoney", LedgerFixture.staff, at: world.at(&random), fields)
            if resolved.status == .ok {
                world.items.removeAll { $0.id == item }
                if fields["resolution"] == "applyToOrder", world.openBankOrder != nil,
                    resolved.result?["order"]?["state"] == "fulfilled",
                    resolved.result?["orderNo"] == .string(world.bankOrders[world.openBankOrder!].orderNo)
                {
                    world.openBankOrder = nil
                }
            }
            return "resolve \(fields["resolution"]!): \(resolved.status) \(resolved.error?.code.rawValue ?? "")"
        case 9:
            // Staff record a refund that is due as paid.
            let connection = try await ledger.test.connect()
            let due = try await connection.query(
                """
                SELECT d.data ->> 'refundId', (d.data ->> 'basisYen')::bigint FROM ledger.events d
                 WHERE d.event_type = 'RefundBecameDue' AND NOT EXISTS (
                   SELECT FROM ledger.events r WHERE r.event_type = 'RefundRecorded'
                      AND r.data ->> 'refundId' = d.data ->> 'refundId')
                 ORDER BY d.global_position LIMIT 1
                """
            ).rows.map { (try $0.decode(String.self, 0), try $0.decode(Int64.self, 1)) }
            await connection.close()
            guard let (refundId, basis) = due.first else { return "no refund due" }
            let paid = await ledger.run(
                "RecordRefund", LedgerFixture.staff, at: world.at(&random),
                [
                    "refundId": .string(refundId), "paidYen": .int(basis), "deductedCostsYen": 0,
                    "paidOn": .string(world.day.stringValue), "method": "bankTransfer",
                ])
            #expect(paid.status == .ok, "\(paid.jsonLine)")
            return "refund paid"
        default:
            // The day ends: the nightly check, the sweep; the next morning's issuance.
            let night = await ledger.run(
                "RunNightlyDepositCheck", LedgerFixture.daemon, at: "\(world.day.stringValue)T23:30:00+09:00",
                ["businessDate": .string(world.day.stringValue)])
            #expect(night.status == .ok, "\(night.jsonLine)")
            let days = Int.random(in: 1...8, using: &random)
            world.day = world.day.adding(days: days)
            world.minute = 0
            let sweep = await ledger.run(
                "SweepDeadlines", LedgerFixture.daemon, at: "\(world.day.stringValue)T08:00:00+09:00")
            #expect(sweep.status == .ok, "\(sweep.jsonLine)")
            let issue = await ledger.run(
                "IssueScheduledCoupons", LedgerFixture.daemon, at: "\(world.day.stringValue)T08:30:00+09:00",
                ["date": .string(world.day.stringValue)])
            #expect(issue.status == .ok, "\(issue.jsonLine)")
            if let index = world.openBankOrder {
                let state = try await orderState(ledger, world.bankOrders[index].orderNo)
                if state != .awaitingTransfer && state != .depositConfirmed { world.openBankOrder = nil }
            }
            return "night, then \(days) days on"
        }
    }

    /// Records an outside money fact: never refused; a suspense item is remembered.
    func money(
        _ command: String, _ actor: JSONValue, _ fields: [String: JSONValue], _ world: inout World,
        _ random: inout SplitMix64, _ ledger: LedgerFixture
    ) async throws -> String {
        let outcome = await ledger.run(command, actor, at: world.at(&random), fields)
        #expect(outcome.status == .ok, "money is never refused: \(outcome.jsonLine)")
        if case .string(let item)? = outcome.result?["unresolved"]?["itemId"],
            case .string(let kind)? = outcome.result?["unresolved"]?["kind"]
        {
            world.items.append((item, kind))
        }
        return "\(command) \(outcome.result?["unresolved"]?["reason"].map { "\($0)" } ?? "fits")"
    }

    func orderState(_ ledger: LedgerFixture, _ orderNo: String) async throws -> CouponOrderState.Status? {
        var state = CouponOrderState()
        for event in try await ledger.test.store.readWholeStream(StreamName("couponOrder-\(orderNo)")!) {
            if let decoded = try CouponOrderEvent.decode(eventType: event.eventType, data: Data(event.data.utf8)) {
                state = CouponOrderState.evolve(state, decoded)
            }
        }
        return state.status
    }
}
