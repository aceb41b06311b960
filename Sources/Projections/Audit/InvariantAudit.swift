import Commands
import EventStore
import Foundation

/// `ledger audit`: folds the whole store, in position order and in bounded batches, and checks
/// the invariants of DOMAIN.md §8 that events alone can show, each with pass/fail and the first
/// counterexample.
public struct InvariantAudit: Sendable {
    /// One invariant's outcome.
    public struct Finding: Sendable, Codable {
        public var invariant: String
        public var rule: String
        public var status: Status
        /// The first counterexample, with its global position.
        public var counterexample: String?
        /// For M1 (the balance equation): each business day and the total.
        public var money: [MoneyDay]? = nil

        public enum Status: String, Sendable, Codable { case pass, fail, notCheckable }
    }

    public let store: PostgresEventStore

    public init(store: PostgresEventStore) { self.store = store }

    /// Folds every event; `progress` gets the global position reached after each batch.
    public func run(progress: @Sendable (_ position: Int64) -> Void = { _ in }) async throws -> [Finding] {
        var state = AuditState()
        var position: Int64 = 0
        while true {
            let batch = try await store.read(afterPosition: position, limit: 5_000)
            guard let last = batch.last else { break }
            for event in batch { state.apply(event) }
            position = last.globalPosition
            progress(position)
        }
        return state.findings()
    }
}

/// The running fold of the audit.
struct AuditState {
    var failures: [String: String] = [:]
    var available: [String: Int64] = [:]
    var pending: [String: Int64] = [:]
    var openOrder: [String: (order: String, coupons: Int64)] = [:]
    var closedOrders = Set<String>()
    var issuedOrders: [String: Int] = [:]
    var orderCoupons: [String: Int64] = [:]
    var held: [String: Int64] = [:]
    var issuedApplications: [String: Int] = [:]
    var openLinks: [String: String] = [:]
    var attemptAmounts: [String: Int64] = [:]
    var attemptPurposes: [String: PaymentPurpose] = [:]
    var statementSums: [String: Int64] = [:]
    var captured: [String: Int64] = [:]
    var issueNumbers = Set<String>()
    var accounts = Set<String>()
    var deposits = Set<String>()
    var gatewayIds = Set<String>()
    var refundsDue: [String: RefundBecameDue] = [:]
    var refundsRecorded = Set<String>()
    var lastVersion: [String: Int64] = [:]
    var money = MoneyConservation()

    mutating func fail(_ invariant: String, _ event: RecordedEvent, _ message: String) {
        guard failures[invariant] == nil else { return }
        failures[invariant] =
            "global position \(event.globalPosition), stream \(event.stream), version "
            + "\(event.streamVersion): \(message)"
    }

    mutating func apply(_ event: RecordedEvent) {
        if event.streamVersion != (lastVersion[event.stream.rawValue] ?? 0) + 1 {
            fail("I11", event, "versions are not contiguous")
        }
        lastVersion[event.stream.rawValue] = event.streamVersion
        // Free text is screened; identifier fields are checked by their own formats (DOMAIN.md I18).
        for text in [event.data, event.metadata] {
            guard let value = try? JSONValue.decode(jsonText: text) else { continue }
            if let found = CommandEnvelope.screenCardData(value) {
                fail(
                    "I18", event,
                    "the payload holds what looks like card data (\(found.details["field"].map { "\($0)" } ?? ""))")
            }
        }
        let data = Data(event.data.utf8)
        do {
            switch event.stream.streamCategory {
            case .company: try company(event, data)
            case .couponOrder: try order(event, data)
            case .application: try application(event, data)
            case .payment: try payment(event, data)
            case .unresolved: try unresolved(event, data)
            default: break
            }
            try money.apply(event, data)
        } catch {
            fail("I19", event, "the payload does not decode as \(event.eventType): \(error)")
        }
    }

