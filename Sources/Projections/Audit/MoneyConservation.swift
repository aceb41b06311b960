import Commands
import EventStore
import Foundation

/// The ledger's balance equation (issue #13 item 3), one line per business day and in total.
/// `received` is every yen that came in: every card capture (a success, a duplicate capture, a
/// capture held in the suspense account) and every bank deposit. Each is one *item*, and each
/// item's yen must be somewhere:
///
/// received = applied (to fees and coupon orders) + refunds due + refunds paid + unresolved
///            + written off + awaiting the deposit check
///
/// `awaiting` is a deposit into an order's account that no check has recorded yet (the nightly
/// run or a manual check will); `refunds paid` counts what was paid and the costs deducted
/// (RefundRecorded `paidYen + deductedCostsYen`, which equal the refund's basis, F2). An item
/// counts for the day it was received: a deposit's credit date, a capture's settlement date (or
/// the JST date it was reported).
public struct MoneyDay: Sendable, Codable, Hashable {
    /// `YYYY-MM-DD`, or `total`.
    public var day: String
    public var receivedYen: Int64 = 0
    public var appliedYen: Int64 = 0
    public var refundsDueYen: Int64 = 0
    public var refundsPaidYen: Int64 = 0
    public var unresolvedYen: Int64 = 0
    public var writtenOffYen: Int64 = 0
    public var awaitingCheckYen: Int64 = 0

    public init(day: String) { self.day = day }

    /// Everything the received yen went to.
    public var accountedYen: Int64 {
        appliedYen + refundsDueYen + refundsPaidYen + unresolvedYen + writtenOffYen + awaitingCheckYen
    }
    /// received − accounted; 0 when the equation holds.
    public var differenceYen: Int64 { receivedYen - accountedYen }

    mutating func add(_ other: MoneyDay) {
        receivedYen += other.receivedYen
        appliedYen += other.appliedYen
        refundsDueYen += other.refundsDueYen
        refundsPaidYen += other.refundsPaidYen
        unresolvedYen += other.unresolvedYen
        writtenOffYen += other.writtenOffYen
        awaitingCheckYen += other.awaitingCheckYen
    }

    /// `received 13,200 = applied 13,200 + refunds due 0 + …`.
    public var equation: String {
        "received \(receivedYen) vs applied \(appliedYen) + refunds due \(refundsDueYen) + refunds paid "
            + "\(refundsPaidYen) + unresolved \(unresolvedYen) + written off \(writtenOffYen) + awaiting check "
            + "\(awaitingCheckYen) = \(accountedYen) (difference \(differenceYen))"
    }
}

/// The fold behind `MoneyDay`: every money fact and every disposition, by item.
struct MoneyConservation {
    struct Item {
        var key: String
        var day: JSTDate?
        var money: MoneyDay
        /// Where the item was first seen (for the counterexample).
        var firstSeen: String
    }

    var items: [String: Item] = [:]
    var order: [String] = []
    /// Deposit items whose deposit a coupon order recorded (BankDepositReceived).
    var seenByOrder = Set<String>()
    /// Deposit items held in the suspense account.
    var suspended = Set<String>()
    var depositAmounts: [String: Int64] = [:]
    /// Refund id → (item key, basis, day of the refund event).
    var refunds: [UUID: (item: String, basis: Int64)] = [:]
    var paidRefunds = Set<UUID>()
    /// Suspense item id → (item key, amount).
    var suspense: [UUID: (item: String, amount: Int64)] = [:]

    static func depositKey(_ id: DepositId) -> String { "deposit \(id)" }
    static func captureKey(_ settlementNo: SettlementNo, _ txn: GatewayTransactionId) -> String {
        "capture \(settlementNo) \(txn)"
    }

    mutating func touch(_ key: String, _ event: RecordedEvent, day: JSTDate?, _ change: (inout MoneyDay) -> Void) {
        if items[key] == nil {
            items[key] = Item(
                key: key, day: nil, money: MoneyDay(day: ""),
                firstSeen: "global position \(event.globalPosition), stream \(event.stream)")
            order.append(key)
        }
        if let day, items[key]!.day == nil { items[key]!.day = day }
        change(&items[key]!.money)
    }

