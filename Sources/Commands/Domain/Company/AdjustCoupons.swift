import Foundation

/// AdjustCoupons (COMMANDS.md, R35, R36): a manual ± by chamber staff, with a reason.
public struct AdjustCoupons: Sendable, Hashable, Codable {
    public var tradeRegNo: TradeRegNo
    public var delta: SignedCount
    public var reason: String

    public init(tradeRegNo: TradeRegNo, delta: SignedCount, reason: String) {
        self.tradeRegNo = tradeRegNo
        self.delta = delta
        self.reason = reason
    }

    public func decide(
        _ state: CompanyState, staff: StaffId, chamber: ChamberId, adjustmentId: UUID
    ) throws(Rejection) -> [CompanyEvent] {
        try state.requireRegistered(tradeRegNo)
        try TextRules.require(reason, field: "reason", maximum: 500)
        let balance: Count
        do {
            balance = try state.available.applying(delta)
        } catch {
            throw Rejection(
                .insufficientCoupons,
                "company \(tradeRegNo) has \(state.available.value) coupons available; removing \(delta.magnitude.value) "
                    + "would make the balance negative",
                details: ["available": .int(Int64(state.available.value))])
        }
        return [
            .couponsAdjusted(
                CouponsAdjustedByChamber(
                    adjustmentId: adjustmentId, delta: delta, staffId: staff, chamberId: chamber, reason: reason,
                    balanceAfter: balance))
        ]
    }
}
