import Foundation

/// RecordRefund (COMMANDS.md; R55, §5.5 F2, I12): staff record that a refund was paid outside
/// the system. The refund is owed on a coupon-order stream (deposit refunds) or on a payment
/// stream (duplicate captures) or on a suspense item's stream (`unresolved-<itemId>`, a `refund`
/// resolution); the glue finds the stream by `refundId`.
public struct RecordRefund: Sendable, Hashable, Decodable {
    public var refundId: UUID
    public var paidYen: Yen
    public var deductedCostsYen: Yen
    public var paidOn: JSTDate
    public var method: RefundMethod
    public var reference: String?

    public init(
        refundId: UUID, paidYen: Yen, deductedCostsYen: Yen = .zero, paidOn: JSTDate, method: RefundMethod,
        reference: String? = nil
    ) {
        self.refundId = refundId
        self.paidYen = paidYen
        self.deductedCostsYen = deductedCostsYen
        self.paidOn = paidOn
        self.method = method
        self.reference = reference
    }

    /// Checks, in this order: the refund is owed (`unknownRefund`); not yet recorded
    /// (`wrongState`, state "settled"); `reference` (`invalidCommand`); `paidOn` not after today
    /// (`invalidCommand`); costs only for an overpayment (`invalidCommand`, R53: an
    /// underpayment is refunded 全額); paid + costs = basis (`amountMismatch`).
    public func recorded(
        due: [RefundBecameDue], recorded: [RefundRecorded], staff: StaffId, today: JSTDate
    ) throws(Rejection) -> RefundRecorded {
        guard let refund = due.first(where: { $0.refundId == refundId }) else {
            throw Rejection(
                .unknownRefund, "no refund \(refundId.uuidString.lowercased()) is due",
                details: ["refundId": .string(refundId.uuidString.lowercased())])
        }
        guard !recorded.contains(where: { $0.refundId == refundId }) else {
            throw .wrongState(
                "refund \(refundId.uuidString.lowercased()) was already recorded as paid", state: "settled")
        }
        try TextRules.optional(reference, field: "reference", maximum: 200)
        guard paidOn <= today else { throw .invalid("paidOn", "\(paidOn) is after today (\(today))") }
        guard deductedCostsYen == .zero || refund.costsDeductible else {
            throw .invalid(
                "deductedCostsYen",
                "costs (諸経費) may be deducted only from an overpayment refund (R54); a "
                    + "\(refund.reason.rawValue) refund is paid in full (全額, R53, R56)")
        }
        guard let total = try? paidYen.adding(deductedCostsYen), total == refund.basisYen else {
            throw Rejection(
                .amountMismatch,
                "paid \(paidYen.printed) + costs \(deductedCostsYen.printed) must equal the refund's basis "
                    + "\(refund.basisYen.printed) (F2)",
                details: [
                    "basisYen": .int(refund.basisYen.value), "paidYen": .int(paidYen.value),
                    "deductedCostsYen": .int(deductedCostsYen.value),
                ])
        }
        return RefundRecorded(
            refundId: refundId, paidYen: paidYen, deductedCostsYen: deductedCostsYen, paidOn: paidOn, staffId: staff,
            method: method, reference: reference)
    }

    /// A refund owed on a coupon-order stream.
    public func decide(_ order: CouponOrderState, staff: StaffId, today: JSTDate) throws(Rejection)
        -> CouponOrderDecision
    {
        let event = try recorded(due: order.refundsDue, recorded: order.refundsRecorded, staff: staff, today: today)
        var decision = CouponOrderDecision()
        decision.order = [.refundRecorded(event)]
        decision.result = result(event)
        return decision
    }

    /// A refund owed on a payment stream (duplicate capture, R25).
    public func decide(_ payment: PaymentState, staff: StaffId, today: JSTDate) throws(Rejection) -> CouponOrderDecision
    {
        let event = try recorded(due: payment.refundsDue, recorded: payment.refundsRecorded, staff: staff, today: today)
        var decision = CouponOrderDecision()
        decision.payment = [.refundRecorded(event)]
        decision.result = result(event)
        return decision
    }

    /// The caller's result for a recorded refund.
    public func result(_ event: RefundRecorded) -> JSONValue {
        .object([
            "refundId": .string(refundId.uuidString.lowercased()), "paidYen": .int(event.paidYen.value),
            "deductedCostsYen": .int(event.deductedCostsYen.value), "state": .string("settled"),
        ])
    }
}
