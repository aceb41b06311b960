import Foundation

/// The events one fee-payment command appends, per stream, and the caller's result. Streams
/// with no events are absent. The glue appends all of them in one transaction (§6.8); an empty
/// decision (`isEmpty`) is a no-op such as a re-delivered gateway notification (I20).
public struct FeePaymentDecision: Sendable, Hashable {
    /// `payment-<settlementNo>`.
    public var payment: [PaymentEvent] = []
    /// `application-<receptionNo>` for each application involved.
    public var applications: [ReceptionNo: [ApplicationEvent]] = [:]
    /// `cart-<userId>` for each cart changed (the payer's checkout; `paidElsewhere` removals).
    public var carts: [UserId: [CartEvent]] = [:]
    /// What COMMANDS.md says the caller gets.
    public var result: JSONValue = .object([:])
    /// Set when the capture fits nowhere: no other event is decided, and the glue records it in
    /// the suspense account (issue #13) instead of refusing it.
    public var unfit: UnfitMoney?

    public init() {}

    /// A capture that does not fit.
    static func unfit(_ unfit: UnfitMoney) -> FeePaymentDecision {
        var decision = FeePaymentDecision()
        decision.unfit = unfit
        return decision
    }

    public var isEmpty: Bool {
        unfit == nil && payment.isEmpty && applications.values.allSatisfy(\.isEmpty)
            && carts.values.allSatisfy(\.isEmpty)
    }

    /// The issue numbers of the statements this decision issues, in order (for the glue's
    /// counter stream).
    public var issueNumbersUsed: [IssueNumber] {
        payment.compactMap { if case .statementIssued(let s) = $0 { s.issueNumber } else { nil } }
    }
}

// MARK: - StartCardPayment

extension FeePaymentDecision {
    /// Nothing to record: the fact is already in the stream (I20) or changes nothing.
    static func noOp(_ settlementNo: SettlementNo, _ payment: PaymentState) -> FeePaymentDecision {
        var decision = FeePaymentDecision()
        decision.result = .object([
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("alreadyRecorded"),
            "state": .string(payment.status?.rawValue ?? "none"),
        ])
        return decision
    }
}