    mutating func apply(_ event: RecordedEvent, _ data: Data) throws {
        switch event.stream.streamCategory {
        case .deposit:
            guard case .recorded(let e)? = try BankFeedEvent.decode(eventType: event.eventType, data: data) else {
                return
            }
            let key = Self.depositKey(e.deposit.depositId)
            depositAmounts[key] = e.deposit.amountYen.value
            touch(key, event, day: e.deposit.depositedOn) { $0.receivedYen += e.deposit.amountYen.value }
        case .payment:
            switch try PaymentEvent.decode(eventType: event.eventType, data: data) {
            case .succeeded(let e)?:
                let key = Self.captureKey(e.settlementNo, e.gatewayTransactionId)
                touch(key, event, day: e.settlementDate) {
                    $0.receivedYen += e.capturedAmountYen.value
                    $0.appliedYen += e.capturedAmountYen.value
                }
            case .refundDue(let e)?: refund(e, event)
            case .refundRecorded(let e)?: paid(e, event)
            default: break
            }
        case .couponOrder:
            switch try CouponOrderEvent.decode(eventType: event.eventType, data: data) {
            case .depositReceived(let e)?:
                let key = Self.depositKey(e.depositId)
                seenByOrder.insert(key)
                if e.acceptedForOrder {
                    let applied = e.amountYen.value - max(e.deltaYen, 0)
                    touch(key, event, day: nil) { $0.appliedYen += applied }
                }
            case .refundDue(let e)?: refund(e, event)
            case .refundRecorded(let e)?: paid(e, event)
            default: break
            }
        case .unresolved:
            switch try UnresolvedMoneyEvent.decode(eventType: event.eventType, data: data) {
            case .recorded(let e)?:
                let key: String
                if e.kind == .bankDeposit, let depositId = e.depositId {
                    key = Self.depositKey(depositId)
                    suspended.insert(key)
                } else if let settlementNo = e.settlementNo, let txn = e.gatewayTransactionId {
                    key = Self.captureKey(settlementNo, txn)
                    touch(key, event, day: e.receivedOn) { $0.receivedYen += e.amountYen.value }
                } else {
                    key = "suspense \(e.itemId.uuidString.lowercased())"
                    touch(key, event, day: e.receivedOn) { $0.receivedYen += e.amountYen.value }
                }
                suspense[e.itemId] = (key, e.amountYen.value)
                touch(key, event, day: e.receivedOn) { $0.unresolvedYen += e.amountYen.value }
            case .resolved(let e)?:
                let (key, amount) = suspense[e.itemId] ?? ("suspense \(e.itemId.uuidString.lowercased())", 0)
                touch(key, event, day: JSTDate(instant: event.occurredAt)) {
                    $0.unresolvedYen -= amount
                    if e.resolution == .writeOff { $0.writtenOffYen += amount }
                }
            case .refundDue(let e)?: refund(e, event)
            case .refundRecorded(let e)?: paid(e, event)
            default: break
            }
        default: break
        }
    }

    /// The item a refund gives money back from: a deposit, a capture (a duplicate capture is
    /// both the capture received and its refund), or nothing known (a counterexample).
    mutating func refund(_ due: RefundBecameDue, _ event: RecordedEvent) {
        let key: String
        if let depositId = due.depositId {
            key = Self.depositKey(depositId)
        } else if let settlementNo = due.settlementNo, let txn = due.gatewayTransactionId {
            key = Self.captureKey(settlementNo, txn)
        } else if due.reason == .duplicateCapture, let settlementNo = due.settlementNo {
            key = "capture \(settlementNo) refund \(due.refundId.uuidString.lowercased())"
        } else {
            key = "refund \(due.refundId.uuidString.lowercased())"
        }
        let day = JSTDate(instant: event.occurredAt)
        if due.reason == .duplicateCapture, event.stream.streamCategory == .payment {
            touch(key, event, day: day) { $0.receivedYen += due.basisYen.value }
        }
        refunds[due.refundId] = (key, due.basisYen.value)
        touch(key, event, day: day) { $0.refundsDueYen += due.basisYen.value }
    }

    mutating func paid(_ paid: RefundRecorded, _ event: RecordedEvent) {
        guard let (key, basis) = refunds[paid.refundId], paidRefunds.insert(paid.refundId).inserted else {
            // Paid for a refund never due (or twice): money out of nothing.
            touch("refund \(paid.refundId.uuidString.lowercased())", event, day: JSTDate(instant: event.occurredAt)) {
                $0.refundsPaidYen += paid.paidYen.value + paid.deductedCostsYen.value
            }
            return
        }
        touch(key, event, day: nil) {
            $0.refundsDueYen -= basis
            $0.refundsPaidYen += paid.paidYen.value + paid.deductedCostsYen.value
        }
    }

    /// Each item with its awaiting deposits added, in the order first seen.
    func finished() -> [Item] {
        order.map { key in
            var item = items[key]!
            if let amount = depositAmounts[key], !seenByOrder.contains(key), !suspended.contains(key) {
                item.money.awaitingCheckYen += amount
            }
            item.money.day = item.day?.stringValue ?? "unknown"
            return item
        }
    }

    /// The days in order and the total; and the first item out of balance, described.
    func balance() -> (days: [MoneyDay], counterexample: String?) {
        var days: [String: MoneyDay] = [:]
        var total = MoneyDay(day: "total")
        var counterexample: String?
        for item in finished() {
            days[item.money.day, default: MoneyDay(day: item.money.day)].add(item.money)
            total.add(item.money)
            if counterexample == nil, item.money.differenceYen != 0 {
                counterexample =
                    "item \(item.key) (day \(item.money.day), first at \(item.firstSeen)): \(item.money.equation)"
            }
        }
        return (days.keys.sorted().map { days[$0]! } + [total], counterexample)
    }
}
