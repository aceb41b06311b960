import Foundation

/// ResolveUnresolvedMoney (COMMANDS.md, chamber staff only): a person decides what a suspense
/// item is. `refund` makes the whole amount a refund due (`RefundBecameDue{unresolvedMoney}`),
/// `applyToOrder` pays an open or expired bank order with the deposit (the effects of a matching
/// deposit found by a manual check), `writeOff` closes it with a reason.
public struct ResolveUnresolvedMoney: Sendable, Hashable, Codable {
    public var itemId: UUID
    public var resolution: UnresolvedResolution
    /// For `applyToOrder`: the order the deposit pays.
    public var orderNo: OrderNo?
    /// Why; required for `writeOff`.
    public var reason: String?
    /// For `refund` of an item whose company is unknown: the company owed, when staff found it.
    public var tradeRegNo: TradeRegNo?

    public init(
        itemId: UUID, resolution: UnresolvedResolution, orderNo: OrderNo? = nil, reason: String? = nil,
        tradeRegNo: TradeRegNo? = nil
    ) {
        self.itemId = itemId
        self.resolution = resolution
        self.orderNo = orderNo
        self.reason = reason
        self.tradeRegNo = tradeRegNo
    }

    /// The events per stream and the caller's result.
    public struct Decision: Sendable, Hashable {
        public var unresolved: [UnresolvedMoneyEvent] = []
        public var order: [CouponOrderEvent] = []
        public var company: [CompanyEvent] = []
        public var result: JSONValue = .object([:])
    }