    mutating func company(_ event: RecordedEvent, _ data: Data) throws {
        guard let decoded = try CompanyEvent.decode(eventType: event.eventType, data: data) else {
            fail("I17", event, "\(event.eventType) does not belong on a company stream")
            return
        }
        let key = event.stream.id
        var balance = available[key] ?? 0
        func check(_ after: Count) {
            if Int64(after.value) != balance {
                fail("I2", event, "balanceAfter \(after.value) ≠ running balance \(balance)")
            }
        }
        switch decoded {
        case .couponUsed(let e):
            balance -= Int64(e.coupons.value)
            held[e.receptionNo.stringValue, default: 0] += 1
            check(e.balanceAfter)
        case .couponReturned(let e):
            balance += Int64(e.coupons.value)
            held[e.receptionNo.stringValue, default: 0] -= 1
            check(e.balanceAfter)
        case .couponsAdjusted(let e):
            balance += Int64(e.delta.value)
            check(e.balanceAfter)
        case .purchaseOpened(let e):
            if let open = openOrder[key] { fail("I4", event, "order \(e.orderNo) opened while \(open.order) is open") }
            openOrder[key] = (e.orderNo.stringValue, Int64(e.coupons.value))
            pending[key] = Int64(e.coupons.value)
        case .purchaseClosed(let e):
            if !closedOrders.insert(e.orderNo.stringValue).inserted {
                fail("I4", event, "order \(e.orderNo) closed twice")
            }
            if openOrder[key]?.order == e.orderNo.stringValue {
                openOrder[key] = nil
                pending[key] = 0
            }
        case .couponsIssued(let e):
            balance += Int64(e.coupons.value)
            check(e.balanceAfter)
            issuedOrders[e.orderNo.stringValue, default: 0] += 1
            if issuedOrders[e.orderNo.stringValue]! > 1 { fail("I9", event, "order \(e.orderNo) issued twice") }
            if let total = orderCoupons[e.orderNo.stringValue], total != Int64(e.coupons.value) {
                fail("I9", event, "issued \(e.coupons.value) coupons for an order of \(total)")
            }
            let open = openOrder[key]
            let expected = open.map { $0.order == e.orderNo.stringValue ? 0 : $0.coupons } ?? 0
            if Int64(e.pendingAfter.value) != expected {
                fail("I3", event, "pendingAfter \(e.pendingAfter.value) ≠ \(expected)")
            }
        default: break
        }
        available[key] = balance
        if balance < 0 || (pending[key] ?? 0) < 0 { fail("I1", event, "the balance went below zero (\(balance))") }
    }

    mutating func order(_ event: RecordedEvent, _ data: Data) throws {
        guard let decoded = try CouponOrderEvent.decode(eventType: event.eventType, data: data) else {
            fail("I17", event, "\(event.eventType) does not belong on a coupon order stream")
            return
        }
        switch decoded {
        case .placed(let e):
            var sum: Int64 = 0
            var coupons: Int64 = 0
            for line in e.lines {
                if line.lineAmountYen.value != line.unitPriceYen.value * Int64(line.quantity.value) {
                    fail("I8", event, "line \(line.productCode): amount ≠ unit price × quantity")
                }
                sum += line.lineAmountYen.value
                coupons += Int64(line.packSize.value) * Int64(line.quantity.value)
            }
            if sum != e.amountYen.value || coupons != Int64(e.totalCoupons.value) {
                fail("I8", event, "totals do not add up")
            }
            if !TaxSplit.isSplit(
                amount: e.amountYen, taxableAmount: e.taxableAmountYen, consumptionTax: e.consumptionTaxYen)
            {
                fail("I10", event, "the tax split of \(e.amountYen.value) does not hold")
            }
            orderCoupons[e.orderNo.stringValue] = Int64(e.totalCoupons.value)
        case .virtualAccountAssigned(let e):
            if !accounts.insert(e.account.key.description).inserted {
                fail("I14", event, "account \(e.account.key) assigned to a second order")
            }
        case .depositReceived(let e):
            if !deposits.insert(e.depositId.stringValue).inserted {
                fail("I20", event, "deposit \(e.depositId) recorded twice")
            }
        case .refundDue(let e): refund(e, event)
        case .refundRecorded(let e): recorded(e, event)
        default: break
        }
    }

    mutating func application(_ event: RecordedEvent, _ data: Data) throws {
        guard let decoded = try ApplicationEvent.decode(eventType: event.eventType, data: data) else {
            fail("I17", event, "\(event.eventType) does not belong on an application stream")
            return
        }
        let key = event.stream.id
        switch decoded {
        case .paymentLinked(let e):
            if let open = openLinks[key] { fail("I6", event, "linked to \(e.settlementNo) while \(open) is open") }
            openLinks[key] = e.settlementNo.stringValue
        case .paymentReleased: openLinks[key] = nil
        case .issued:
            openLinks[key] = nil
            issuedApplications[key, default: 0] += 1
            if issuedApplications[key]! > 1 { fail("I5", event, "application \(key) issued twice") }
        default: break
        }
        if let count = held[key], count < 0 || count > 1 {
            fail("I5", event, "application \(key) holds \(count) coupons")
        }
    }

