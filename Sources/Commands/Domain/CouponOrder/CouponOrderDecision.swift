import Foundation

/// The events one coupon-order command appends, per stream, and the caller's result. A stream
/// with no events is not touched. The glue appends all of them in one transaction (§6.8); an
/// empty decision (`isEmpty`) is a no-op (nothing due, or a re-delivered fact, I20).
public struct CouponOrderDecision: Sendable, Hashable {
    /// `couponOrder-<orderNo>`.
    public var order: [CouponOrderEvent] = []
    /// `company-<tradeRegNo>` of the order.
    public var company: [CompanyEvent] = []
    /// `payment-<settlementNo>` of a card order.
    public var payment: [PaymentEvent] = []
    /// What COMMANDS.md says the caller gets.
    public var result: JSONValue = .object([:])

    /// Set when a capture fits nowhere (the glue records it in the suspense account, issue #13).
    public var unfit: UnfitMoney?

    public init() {}

    /// A capture that does not fit.
    static func unfit(_ unfit: UnfitMoney) -> CouponOrderDecision {
        var decision = CouponOrderDecision()
        decision.unfit = unfit
        return decision
    }

    public var isEmpty: Bool { unfit == nil && order.isEmpty && company.isEmpty && payment.isEmpty }

    /// The statement issue numbers used (for the glue's counter), in order.
    public var issueNumbersUsed: [IssueNumber] {
        payment.compactMap { if case .statementIssued(let s) = $0 { s.issueNumber } else { nil } }
    }

    /// The refunds that became due, on any stream.
    public var refundsDue: [RefundBecameDue] {
        order.compactMap { if case .refundDue(let r) = $0 { r } else { nil } }
            + payment.compactMap { if case .refundDue(let r) = $0 { r } else { nil } }
    }
}
