import Foundation

/// Who acts on an order: a user of a company, or chamber staff.
public enum CouponOrderActor: Sendable, Hashable {
    case companyUser(UserId, tradeRegNo: TradeRegNo)
    case chamberStaff(StaffId)
}

/// CancelCouponOrder (COMMANDS.md; O9, R39, R52, Q38, Q40): 購入をキャンセルする.
public struct CancelCouponOrder: Sendable, Hashable, Decodable {
    public var orderNo: OrderNo
    public var reason: String?

    public init(orderNo: OrderNo, reason: String? = nil) {
        self.orderNo = orderNo
        self.reason = reason
    }

    /// Checks, in this order: the order exists (`unknownOrder`); a company user belongs to the
    /// order's company (`forbidden`); the reason (`invalidCommand`); the order is
    /// AwaitingTransfer or AwaitingCardAuth (`wrongState`: a confirmed deposit is issued, not
    /// cancelled). Appends `CouponOrderCancelled{by: buyer | companyUser | chamber}` and
    /// `CouponPurchaseClosed{cancelled}`. For a card order cancelled by a user while the attempt
    /// is Open, also `PaymentAttemptAbandoned{byUserId: user}` (Q40); when staff cancel, the
    /// attempt is left for the sweeper (the event names a user, not staff). A later capture is
    /// fulfilled late (O13); a later transfer is refunded in full (Q38, O14).
    ///
    /// - Parameter payment: the card order's attempt (nil for a bank order).
    public func decide(
        _ order: CouponOrderState, _ company: CompanyState, payment: PaymentState?, actor: CouponOrderActor, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        let placed = try order.require(orderNo)
        let by: CouponOrderCanceller
        let byId: String
        switch actor {
        case .companyUser(let user, let tradeRegNo):
            guard tradeRegNo == placed.tradeRegNo else {
                throw Rejection(
                    .forbidden, "coupon order \(orderNo) belongs to company \(placed.tradeRegNo), not \(tradeRegNo)",
                    details: ["orderNo": .string(orderNo.stringValue)])
            }
            by = user == placed.buyerUserId ? .buyer : .companyUser
            byId = user.stringValue
        case .chamberStaff(let staff):
            by = .chamber
            byId = staff.stringValue
        }
        try TextRules.optional(reason, field: "reason", maximum: 500)
        guard order.status == .awaitingTransfer || order.status == .awaitingCardAuth else {
            throw order.wrongState("cancelled")
        }
        var decision = CouponOrderDecision()
        decision.order = [.cancelled(CouponOrderCancelled(orderNo: orderNo, by: by, byId: byId, reason: reason))]
        decision.company = [.purchaseClosed(CouponPurchaseClosed(orderNo: orderNo, outcome: .cancelled))]
        if case .companyUser(let user, _) = actor, placed.paymentMethod == .card, let payment, payment.isOpen,
            let settlementNo = payment.started?.settlementNo
        {
            decision.payment = [
                .abandoned(PaymentAttemptAbandoned(settlementNo: settlementNo, byUserId: user, abandonedAt: now))
            ]
        }
        decision.result = orderResult(order, decision, extra: ["cancelledBy": .string(by.rawValue)])
        return decision
    }
}
