import Foundation

/// RunNightlyDepositCheck (COMMANDS.md; R49, O3, O4, O8, O10, O14, Q12, Q39): 「システムが毎日夜間に
/// 入金確認し、翌営業日にクーポン発行」. The glue calls `decide` once per bank order that is open or
/// has unseen deposits in its account, each in its own transaction.
public struct RunNightlyDepositCheck: Sendable, Hashable, Codable {
    /// The business date D the run covers: deposits credited on or before D.
    public var businessDate: JSTDate

    public init(businessDate: JSTDate) { self.businessDate = businessDate }

    /// Checks `businessDate` is not after today (`invalidCommand`) and the order exists
    /// (`unknownOrder`). Then, for an AwaitingTransfer order, among the deposits of its account
    /// not yet recorded and credited on or before D, oldest first:
    /// - the first credited on or before `validUntil` decides: amount ≥ order amount →
    ///   `BankDepositChecked{found}` + `BankDepositReceived{scheduledIssueDate: nextBusinessDay(D)}`
    ///   (+ `RefundBecameDue{overpayment, basis: excess}`), the order is DepositConfirmed (O4);
    ///   below → + `CouponOrderClosedUnderpaid` + `RefundBecameDue{underpayment, basis: deposit}`
    ///   + `CouponPurchaseClosed{underpaid}` (O8);
    /// - none and D > validUntil → `CouponOrderExpired` + `CouponPurchaseClosed{expired}` (O10);
    /// - none otherwise → `BankDepositChecked{found: false}` (O3);
    /// - every other deposit → `BankDepositReceived{acceptedForOrder: false}` +
    ///   `RefundBecameDue{repeatDeposit}` (after an accepted one) or `{depositAfterClose}` (O14).
    /// For any other bank order, only the O14 refunds of unseen deposits (no check is recorded).
    /// A card order gives an empty decision.
    ///
    /// - Parameters:
    ///   - deposits: the bank feed's deposits into the order's account (others are ignored).
    ///   - refundIds: at least one per deposit passed.
    public func decide(
        _ order: CouponOrderState, _ company: CompanyState, deposits: [BankDeposit], refundIds: [UUID],
        calendar: BusinessCalendar, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        let today = JSTDate(instant: now)
        guard businessDate <= today else {
            throw .invalid(
                "businessDate", "\(businessDate) is after today (\(today)); a night covers a past or current date")
        }
        guard let placed = order.placed else {
            throw Rejection(.unknownOrder, "no coupon order was placed")
        }
        var decision = CouponOrderDecision()
        guard placed.paymentMethod == .bankTransfer else { return decision }
        var pool = RefundIdPool(refundIds)
        if order.status == .awaitingTransfer {
            decision = try checkAwaitingTransfer(
                order, placed, company, deposits: deposits, through: businessDate, trigger: .nightly, staff: nil,
                expiryDue: businessDate > (order.validUntil ?? businessDate), calendar: calendar, refundIds: &pool,
                now: now)
        } else {
            decision.order = try refundLateDeposits(
                order, placed, deposits: deposits, through: businessDate, trigger: .nightly, staff: nil,
                refundIds: &pool, now: now)
        }
        decision.result = orderResult(order, decision, extra: ["businessDate": .string(businessDate.stringValue)])
        return decision
    }
}
