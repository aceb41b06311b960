import Foundation

/// One card attempt (`payment-<settlementNo>`, §5.2), for either purpose.
public struct PaymentState: Sendable, Hashable {
    /// The attempt states of §5.2.
    public enum Status: String, Sendable, Hashable {
        case open, succeeded, failed, timedOut, abandoned
    }

    public var started: PaymentAttemptStarted?
    public var status: Status?
    public var succeeded: PaymentAttemptSucceeded?
    public var failed: PaymentAttemptFailed?
    public var timedOut: PaymentAttemptTimedOut?
    public var abandoned: PaymentAttemptAbandoned?
    /// The statements issued at settlement (R29), in order.
    public var statements: [StatementIssued] = []
    public var refundsDue: [RefundBecameDue] = []
    public var refundsRecorded: [RefundRecorded] = []
    /// The gateway's later `notCaptured` for an attempt that ended without its answer.
    public var gatewayConfirmed: PaymentGatewayStatusConfirmed?

    public init() {}

    public var exists: Bool { started != nil }

    /// The application-fee items (empty for a coupon order).
    public var items: [PaymentItem] { started?.items ?? [] }

    /// True while the gateway may still complete the attempt in the ledger's view (P2-P5).
    public var isOpen: Bool { status == .open }

    /// True when the sweeper should end the attempt: it is Open and
    /// `now ≥ deadlineAt + grace` (A12, P4; EX-3(b): deadline 10:05:00 → due at 10:07:00).
    public func isOverdue(now: Date, grace: TimeInterval = CardPaymentRules.sweepGraceSeconds) -> Bool {
        guard isOpen, let started else { return false }
        return now >= started.deadlineAt.addingTimeInterval(grace)
    }

    /// The gateway captures already recorded: the success and any duplicate-capture refunds (I20).
    public var recordedTransactionIds: Set<GatewayTransactionId> {
        var ids = Set(refundsDue.compactMap(\.gatewayTransactionId))
        if let succeeded { ids.insert(succeeded.gatewayTransactionId) }
        return ids
    }

    public static func evolve(_ state: PaymentState, _ event: PaymentEvent) -> PaymentState {
        var state = state
        switch event {
        case .started(let e):
            state.started = e
            state.status = .open
        case .succeeded(let e):
            state.succeeded = e
            state.status = .succeeded
        case .failed(let e):
            state.failed = e
            state.status = .failed
        case .timedOut(let e):
            state.timedOut = e
            state.status = .timedOut
        case .abandoned(let e):
            state.abandoned = e
            state.status = .abandoned
        case .statementIssued(let e):
            state.statements.append(e)
        case .refundDue(let e):
            state.refundsDue.append(e)
        case .refundRecorded(let e):
            state.refundsRecorded.append(e)
        case .gatewayConfirmed(let e):
            state.gatewayConfirmed = e
        }
        return state
    }

    package func require(_ settlementNo: SettlementNo) throws(Rejection) -> PaymentAttemptStarted {
        guard let started else {
            throw Rejection(
                .unknownSettlement, "no card payment attempt \(settlementNo) was started",
                details: ["settlementNo": .string(settlementNo.stringValue)])
        }
        return started
    }

    func requireApplicationFees(_ started: PaymentAttemptStarted) throws(Rejection) {
        guard started.purpose == .applicationFees else {
            throw Rejection(
                .wrongState,
                "card attempt \(started.settlementNo) pays coupon order \(started.orderNo?.stringValue ?? "?"), "
                    + "not application fees; it is handled by the coupon-order commands",
                details: ["state": .string(status?.rawValue ?? "none"), "purpose": .string(started.purpose.rawValue)])
        }
    }

    func wrongState(_ action: String) -> Rejection {
        let state = status?.rawValue ?? "none"
        let number = started?.settlementNo.stringValue ?? "?"
        return .wrongState("card attempt \(number) is \(state); it cannot be \(action)", state: state)
    }
}