    mutating func payment(_ event: RecordedEvent, _ data: Data) throws {
        guard let decoded = try PaymentEvent.decode(eventType: event.eventType, data: data) else {
            fail("I17", event, "\(event.eventType) does not belong on a payment stream")
            return
        }
        let key = event.stream.id
        switch decoded {
        case .started(let e):
            attemptPurposes[key] = e.purpose
            attemptAmounts[key] = e.amountYen.value
            if e.purpose == .applicationFees,
                (e.items ?? []).reduce(Int64(0), { $0 + $1.feeYen.value }) != e.amountYen.value
            {
                fail("I7", event, "the attempt's amount is not the sum of its items' fees")
            }
            if abs(e.deadlineAt.timeIntervalSince(e.startedAt) - 300) > 0.001 {
                fail("I21", event, "deadlineAt ≠ startedAt + 300 s")
            }
        case .succeeded(let e):
            if e.capturedAmountYen.value != attemptAmounts[key] {
                fail("I7", event, "captured amount ≠ attempt amount")
            }
            if !gatewayIds.insert("\(key)/\(e.gatewayTransactionId)").inserted {
                fail("I20", event, "gateway transaction \(e.gatewayTransactionId) recorded twice")
            }
            captured[key] = e.capturedAmountYen.value
        case .statementIssued(let e):
            if !issueNumbers.insert(e.issueNumber.stringValue).inserted {
                fail("I13", event, "issue number \(e.issueNumber) repeats")
            }
            if !TaxSplit.isSplit(
                amount: e.amountYen, taxableAmount: e.taxableAmountYen, consumptionTax: e.consumptionTaxYen)
            {
                fail("I10", event, "the tax split of statement \(e.issueNumber) does not hold")
            }
            statementSums[key, default: 0] += e.amountYen.value
            if attemptPurposes[key] == .applicationFees, let captured = captured[key], statementSums[key]! > captured {
                fail("I7", event, "statements exceed the captured amount")
            }
        case .refundDue(let e): refund(e, event)
        case .refundRecorded(let e): recorded(e, event)
        default: break
        }
    }

    mutating func unresolved(_ event: RecordedEvent, _ data: Data) throws {
        guard let decoded = try UnresolvedMoneyEvent.decode(eventType: event.eventType, data: data) else {
            fail("I17", event, "\(event.eventType) does not belong on a suspense item's stream")
            return
        }
        switch decoded {
        case .refundDue(let e): refund(e, event)
        case .refundRecorded(let e): recorded(e, event)
        default: break
        }
    }

    mutating func refund(_ due: RefundBecameDue, _ event: RecordedEvent) {
        if due.costsDeductible && due.reason != .overpayment {
            fail("I12", event, "costs deductible on a \(due.reason) refund")
        }
        refundsDue[due.refundId.uuidString] = due
    }

    mutating func recorded(_ paid: RefundRecorded, _ event: RecordedEvent) {
        guard let due = refundsDue[paid.refundId.uuidString] else {
            fail("I12", event, "refund \(paid.refundId) recorded but never due")
            return
        }
        if !refundsRecorded.insert(paid.refundId.uuidString).inserted { fail("I12", event, "refund recorded twice") }
        if paid.paidYen.value + paid.deductedCostsYen.value != due.basisYen.value {
            fail("I12", event, "paid + costs ≠ basis")
        }
        if paid.deductedCostsYen.value > 0 && due.reason != .overpayment {
            fail("I12", event, "costs deducted from a full refund")
        }
    }

    func findings() -> [InvariantAudit.Finding] {
        let checked: [(String, String)] = [
            ("I1", "the balance is never negative"), ("I2", "the balance equation and every balanceAfter hold"),
            ("I3", "pending equals the open order"), ("I4", "at most one open purchase per company"),
            ("I5", "an application is paid at most once; coupons held 0 or 1"),
            ("I6", "at most one open attempt per application"), ("I7", "amounts add up"),
            ("I8", "order arithmetic holds"), ("I9", "coupons issued once per paid order, in full"),
            ("I10", "the tax split holds"), ("I11", "stream versions are contiguous (ledger verify checks the rest)"),
            ("I12", "refunds only where the rules allow"), ("I13", "statement numbers are unique"),
            ("I14", "a virtual account is used once"), ("I18", "no card data in any event"),
            ("I19", "every payload decodes as its type"), ("I20", "each outside fact is recorded once"),
            ("I21", "deadlines are startedAt + 300 s"),
        ]
        var result = checked.map { id, rule in
            InvariantAudit.Finding(
                invariant: id, rule: rule, status: failures[id] == nil ? .pass : .fail,
                counterexample: failures[id])
        }
        result.insert(
            InvariantAudit.Finding(
                invariant: "I17", rule: "only listed transitions (events foreign to their stream)",
                status: failures["I17"] == nil ? .pass : .fail, counterexample: failures["I17"]),
            at: 14)
        let (days, counterexample) = money.balance()
        result.append(
            InvariantAudit.Finding(
                invariant: "M1",
                rule: "yen received = applied + refunds due + refunds paid + unresolved + written off "
                    + "+ awaiting the deposit check, per business day and in total",
                status: counterexample == nil ? .pass : .fail, counterexample: counterexample, money: days))
        for (id, rule) in [
            ("I15", "attribution is complete (checked per command by the handler)"),
            ("I16", "cards only where allowed (checked per command by the handler)"),
            ("I22", "replay is deterministic (ledger replay + ledger compare)"),
        ] {
            result.append(InvariantAudit.Finding(invariant: id, rule: rule, status: .notCheckable, counterexample: nil))
        }
        return result
    }
}
