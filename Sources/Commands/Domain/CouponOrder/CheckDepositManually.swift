import Foundation

/// CheckDepositManually (COMMANDS.md; R50, O6, O7, O8, Q14): 手動で決済状況を確認する, chamber staff
/// only; a deposit found issues the coupons the same day (即日).
public struct CheckDepositManually: Sendable, Hashable, Decodable {
    public var orderNo: OrderNo

    public init(orderNo: OrderNo) { self.orderNo = orderNo }

    /// Checks, in this order: the order exists (`unknownOrder`); it is a bank order and
    /// AwaitingTransfer or DepositConfirmed (`wrongState`). Then, on AwaitingTransfer, the
    /// deposits credited up to today are handled as by the nightly run, except that an
    /// accepted deposit issues the coupons now (`CouponsIssued{trigger: manual, staffId,
    /// issueDate: today}` + `CouponPurchaseClosed{fulfilled}` + `CouponOrderFulfilled`, O6) and
    /// that the order expires only when `isExpiryDue` (a nightly run covered `validUntil`).
    /// On DepositConfirmed: `BankDepositChecked{manual, found}` and the coupons are issued now
    /// (O7), before the scheduled date. Unseen further deposits are refunded (O14).
    public func decide(
        _ order: CouponOrderState, _ company: CompanyState, deposits: [BankDeposit], refundIds: [UUID],
        staff: StaffId, calendar: BusinessCalendar, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        let placed = try order.require(orderNo)
        guard placed.paymentMethod == .bankTransfer else {
            throw order.wrongState("checked for a deposit: it is paid by card")
        }
        let today = JSTDate(instant: now)
        var pool = RefundIdPool(refundIds)
        var decision: CouponOrderDecision
        switch order.status {
        case .awaitingTransfer:
            decision = try checkAwaitingTransfer(
                order, placed, company, deposits: deposits, through: today, trigger: .manual, staff: staff,
                expiryDue: order.isExpiryDue(today: today, deposits: deposits), calendar: calendar, refundIds: &pool,
                now: now)
        case .depositConfirmed:
            decision = CouponOrderDecision()
            decision.order = [
                .depositChecked(
                    BankDepositChecked(
                        orderNo: orderNo, trigger: .manual, staffId: staff, checkedAt: now, found: true,
                        businessDate: nil))
            ]
            decision.order += try refundLateDeposits(
                order, placed, deposits: deposits, through: today, trigger: .manual, staff: staff, refundIds: &pool,
                now: now)
            try fulfilBankOrder(placed, company, trigger: .manual, staff: staff, date: today, into: &decision)
        default:
            throw order.wrongState("checked for a deposit")
        }
        let found = decision.order.contains { if case .depositChecked(let c) = $0 { c.found } else { false } }
        decision.result = orderResult(order, decision, extra: ["found": .bool(found)])
        return decision
    }
}
