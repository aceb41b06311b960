import Foundation

/// The deposit handling shared by the nightly and the manual check on an AwaitingTransfer order
/// (O3, O4, O6, O8, O10, O14).
func checkAwaitingTransfer(
    _ order: CouponOrderState, _ placed: CouponOrderPlaced, _ company: CompanyState, deposits: [BankDeposit],
    through date: JSTDate, trigger: DepositCheckTrigger, staff: StaffId?, expiryDue: Bool,
    calendar: BusinessCalendar, refundIds: inout RefundIdPool, now: Date
) throws(Rejection) -> CouponOrderDecision {
    guard let validUntil = order.validUntil else { throw order.wrongState("checked: it has no virtual account") }
    let unseen = order.unseenDeposits(deposits, through: date)
    let today = JSTDate(instant: now)
    var decision = CouponOrderDecision()
    func checked(found: Bool) -> CouponOrderEvent {
        .depositChecked(
            BankDepositChecked(
                orderNo: placed.orderNo, trigger: trigger, staffId: staff, checkedAt: now, found: found,
                businessDate: trigger == .nightly ? date : nil))
    }
    if let first = unseen.first(where: { $0.depositedOn <= validUntil }) {
        let accepted = first.amountYen >= placed.amountYen
        decision.order.append(checked(found: true))
        decision.order.append(
            .depositReceived(
                placed.received(
                    first, by: trigger, staff: staff, now: now, accepted: accepted,
                    scheduledIssueDate: accepted && trigger == .nightly ? calendar.nextBusinessDay(after: date) : nil)))
        if accepted {
            if first.amountYen > placed.amountYen {
                let excess = try! first.amountYen.subtracting(placed.amountYen)  // amount > order amount
                decision.order.append(
                    .refundDue(
                        placed.refund(
                            try refundIds.take(), .overpayment, basis: excess, depositId: first.depositId)))
            }
            if trigger == .manual {
                try fulfilBankOrder(placed, company, trigger: .manual, staff: staff, date: today, into: &decision)
            }
        } else {
            decision.order.append(
                .closedUnderpaid(
                    CouponOrderClosedUnderpaid(
                        orderNo: placed.orderNo, depositId: first.depositId, receivedYen: first.amountYen,
                        orderAmountYen: placed.amountYen)))
            decision.order.append(
                .refundDue(
                    placed.refund(
                        try refundIds.take(), .underpayment, basis: first.amountYen, depositId: first.depositId)))
            decision.company.append(.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .underpaid)))
        }
        for deposit in unseen where deposit.depositId != first.depositId {
            decision.order += try placed.unaccepted(
                deposit, reason: accepted ? .repeatDeposit : .depositAfterClose, by: trigger, staff: staff, now: now,
                refundIds: &refundIds)
        }
    } else if expiryDue {
        decision.order.append(checked(found: !unseen.isEmpty))
        decision.order.append(
            .expired(CouponOrderExpired(orderNo: placed.orderNo, validUntil: validUntil, expiredAt: now)))
        decision.company.append(.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .expired)))
        for deposit in unseen {
            decision.order += try placed.unaccepted(
                deposit, reason: .depositAfterClose, by: trigger, staff: staff, now: now, refundIds: &refundIds)
        }
    } else {
        decision.order.append(checked(found: false))
    }
    return decision
}

/// O14 on an order that no longer awaits a transfer: every unseen deposit is refunded in full,
/// as a repeat when the account was already paid, else as a deposit after close.
func refundLateDeposits(
    _ order: CouponOrderState, _ placed: CouponOrderPlaced, deposits: [BankDeposit], through date: JSTDate,
    trigger: DepositCheckTrigger, staff: StaffId?, refundIds: inout RefundIdPool, now: Date
) throws(Rejection) -> [CouponOrderEvent] {
    let reason: RefundReason = order.acceptedDeposit != nil ? .repeatDeposit : .depositAfterClose
    var events: [CouponOrderEvent] = []
    for deposit in order.unseenDeposits(deposits, through: date) {
        events += try placed.unaccepted(
            deposit, reason: reason, by: trigger, staff: staff, now: now, refundIds: &refundIds)
    }
    return events
}
