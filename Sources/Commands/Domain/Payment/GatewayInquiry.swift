import Foundation

/// What the gateway's status query said about one attempt (docs/gateway.md). Pure data: the
/// HTTP client in the Commands target produces it, the decisions below read it.
public enum GatewayAnswer: Sendable, Hashable {
    /// The gateway captured `amountYen` under `transactionId`.
    case captured(amountYen: Yen, transactionId: GatewayTransactionId, cardBrand: CardBrand?)
    /// The gateway says no money was taken for the attempt.
    case notCaptured
    /// No usable answer: no gateway configured, connection refused, an HTTP error, an answer that
    /// could not be read, or none within the timeout. `reason` says which, for the logs.
    case unreachable(reason: String)
}

/// The pure part of R21 (the gateway is asked before an attempt is declared lost): which attempts
/// the sweeper asks about, and what it records for each answer. No I/O: the states, the clock and
/// the answers come in as arguments.
public struct GatewayInquiry: Sendable, Hashable {
    /// The default period after an attempt's deadline during which an attempt that ended without
    /// a gateway answer is asked again on every sweep: 72 hours.
    public static let defaultRetryWindow: TimeInterval = 72 * 3600

    /// How long after `deadlineAt` an unanswered attempt is still asked about.
    public var retryWindow: TimeInterval
    /// The sweeper's grace after the deadline (A12, P4): nothing is asked before it.
    public var grace: TimeInterval

    public init(
        retryWindow: TimeInterval = GatewayInquiry.defaultRetryWindow,
        grace: TimeInterval = CardPaymentRules.sweepGraceSeconds
    ) {
        self.retryWindow = retryWindow
        self.grace = grace
    }

    /// Whether the sweeper asks the gateway about `payment` at `now`:
    /// - an Open attempt past `deadlineAt + grace`, always (however old: it is still open);
    /// - an attempt that ended without a gateway answer — timed out as `unreachable`, or abandoned
    ///   by the payer (the browser is not the truth, R21) — while `now < deadlineAt + retryWindow`,
    ///   until the gateway answers: a capture recorded (success or refund due) or
    ///   `PaymentGatewayStatusConfirmed` ends the asking.
    /// Never a Succeeded or Failed attempt, nor one timed out with the gateway's `notCaptured`.
    public func isDue(_ payment: PaymentState, now: Date) -> Bool {
        guard let started = payment.started, now >= started.deadlineAt.addingTimeInterval(grace) else { return false }
        let unanswered =
            payment.gatewayConfirmed == nil && payment.succeeded == nil && payment.recordedTransactionIds.isEmpty
        let withinWindow = now < started.deadlineAt.addingTimeInterval(retryWindow)
        switch payment.status {
        case .open: return true
        case .timedOut: return payment.timedOut?.gatewayStatus == .unreachable && unanswered && withinWindow
        case .abandoned: return unanswered && withinWindow
        case .succeeded, .failed, nil: return false
        }
    }

    /// What the sweeper records for the gateway's answer about `payment`.
    public enum Record: Sendable, Hashable {
        /// Send `RecordGatewayResult` with this capture (for an Open attempt a normal capture, for
        /// an ended one a late capture, R25/P6), and tell SweepDeadlines `captured`.
        case capture(RecordGatewayResult)
        /// Tell SweepDeadlines this answer (a timeout's status, or a confirmation).
        case sweep(SweepDeadlines.Answer)
        /// Record nothing now; ask again on a later sweep (an ended attempt still unanswered).
        case askAgain
    }

    /// The record for `answer`: a capture becomes `RecordGatewayResult{succeeded}` with the
    /// gateway's amount and transaction id (whatever the attempt's state: RecordGatewayResult
    /// decides what a capture that does not fit means); `notCaptured` goes to SweepDeadlines (a
    /// timeout for an Open attempt, a confirmation for an ended one); `unreachable` times an Open
    /// attempt out as `unreachable` and leaves an ended one to be asked again.
    public func record(_ answer: GatewayAnswer, for payment: PaymentState, settlementNo: SettlementNo) -> Record {
        switch answer {
        case .captured(let amount, let transactionId, let brand):
            return .capture(
                RecordGatewayResult(
                    settlementNo: settlementNo, outcome: .succeeded, gatewayTransactionId: transactionId,
                    capturedAmountYen: amount, cardBrand: brand))
        case .notCaptured:
            return .sweep(.notCaptured)
        case .unreachable:
            return payment.isOpen ? .sweep(.unreachable) : .askAgain
        }
    }

    /// SweepDeadlines' part for an attempt that ended without a gateway answer and is now
    /// answered `notCaptured`: `PaymentGatewayStatusConfirmed`, once; nothing for any other state
    /// (an Open attempt is timed out instead; a captured, failed or confirmed one needs nothing).
    public static func confirmation(_ payment: PaymentState, now: Date) -> [PaymentEvent] {
        guard let started = payment.started, payment.gatewayConfirmed == nil, payment.succeeded == nil,
            payment.recordedTransactionIds.isEmpty
        else { return [] }
        let unanswered =
            payment.status == .abandoned
            || (payment.status == .timedOut && payment.timedOut?.gatewayStatus == .unreachable)
        guard unanswered else { return [] }
        return [
            .gatewayConfirmed(
                PaymentGatewayStatusConfirmed(
                    settlementNo: started.settlementNo, gatewayStatus: .notCaptured, confirmedAt: now))
        ]
    }
}
