import Foundation

/// IssueScheduledCoupons (COMMANDS.md; O5, R49, I21): on a business day, issues the coupons of
/// each DepositConfirmed order whose scheduled date has come. The glue calls `decide` per
/// order (from the `scheduled_issuance` view), each in its own transaction.
public struct IssueScheduledCoupons: Sendable, Hashable, Codable {
    public var date: JSTDate

    public init(date: JSTDate) { self.date = date }

    /// True when `order` is DepositConfirmed, its scheduled date is on or before `date`, and
    /// `date` is a business day (issuance happens only on business days, Q27).
    public func isDue(_ order: CouponOrderState, calendar: BusinessCalendar) -> Bool {
        guard order.status == .depositConfirmed, let scheduled = order.scheduledIssueDate else { return false }
        return scheduled <= date && calendar.isBusinessDay(date)
    }

    /// Refuses a `date` after today (`invalidCommand`). When due: `CouponOrderFulfilled
    /// {confirmationDate: date}` + `CouponsIssued{trigger: nightly, issueDate: date}` +
    /// `CouponPurchaseClosed{fulfilled}`; otherwise an empty decision.
    public func decide(
        _ order: CouponOrderState, _ company: CompanyState, calendar: BusinessCalendar, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        let today = JSTDate(instant: now)
        guard date <= today else {
            throw .invalid("date", "\(date) is after today (\(today)); coupons are not issued ahead of time")
        }
        var decision = CouponOrderDecision()
        if isDue(order, calendar: calendar), let placed = order.placed {
            try fulfilBankOrder(placed, company, trigger: .nightly, staff: nil, date: date, into: &decision)
        }
        decision.result = orderResult(order, decision, extra: ["issued": .bool(!decision.isEmpty)])
        return decision
    }
}
