import Foundation

/// One coupon order (`couponOrder-<orderNo>`), folded.
public struct CouponOrderState: Sendable, Hashable {
    /// The states of §5.3.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case awaitingTransfer, depositConfirmed, awaitingCardAuth
        case fulfilled, cancelled, expired, closedUnderpaid, paymentFailed

        /// Counts as pending (購入手続中) and holds the company's purchase lock.
        public var isOpen: Bool { self == .awaitingTransfer || self == .depositConfirmed || self == .awaitingCardAuth }
    }

    public var placed: CouponOrderPlaced?
    public var status: Status?
    /// The virtual account of a bank order.
    public var account: VirtualAccountAssigned?
    /// The latest check (最終確認日時).
    public var lastCheck: BankDepositChecked?
    /// The latest business date a nightly run covered for this order (Q12, Q39).
    public var nightlyCoveredThrough: JSTDate?
    /// Every deposit recorded on this stream, accepted or not, in order.
    public var deposits: [BankDepositReceived] = []
    /// The deposit that paid the order.
    public var acceptedDeposit: BankDepositReceived?
    public var fulfilled: CouponOrderFulfilled?
    public var cancelled: CouponOrderCancelled?
    public var expired: CouponOrderExpired?
    public var closedUnderpaid: CouponOrderClosedUnderpaid?
    public var paymentFailed: CouponOrderPaymentFailed?
    public var refundsDue: [RefundBecameDue] = []
    public var refundsRecorded: [RefundRecorded] = []

    public init() {}

    public var exists: Bool { placed != nil }
    public var orderNo: OrderNo? { placed?.orderNo }
    /// The card attempt of a card order.
    public var settlementNo: SettlementNo? { placed?.settlementNo }
    public var validUntil: JSTDate? { account?.validUntil }
    /// The date a nightly-confirmed deposit's coupons are due (DepositConfirmed).
    public var scheduledIssueDate: JSTDate? { acceptedDeposit?.scheduledIssueDate }
    /// The ids of the deposits already recorded here (I20).
    public var recordedDepositIds: Set<DepositId> { Set(deposits.map(\.depositId)) }

    /// Folds one event. Guards were checked when the event was decided.
    public static func evolve(_ state: CouponOrderState, _ event: CouponOrderEvent) -> CouponOrderState {
        var state = state
        switch event {
        case .placed(let e):
            state.placed = e
            state.status = e.paymentMethod == .bankTransfer ? .awaitingTransfer : .awaitingCardAuth
        case .virtualAccountAssigned(let e):
            state.account = e
        case .depositChecked(let e):
            state.lastCheck = e
            if let date = e.businessDate, date > (state.nightlyCoveredThrough ?? date.adding(days: -1)) {
                state.nightlyCoveredThrough = date
            }
        case .depositReceived(let e):
            state.deposits.append(e)
            if e.acceptedForOrder && state.status == .awaitingTransfer {
                state.acceptedDeposit = e
                state.status = .depositConfirmed
            }
        case .fulfilled(let e):
            state.fulfilled = e
            state.status = .fulfilled
        case .cancelled(let e):
            state.cancelled = e
            state.status = .cancelled
        case .expired(let e):
            state.expired = e
            state.status = .expired
        case .closedUnderpaid(let e):
            state.closedUnderpaid = e
            state.status = .closedUnderpaid
        case .paymentFailed(let e):
            state.paymentFailed = e
            state.status = .paymentFailed
        case .refundDue(let e):
            state.refundsDue.append(e)
        case .refundRecorded(let e):
            state.refundsRecorded.append(e)
        }
        return state
    }

    /// The state after `events` (for results and tests).
    public func applying(_ events: [CouponOrderEvent]) -> CouponOrderState {
        events.reduce(self, Self.evolve)
    }

    /// The deposits of `deposits` that went into this order's account, are not yet recorded
    /// here, and were credited on or before `date`: oldest `depositedOn` first, ties in the
    /// order given (the glue passes them in recording order). Duplicated ids count once.
    public func unseenDeposits(_ deposits: [BankDeposit], through date: JSTDate) -> [BankDeposit] {
        guard let key = account?.account.key else { return [] }
        var seen = recordedDepositIds
        var result: [BankDeposit] = []
        for deposit in deposits where deposit.accountKey == key && deposit.depositedOn <= date {
            if seen.insert(deposit.depositId).inserted { result.append(deposit) }
        }
        // A stable sort by date: Swift's sort is not guaranteed stable, so sort with the index.
        return result.enumerated()
            .sorted { ($0.element.depositedOn, $0.offset) < ($1.element.depositedOn, $1.offset) }
            .map(\.element)
    }

    /// True when the order may be expired now (R51, O10, Q12): AwaitingTransfer, `today` is
    /// after `validUntil`, a nightly run covered `validUntil` (or a later date), and no deposit
    /// credited on or before `validUntil` waits unseen in `deposits`.
    public func isExpiryDue(today: JSTDate, deposits: [BankDeposit]) -> Bool {
        guard status == .awaitingTransfer, let validUntil, today > validUntil,
            let covered = nightlyCoveredThrough, covered >= validUntil
        else { return false }
        return unseenDeposits(deposits, through: validUntil).isEmpty
    }

    package func require(_ orderNo: OrderNo) throws(Rejection) -> CouponOrderPlaced {
        guard let placed else {
            throw Rejection(
                .unknownOrder, "no coupon order \(orderNo) has been placed",
                details: ["orderNo": .string(orderNo.stringValue)])
        }
        return placed
    }

    func wrongState(_ action: String) -> Rejection {
        let state = status?.rawValue ?? "none"
        let number = placed?.orderNo.stringValue ?? "?"
        return .wrongState("coupon order \(number) is \(state); it cannot be \(action)", state: state)
    }
}
