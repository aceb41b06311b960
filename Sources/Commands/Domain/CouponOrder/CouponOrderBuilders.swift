import Foundation

extension CouponOrderPlaced {
    /// A refund owed for this order (F1): the whole deposit, or the excess for an overpayment.
    func refund(_ id: UUID, _ reason: RefundReason, basis: Yen, depositId: DepositId?) -> RefundBecameDue {
        RefundBecameDue(
            refundId: id, reason: reason, basisYen: basis, costsDeductible: reason == .overpayment,
            depositId: depositId,
            settlementNo: nil, tradeRegNo: tradeRegNo, refundingChamberId: chamberId)
    }

    func received(
        _ deposit: BankDeposit, by trigger: DepositCheckTrigger, staff: StaffId?, now: Date, accepted: Bool,
        scheduledIssueDate: JSTDate?
    ) -> BankDepositReceived {
        BankDepositReceived(
            orderNo: orderNo, depositId: deposit.depositId, amountYen: deposit.amountYen,
            depositedOn: deposit.depositedOn,
            payerName: deposit.payerName, detectedAt: now, detectedBy: trigger, staffId: staff,
            deltaYen: deposit.amountYen.signedDifference(minus: amountYen), acceptedForOrder: accepted,
            scheduledIssueDate: scheduledIssueDate)
    }

    /// O14: a deposit that cannot pay the order is recorded and refunded in full.
    func unaccepted(
        _ deposit: BankDeposit, reason: RefundReason, by trigger: DepositCheckTrigger, staff: StaffId?, now: Date,
        refundIds: inout RefundIdPool
    ) throws(Rejection) -> [CouponOrderEvent] {
        [
            .depositReceived(
                received(deposit, by: trigger, staff: staff, now: now, accepted: false, scheduledIssueDate: nil)),
            .refundDue(refund(try refundIds.take(), reason, basis: deposit.amountYen, depositId: deposit.depositId)),
        ]
    }
}

extension CompanyState {
    /// `CouponsIssued` for `placed` (I2, I3, I9): the balance grows by the order's coupons;
    /// pending drops to 0 unless another order holds the lock (a late issuance, O13), whose
    /// coupons stay pending.
    func issuing(
        _ placed: CouponOrderPlaced, trigger: IssueTrigger, staff: StaffId?, issueDate: JSTDate
    ) throws(Rejection) -> CouponsIssued {
        guard let balance = try? available.adding(placed.totalCoupons) else {
            throw Rejection(
                .invalidCommand,
                "issuing \(placed.totalCoupons.value) coupons would overflow the balance of "
                    + "company \(placed.tradeRegNo)")
        }
        let pendingAfter: Count =
            if let open = openPurchase, open.orderNo != placed.orderNo { pending } else { .zero }
        return CouponsIssued(
            orderNo: placed.orderNo, coupons: placed.totalCoupons, amountYen: placed.amountYen,
            paymentMethod: placed.paymentMethod, trigger: trigger, staffId: staff, issueDate: issueDate,
            balanceAfter: balance, pendingAfter: pendingAfter)
    }
}

/// Issues a bank order's coupons (O5, O6, O7): fulfilled, issued, lock closed.
func fulfilBankOrder(
    _ placed: CouponOrderPlaced, _ company: CompanyState, trigger: IssueTrigger, staff: StaffId?, date: JSTDate,
    into decision: inout CouponOrderDecision
) throws(Rejection) {
    let issued = try company.issuing(placed, trigger: trigger, staff: staff, issueDate: date)
    decision.order.append(
        .fulfilled(
            CouponOrderFulfilled(
                orderNo: placed.orderNo, coupons: placed.totalCoupons, settledAmountYen: placed.amountYen,
                confirmationDate: date, settlementNo: nil, late: false)))
    decision.company.append(.couponsIssued(issued))
    decision.company.append(.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .fulfilled)))
}

/// The common result of the order commands: the order's state after the decision and what
/// happened to money and coupons.
func orderResult(_ order: CouponOrderState, _ decision: CouponOrderDecision, extra: [String: JSONValue] = [:])
    -> JSONValue
{
    let after = order.applying(decision.order)
    var object: [String: JSONValue] = [
        "orderNo": .string(after.placed?.orderNo.stringValue ?? ""),
        "state": .string(after.status?.rawValue ?? "none"),
    ]
    let received = decision.order.compactMap { if case .depositReceived(let d) = $0 { d } else { nil } }
    if !received.isEmpty {
        object["deposits"] = .array(
            received.map {
                .object([
                    "depositId": .string($0.depositId.stringValue), "amountYen": .int($0.amountYen.value),
                    "acceptedForOrder": .bool($0.acceptedForOrder),
                ])
            })
    }
    if let scheduled = received.first(where: \.acceptedForOrder)?.scheduledIssueDate {
        object["scheduledIssueDate"] = .string(scheduled.stringValue)
    }
    if let issued = decision.company.compactMap({ if case .couponsIssued(let i) = $0 { i } else { nil } }).first {
        object["couponsIssued"] = .int(Int64(issued.coupons.value))
        object["issueDate"] = .string(issued.issueDate.stringValue)
        object["balanceAfter"] = .int(Int64(issued.balanceAfter.value))
        object["pendingAfter"] = .int(Int64(issued.pendingAfter.value))
    }
    let refunds = decision.refundsDue
    if !refunds.isEmpty {
        object["refundsDue"] = .array(
            refunds.map {
                .object([
                    "refundId": .string($0.refundId.uuidString.lowercased()), "reason": .string($0.reason.rawValue),
                    "basisYen": .int($0.basisYen.value), "costsDeductible": .bool($0.costsDeductible),
                ])
            })
    }
    object.merge(extra) { _, new in new }
    return .object(object)
}