    /// Checks, in this order: `reason` (`invalidCommand`: required for writeOff, at most 500
    /// characters); `orderNo` given exactly for applyToOrder (`invalidCommand`); the item exists
    /// (`unknownItem`); it is still open (`alreadyResolved`). Then:
    /// - `refund`: `RefundBecameDue{unresolvedMoney, basis: amount, costsDeductible: false}` owed
    ///   by `refundingChamberId` = the staff's chamber, + `UnresolvedMoneyResolved{refund}`;
    /// - `writeOff`: `UnresolvedMoneyResolved{writeOff, reason}`;
    /// - `applyToOrder`: a deposit (`matchImpossible` for a capture), into a bank order (`unknownOrder`
    ///   when none was placed) that is AwaitingTransfer or Expired and costs at most the deposit
    ///   (`matchImpossible` otherwise): `BankDepositReceived{manual, acceptedForOrder}` (+
    ///   `RefundBecameDue{overpayment}` of the excess) + `CouponOrderFulfilled` + `CouponsIssued
    ///   {manual, issueDate: today}` (+ `CouponPurchaseClosed{fulfilled}` when the order held the
    ///   lock; an expired one did not, as for a late card capture, O13) +
    ///   `UnresolvedMoneyResolved{applyToOrder}`.
    ///
    /// - Parameters:
    ///   - order, company: the order named by `orderNo` and its company (applyToOrder only).
    ///   - refundIds: two ids (the refund of `refund`, or the overpayment refund of applyToOrder).
    public func decide(
        _ item: UnresolvedMoneyState, order: CouponOrderState?, company: CompanyState?, staff: StaffId,
        chamber: ChamberId, refundIds: [UUID], now: Date
    ) throws(Rejection) -> Decision {
        try TextRules.optional(reason, field: "reason", maximum: 500)
        if resolution == .writeOff {
            guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .invalid("reason", "a write-off needs a reason: who decided it and why")
            }
        }
        if resolution == .applyToOrder, orderNo == nil {
            throw .invalid("orderNo", "applyToOrder names the order the deposit pays")
        }
        if resolution != .applyToOrder, orderNo != nil {
            throw .invalid("orderNo", "only applyToOrder names an order")
        }
        guard let recorded = item.recorded else {
            throw Rejection(
                .unknownItem, "no unresolved money item \(itemId.uuidString.lowercased())",
                details: ["itemId": .string(itemId.uuidString.lowercased())])
        }
        if let done = item.resolved {
            throw Rejection(
                .alreadyResolved,
                "item \(itemId.uuidString.lowercased()) was already resolved (\(done.resolution.rawValue)) by "
                    + "\(done.staffId); nothing more can be done with it",
                details: [
                    "resolution": .string(done.resolution.rawValue), "resolvedBy": .string(done.staffId.stringValue),
                    "resolvedAt": .string(RFC3339.format(done.resolvedAt)),
                ])
        }
        var decision = Decision()
        var refundId: UUID?
        switch resolution {
        case .refund:
            let refund = RefundBecameDue(
                refundId: refundIds[0], reason: .unresolvedMoney, basisYen: recorded.amountYen, costsDeductible: false,
                depositId: recorded.depositId, settlementNo: recorded.settlementNo,
                tradeRegNo: recorded.tradeRegNo ?? tradeRegNo, refundingChamberId: chamber,
                gatewayTransactionId: recorded.gatewayTransactionId, itemId: itemId)
            refundId = refund.refundId
            decision.unresolved.append(.refundDue(refund))
        case .writeOff:
            break
        case .applyToOrder:
            try apply(
                recorded, order: order, company: company, staff: staff, refundId: refundIds[1], now: now,
                into: &decision)
        }
        let resolved = UnresolvedMoneyResolved(
            itemId: itemId, resolution: resolution, amountYen: recorded.amountYen, orderNo: orderNo,
            refundId: refundId, staffId: staff, chamberId: chamber, reason: reason, resolvedAt: now)
        decision.unresolved.append(.resolved(resolved))
        var result: [String: JSONValue] = [
            "itemId": .string(itemId.uuidString.lowercased()), "resolution": .string(resolution.rawValue),
            "amountYen": .int(recorded.amountYen.value),
            "state": .string(UnresolvedMoneyState.Status.resolved.rawValue),
        ]
        if let refundId { result["refundId"] = .string(refundId.uuidString.lowercased()) }
        if let orderNo { result["orderNo"] = .string(orderNo.stringValue) }
        if !decision.order.isEmpty, let order {
            var orderDecision = CouponOrderDecision()
            orderDecision.order = decision.order
            orderDecision.company = decision.company
            result["order"] = orderResult(order, orderDecision)
        }
        decision.result = .object(result)
        return decision
    }

    private func apply(
        _ recorded: UnresolvedMoneyRecorded, order: CouponOrderState?, company: CompanyState?, staff: StaffId,
        refundId: UUID, now: Date, into decision: inout Decision
    ) throws(Rejection) {
        func impossible(_ why: String, _ details: [String: JSONValue] = [:]) -> Rejection {
            Rejection(
                .matchImpossible, why,
                details: details.merging(["itemId": .string(itemId.uuidString.lowercased())]) { a, _ in a })
        }
        guard recorded.kind == .bankDeposit, let depositId = recorded.depositId, let account = recorded.account else {
            throw impossible("a card capture cannot pay a bank order; refund it or write it off")
        }
        guard let order, let placed = order.placed, let company else {
            throw Rejection(
                .unknownOrder, "no coupon order \(orderNo?.stringValue ?? "?") was placed",
                details: ["orderNo": .string(orderNo?.stringValue ?? "")])
        }
        guard placed.paymentMethod == .bankTransfer else {
            throw impossible("order \(placed.orderNo) is paid by card; only a bank order takes a deposit")
        }
        guard order.status == .awaitingTransfer || order.status == .expired else {
            throw impossible(
                "order \(placed.orderNo) is \(order.status?.rawValue ?? "none"); a deposit can pay only an order "
                    + "awaiting its transfer or expired",
                ["state": .string(order.status?.rawValue ?? "none")])
        }
        guard recorded.amountYen >= placed.amountYen else {
            throw impossible(
                "the deposit of \(recorded.amountYen.printed) is less than order \(placed.orderNo)'s "
                    + "\(placed.amountYen.printed); an underpayment pays no order (R53): refund it",
                ["amountYen": .int(recorded.amountYen.value), "orderAmountYen": .int(placed.amountYen.value)])
        }
        let deposit = BankDeposit(
            depositId: depositId, bankCode: account.bankCode, branchCode: account.branchCode,
            accountNumber: account.accountNumber, amountYen: recorded.amountYen, depositedOn: recorded.receivedOn,
            payerName: recorded.payerName)
        let today = JSTDate(instant: now)
        decision.order.append(
            .depositReceived(
                placed.received(deposit, by: .manual, staff: staff, now: now, accepted: true, scheduledIssueDate: nil)))
        if recorded.amountYen > placed.amountYen {
            let excess = try! recorded.amountYen.subtracting(placed.amountYen)  // amount > order amount
            decision.order.append(
                .refundDue(placed.refund(refundId, .overpayment, basis: excess, depositId: depositId)))
        }
        let held = order.status == .awaitingTransfer
        let issued = try company.issuing(placed, trigger: .manual, staff: staff, issueDate: today)
        decision.order.append(
            .fulfilled(
                CouponOrderFulfilled(
                    orderNo: placed.orderNo, coupons: placed.totalCoupons, settledAmountYen: placed.amountYen,
                    confirmationDate: today, settlementNo: nil, late: !held)))
        decision.company.append(.couponsIssued(issued))
        if held {
            decision.company.append(.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .fulfilled)))
        }
    }
}
