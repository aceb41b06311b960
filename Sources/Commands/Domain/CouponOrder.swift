import Foundation

// The coupon order (`couponOrder-<orderNo>`, DOMAIN.md §5.3) and its interplay with the company's
// coupon account (purchase lock, CouponsIssued) and, for card orders, the payment attempt
// (`payment-<settlementNo>`, purpose couponOrder). Pure: folded states, the actor, `now`, the
// business calendar, the bank deposits of the order's account and every number the ledger
// allocates come in as arguments; events come out per stream in a `CouponOrderDecision`.

/// Fixed values of coupon orders.
public enum CouponOrderRules {
    /// 「購入依頼日から30日以内」 (R51): validUntil = orderDate + 30 calendar days, inclusive.
    public static let validityDays = 30
    /// The default quantity limit per order line (Q36).
    public static let maximumPacksPerLine = 999
    /// 内容 on a coupon-purchase statement (R28, §7.6).
    public static let statementContent = "クーポン購入"

    /// The gateway's product name: 「貿易関係証明発給システムクーポン2枚分」 (seed L644).
    public static func cardProductLabel(coupons: Count) -> String {
        "貿易関係証明発給システムクーポン\(coupons.value)枚分"
    }

    /// 購入内容 of a statement: one 「<label>(<unit price>円) × <qty>」 per line (§7.6,
    /// Appendix A #6), lines separated by a newline.
    public static func purchaseDescription(_ lines: [CouponLine]) -> String {
        lines.map { "\($0.label)(\($0.unitPriceYen.printed)) × \($0.quantity.value)" }.joined(separator: "\n")
    }
}

// MARK: - State

/// One coupon order (`couponOrder-<orderNo>`), folded.
public struct CouponOrderState: Sendable, Hashable {
    /// The states of §5.3.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case awaitingTransfer, depositConfirmed, awaitingCardAuth
        case fulfilled, cancelled, expired, closedUnderpaid, paymentFailed

        /// Counts as pending (購入手続中) and holds the company's purchase lock.
        public var isOpen: Bool { self == .awaitingTransfer || self == .depositConfirmed || self == .awaitingCardAuth }
    }

    public var placed: CouponOrderPlaced?
    public var status: Status?
    /// The virtual account of a bank order.
    public var account: VirtualAccountAssigned?
    /// The latest check (最終確認日時).
    public var lastCheck: BankDepositChecked?
    /// The latest business date a nightly run covered for this order (Q12, Q39).
    public var nightlyCoveredThrough: JSTDate?
    /// Every deposit recorded on this stream, accepted or not, in order.
    public var deposits: [BankDepositReceived] = []
    /// The deposit that paid the order.
    public var acceptedDeposit: BankDepositReceived?
    public var fulfilled: CouponOrderFulfilled?
    public var cancelled: CouponOrderCancelled?
    public var expired: CouponOrderExpired?
    public var closedUnderpaid: CouponOrderClosedUnderpaid?
    public var paymentFailed: CouponOrderPaymentFailed?
    public var refundsDue: [RefundBecameDue] = []
    public var refundsRecorded: [RefundRecorded] = []

    public init() {}

    public var exists: Bool { placed != nil }
    public var orderNo: OrderNo? { placed?.orderNo }
    /// The card attempt of a card order.
    public var settlementNo: SettlementNo? { placed?.settlementNo }
    public var validUntil: JSTDate? { account?.validUntil }
    /// The date a nightly-confirmed deposit's coupons are due (DepositConfirmed).
    public var scheduledIssueDate: JSTDate? { acceptedDeposit?.scheduledIssueDate }
    /// The ids of the deposits already recorded here (I20).
    public var recordedDepositIds: Set<DepositId> { Set(deposits.map(\.depositId)) }

    /// Folds one event. Guards were checked when the event was decided.
    public static func evolve(_ state: CouponOrderState, _ event: CouponOrderEvent) -> CouponOrderState {
        var state = state
        switch event {
        case .placed(let e):
            state.placed = e
            state.status = e.paymentMethod == .bankTransfer ? .awaitingTransfer : .awaitingCardAuth
        case .virtualAccountAssigned(let e):
            state.account = e
        case .depositChecked(let e):
            state.lastCheck = e
            if let date = e.businessDate, date > (state.nightlyCoveredThrough ?? date.adding(days: -1)) {
                state.nightlyCoveredThrough = date
            }
        case .depositReceived(let e):
            state.deposits.append(e)
            if e.acceptedForOrder && state.status == .awaitingTransfer {
                state.acceptedDeposit = e
                state.status = .depositConfirmed
            }
        case .fulfilled(let e):
            state.fulfilled = e
            state.status = .fulfilled
        case .cancelled(let e):
            state.cancelled = e
            state.status = .cancelled
        case .expired(let e):
            state.expired = e
            state.status = .expired
        case .closedUnderpaid(let e):
            state.closedUnderpaid = e
            state.status = .closedUnderpaid
        case .paymentFailed(let e):
            state.paymentFailed = e
            state.status = .paymentFailed
        case .refundDue(let e):
            state.refundsDue.append(e)
        case .refundRecorded(let e):
            state.refundsRecorded.append(e)
        }
        return state
    }

    /// The state after `events` (for results and tests).
    public func applying(_ events: [CouponOrderEvent]) -> CouponOrderState {
        events.reduce(self, Self.evolve)
    }

    /// The deposits of `deposits` that went into this order's account, are not yet recorded
    /// here, and were credited on or before `date`: oldest `depositedOn` first, ties in the
    /// order given (the glue passes them in recording order). Duplicated ids count once.
    public func unseenDeposits(_ deposits: [BankDeposit], through date: JSTDate) -> [BankDeposit] {
        guard let key = account?.account.key else { return [] }
        var seen = recordedDepositIds
        var result: [BankDeposit] = []
        for deposit in deposits where deposit.accountKey == key && deposit.depositedOn <= date {
            if seen.insert(deposit.depositId).inserted { result.append(deposit) }
        }
        // A stable sort by date: Swift's sort is not guaranteed stable, so sort with the index.
        return result.enumerated()
            .sorted { ($0.element.depositedOn, $0.offset) < ($1.element.depositedOn, $1.offset) }
            .map(\.element)
    }

    /// True when the order may be expired now (R51, O10, Q12): AwaitingTransfer, `today` is
    /// after `validUntil`, a nightly run covered `validUntil` (or a later date), and no deposit
    /// credited on or before `validUntil` waits unseen in `deposits`.
    public func isExpiryDue(today: JSTDate, deposits: [BankDeposit]) -> Bool {
        guard status == .awaitingTransfer, let validUntil, today > validUntil,
              let covered = nightlyCoveredThrough, covered >= validUntil
        else { return false }
        return unseenDeposits(deposits, through: validUntil).isEmpty
    }

    func require(_ orderNo: OrderNo) throws(Rejection) -> CouponOrderPlaced {
        guard let placed else {
            throw Rejection(.unknownOrder, "no coupon order \(orderNo) has been placed",
                            details: ["orderNo": .string(orderNo.stringValue)])
        }
        return placed
    }

    func wrongState(_ action: String) -> Rejection {
        let state = status?.rawValue ?? "none"
        let number = placed?.orderNo.stringValue ?? "?"
        return .wrongState("coupon order \(number) is \(state); it cannot be \(action)", state: state)
    }
}

// MARK: - Decision

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

    public init() {}

    public var isEmpty: Bool { order.isEmpty && company.isEmpty && payment.isEmpty }

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

/// The refund ids the ledger allocated for one command, taken in order.
struct RefundIdPool {
    private let ids: [UUID]
    private var next = 0

    init(_ ids: [UUID]) { self.ids = ids }

    mutating func take() throws(Rejection) -> UUID {
        guard next < ids.count else {
            throw .invalid("refundIds", "the ledger must allocate one refund id per deposit (given \(ids.count))")
        }
        defer { next += 1 }
        return ids[next]
    }
}

// MARK: - Shared builders

extension CouponOrderPlaced {
    /// A refund owed for this order (F1): the whole deposit, or the excess for an overpayment.
    func refund(_ id: UUID, _ reason: RefundReason, basis: Yen, depositId: DepositId?) -> RefundBecameDue {
        RefundBecameDue(
            refundId: id, reason: reason, basisYen: basis, costsDeductible: reason == .overpayment, depositId: depositId,
            settlementNo: nil, tradeRegNo: tradeRegNo, refundingChamberId: chamberId)
    }

    func received(
        _ deposit: BankDeposit, by trigger: DepositCheckTrigger, staff: StaffId?, now: Date, accepted: Bool,
        scheduledIssueDate: JSTDate?
    ) -> BankDepositReceived {
        BankDepositReceived(
            orderNo: orderNo, depositId: deposit.depositId, amountYen: deposit.amountYen, depositedOn: deposit.depositedOn,
            payerName: deposit.payerName, detectedAt: now, detectedBy: trigger, staffId: staff,
            deltaYen: deposit.amountYen.signedDifference(minus: amountYen), acceptedForOrder: accepted,
            scheduledIssueDate: scheduledIssueDate)
    }

    /// O14: a deposit that cannot pay the order is recorded and refunded in full.
    func unaccepted(
        _ deposit: BankDeposit, reason: RefundReason, by trigger: DepositCheckTrigger, staff: StaffId?, now: Date,
        refundIds: inout RefundIdPool
    ) throws(Rejection) -> [CouponOrderEvent] {
        [.depositReceived(received(deposit, by: trigger, staff: staff, now: now, accepted: false, scheduledIssueDate: nil)),
         .refundDue(refund(try refundIds.take(), reason, basis: deposit.amountYen, depositId: deposit.depositId))]
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
            throw Rejection(.invalidCommand, "issuing \(placed.totalCoupons.value) coupons would overflow the balance of "
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
private func fulfilBankOrder(
    _ placed: CouponOrderPlaced, _ company: CompanyState, trigger: IssueTrigger, staff: StaffId?, date: JSTDate,
    into decision: inout CouponOrderDecision
) throws(Rejection) {
    let issued = try company.issuing(placed, trigger: trigger, staff: staff, issueDate: date)
    decision.order.append(.fulfilled(CouponOrderFulfilled(
        orderNo: placed.orderNo, coupons: placed.totalCoupons, settledAmountYen: placed.amountYen,
        confirmationDate: date, settlementNo: nil, late: false)))
    decision.company.append(.couponsIssued(issued))
    decision.company.append(.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .fulfilled)))
}

/// The common result of the order commands: the order's state after the decision and what
/// happened to money and coupons.
private func orderResult(_ order: CouponOrderState, _ decision: CouponOrderDecision, extra: [String: JSONValue] = [:])
    -> JSONValue
{
    let after = order.applying(decision.order)
    var object: [String: JSONValue] = [
        "orderNo": .string(after.placed?.orderNo.stringValue ?? ""),
        "state": .string(after.status?.rawValue ?? "none"),
    ]
    let received = decision.order.compactMap { if case .depositReceived(let d) = $0 { d } else { nil } }
    if !received.isEmpty {
        object["deposits"] = .array(received.map {
            .object(["depositId": .string($0.depositId.stringValue), "amountYen": .int($0.amountYen.value),
                     "acceptedForOrder": .bool($0.acceptedForOrder)])
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
        object["refundsDue"] = .array(refunds.map {
            .object(["refundId": .string($0.refundId.uuidString.lowercased()), "reason": .string($0.reason.rawValue),
                     "basisYen": .int($0.basisYen.value), "costsDeductible": .bool($0.costsDeductible)])
        })
    }
    object.merge(extra) { _, new in new }
    return .object(object)
}

// MARK: - PlaceCouponOrder

/// PlaceCouponOrder (COMMANDS.md; O1 bank, O2 card): 購入確定.
public struct PlaceCouponOrder: Sendable, Hashable, Decodable {
    /// One requested line: a product of the tariff and a number of packs.
    public struct Line: Sendable, Hashable, Codable {
        public var productCode: String
        public var quantity: Count

        public init(productCode: String, quantity: Count) {
            self.productCode = productCode
            self.quantity = quantity
        }
    }

    public var paymentMethod: CouponPaymentMethod
    public var lines: [Line]
    /// 購入者名.
    public var buyerName: String
    public var emailOptIn: Bool
    public var email: String?

    public init(paymentMethod: CouponPaymentMethod, lines: [Line], buyerName: String, emailOptIn: Bool, email: String? = nil) {
        self.paymentMethod = paymentMethod
        self.lines = lines
        self.buyerName = buyerName
        self.emailOptIn = emailOptIn
        self.email = email
    }

    /// Decides the order.
    ///
    /// Checks, in this order: `orderNo` (and for card `settlementNo`) were allocated for the
    /// buyer's company today (`invalidCommand`, a glue error); the order stream is new
    /// (`wrongState`); the company is registered (`unknownCompany`); the fields
    /// (`invalidCommand`: after dropping quantity-0 lines (Q36) at least one line, each
    /// product at most once, 1-999 packs per line, buyerName, email when opted in); the
    /// method is allowed for the company (`paymentMethodNotAllowed`, R41, EX-17); no order is
    /// open (`purchaseInProgress` with the open order and its buyer, R39, EX-11); a tariff is in
    /// force on the order date (`unknownTariff`); each line is a product of that tariff for the
    /// company's membership on the order date (`unknownProduct`, R9, R44, Q6, EX-8); the totals
    /// fit; for a bank order, a virtual account is available (`noVirtualAccountAvailable`).
    ///
    /// - Parameters:
    ///   - order: the (empty) state of `couponOrder-<orderNo>`.
    ///   - buyer: the acting user or sub-ID; `tradeRegNo` its company (R40).
    ///   - orderNo: allocated for (today, tradeRegNo).
    ///   - virtualAccount: the pool's next free account (bank), nil when the pool is empty.
    ///   - settlementNo: allocated for (today, tradeRegNo) (card).
    public func decide(
        _ order: CouponOrderState, _ company: CompanyState, _ tariffs: TariffState, buyer: UserId,
        tradeRegNo: TradeRegNo, orderNo: OrderNo, virtualAccount: VirtualAccount?, settlementNo: SettlementNo?,
        now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        let orderDate = JSTDate(instant: now)
        guard orderNo.tradeRegNo == tradeRegNo, orderNo.date == orderDate else {
            throw .invalid("orderNo", "the ledger allocated \(orderNo), which is not for company \(tradeRegNo) on \(orderDate)")
        }
        if paymentMethod == .card {
            guard let settlementNo, settlementNo.tradeRegNo == tradeRegNo, settlementNo.date == orderDate else {
                throw .invalid("settlementNo", "a card order needs a settlement number allocated for company "
                               + "\(tradeRegNo) on \(orderDate) (given \(settlementNo?.stringValue ?? "none"))")
            }
        }
        guard !order.exists else { throw order.wrongState("placed again") }
        try company.requireRegistered(tradeRegNo)
        let requested = try validatedLines()
        try TextRules.require(buyerName, field: "buyerName", maximum: 200)
        try validateEmail()
        guard company.paymentMethods.contains(paymentMethod) else {
            let allowed = company.paymentMethods.map(\.rawValue).sorted()
            throw Rejection(
                .paymentMethodNotAllowed,
                "company \(tradeRegNo) may not buy coupons by \(paymentMethod.rawValue); the chamber allows "
                    + (allowed.isEmpty ? "no payment method" : allowed.joined(separator: ", "))
                    + " (R41). Choose an allowed method or ask the chamber",
                details: ["paymentMethod": .string(paymentMethod.rawValue), "allowed": .array(allowed.map(JSONValue.string))])
        }
        if let open = company.openPurchase {
            throw Rejection(
                .purchaseInProgress,
                "company \(tradeRegNo) already has coupon order \(open.orderNo) in progress, placed by "
                    + "\(open.buyerUserId); a new purchase is possible once it is completed (coupons issued) or "
                    + "cancelled (R39)",
                details: ["openOrderNo": .string(open.orderNo.stringValue),
                          "buyerUserId": .string(open.buyerUserId.stringValue),
                          "pending": .int(Int64(open.coupons.value))])
        }
        guard let tariff = tariffs.inForce(on: orderDate), let profile = company.profile else {
            throw Rejection(.unknownTariff, "the chamber of company \(tradeRegNo) has no tariff in force on \(orderDate); "
                            + "publish one (PublishTariff) first",
                            details: ["orderDate": .string(orderDate.stringValue)])
        }
        let membership = company.membership(on: orderDate) ?? .nonMember
        var couponLines: [CouponLine] = []
        for (index, line) in requested {
            guard let product = tariff.couponProducts.first(where: { $0.productCode == line.productCode }),
                  product.membership == membership
            else {
                let offered = tariff.couponProducts.filter { $0.membership == membership }.map(\.productCode)
                throw Rejection(
                    .unknownProduct,
                    "lines[\(index)]: \"\(line.productCode)\" is not a coupon product for \(membership.label) "
                        + "(\(membership.rawValue)) in the tariff in force on \(orderDate) (R9, R44); available: "
                        + offered.joined(separator: ", "),
                    details: ["field": .string("lines[\(index)].productCode"), "productCode": .string(line.productCode),
                              "membership": .string(membership.rawValue),
                              "available": .array(offered.map(JSONValue.string))])
            }
            guard let amount = try? product.priceYen.multiplied(by: line.quantity),
                  (try? product.packSize.multiplied(by: line.quantity)) != nil
            else { throw .invalid("lines[\(index)].quantity", "the line is too large") }
            couponLines.append(CouponLine(
                productCode: product.productCode, label: product.label, packSize: product.packSize,
                unitPriceYen: product.priceYen, faceValueYen: product.faceValueYen, quantity: line.quantity,
                lineAmountYen: amount))
        }
        guard let amount = try? Yen.sum(couponLines.map(\.lineAmountYen)),
              let totalCoupons = try? Count.sum(couponLines.compactMap(\.coupons)),
              amount > .zero, totalCoupons.value >= 1
        else { throw .invalid("lines", "the order's totals are out of range") }
        if paymentMethod == .bankTransfer && virtualAccount == nil {
            throw Rejection(.noVirtualAccountAvailable,
                            "no virtual account is free for a bank-transfer order; the chamber must load more "
                                + "(LoadVirtualAccounts), or pay by card if allowed")
        }

        let split = TaxSplit(amount: amount)
        let placed = CouponOrderPlaced(
            orderNo: orderNo, tradeRegNo: tradeRegNo, chamberId: profile.chamberId, buyerUserId: buyer,
            buyerName: buyerName, membership: membership, paymentMethod: paymentMethod, lines: couponLines,
            totalCoupons: totalCoupons, amountYen: amount, taxableAmountYen: split.taxableAmount,
            consumptionTaxYen: split.consumptionTax, emailOptIn: emailOptIn, email: email, orderDate: orderDate,
            placedAt: now, settlementNo: paymentMethod == .card ? settlementNo : nil)
        var decision = CouponOrderDecision()
        decision.order = [.placed(placed)]
        decision.company = [.purchaseOpened(CouponPurchaseOpened(
            orderNo: orderNo, buyerUserId: buyer, paymentMethod: paymentMethod, coupons: totalCoupons, amountYen: amount))]
        var result: [String: JSONValue] = [
            "orderNo": .string(orderNo.stringValue),
            "paymentMethod": .string(paymentMethod.rawValue),
            "amountYen": .int(amount.value),
            "taxableAmountYen": .int(split.taxableAmount.value),
            "consumptionTaxYen": .int(split.consumptionTax.value),
            "totalCoupons": .int(Int64(totalCoupons.value)),
            "orderDate": .string(orderDate.stringValue),
        ]
        switch paymentMethod {
        case .bankTransfer:
            let account = virtualAccount!
            let validUntil = orderDate.adding(days: CouponOrderRules.validityDays)
            decision.order.append(.virtualAccountAssigned(VirtualAccountAssigned(
                orderNo: orderNo, account: account, validUntil: validUntil)))
            result["virtualAccount"] = JSONCoding.value(account)
            result["validUntil"] = .string(validUntil.stringValue)
        case .card:
            let settlementNo = settlementNo!
            let label = CouponOrderRules.cardProductLabel(coupons: totalCoupons)
            let deadline = now.addingTimeInterval(CardPaymentRules.windowSeconds)
            decision.payment = [.started(PaymentAttemptStarted(
                settlementNo: settlementNo, purpose: .couponOrder, payerUserId: buyer, tradeRegNo: tradeRegNo,
                items: nil, orderNo: orderNo, itemCount: totalCoupons, amountYen: amount, productLabel: label,
                startedAt: now, deadlineAt: deadline))]
            result["settlementNo"] = .string(settlementNo.stringValue)
            result["productLabel"] = .string(label)
            result["deadlineAt"] = .string(JSTTimestamp.rfc3339(deadline))
        }
        decision.result = .object(result)
        return decision
    }

    /// The lines with quantity ≥ 1, each with its index in the command (Q36).
    func validatedLines() throws(Rejection) -> [(index: Int, line: Line)] {
        var kept: [(index: Int, line: Line)] = []
        var codes = Set<String>()
        for (index, line) in lines.enumerated() where line.quantity.value > 0 {
            guard line.quantity.value <= CouponOrderRules.maximumPacksPerLine else {
                throw .invalid("lines[\(index)].quantity",
                               "at most \(CouponOrderRules.maximumPacksPerLine) packs per line (Q36); "
                                   + "\(line.quantity.value) were asked")
            }
            guard codes.insert(line.productCode).inserted else {
                throw .invalid("lines[\(index)].productCode",
                               "product \"\(line.productCode)\" appears in two lines; give it once with the total quantity")
            }
            kept.append((index, line))
        }
        guard !kept.isEmpty else {
            throw .invalid("lines", "at least one line with a quantity of 1 or more is needed")
        }
        return kept
    }

    func validateEmail() throws(Rejection) {
        guard let email, !email.isEmpty else {
            if emailOptIn { throw .invalid("email", "an address is needed to receive purchase emails (emailOptIn)") }
            return
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !email.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7f })
        else { throw .invalid("email", "is not an email address (local@domain, at most 254 characters)") }
    }
}

// MARK: - CancelCouponOrder

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
                throw Rejection(.forbidden, "coupon order \(orderNo) belongs to company \(placed.tradeRegNo), not \(tradeRegNo)",
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
            decision.payment = [.abandoned(PaymentAttemptAbandoned(settlementNo: settlementNo, byUserId: user, abandonedAt: now))]
        }
        decision.result = orderResult(order, decision, extra: ["cancelledBy": .string(by.rawValue)])
        return decision
    }
}

// MARK: - Deposit checks

/// The deposit handling shared by the nightly and the manual check on an AwaitingTransfer order
/// (O3, O4, O6, O8, O10, O14).
private func checkAwaitingTransfer(
    _ order: CouponOrderState, _ placed: CouponOrderPlaced, _ company: CompanyState, deposits: [BankDeposit],
    through date: JSTDate, trigger: DepositCheckTrigger, staff: StaffId?, expiryDue: Bool,
    calendar: BusinessCalendar, refundIds: inout RefundIdPool, now: Date
) throws(Rejection) -> CouponOrderDecision {
    guard let validUntil = order.validUntil else { throw order.wrongState("checked: it has no virtual account") }
    let unseen = order.unseenDeposits(deposits, through: date)
    let today = JSTDate(instant: now)
    var decision = CouponOrderDecision()
    func checked(found: Bool) -> CouponOrderEvent {
        .depositChecked(BankDepositChecked(
            orderNo: placed.orderNo, trigger: trigger, staffId: staff, checkedAt: now, found: found,
            businessDate: trigger == .nightly ? date : nil))
    }
    if let first = unseen.first(where: { $0.depositedOn <= validUntil }) {
        let accepted = first.amountYen >= placed.amountYen
        decision.order.append(checked(found: true))
        decision.order.append(.depositReceived(placed.received(
            first, by: trigger, staff: staff, now: now, accepted: accepted,
            scheduledIssueDate: accepted && trigger == .nightly ? calendar.nextBusinessDay(after: date) : nil)))
        if accepted {
            if first.amountYen > placed.amountYen {
                let excess = try! first.amountYen.subtracting(placed.amountYen)  // amount > order amount
                decision.order.append(.refundDue(placed.refund(
                    try refundIds.take(), .overpayment, basis: excess, depositId: first.depositId)))
            }
            if trigger == .manual {
                try fulfilBankOrder(placed, company, trigger: .manual, staff: staff, date: today, into: &decision)
            }
        } else {
            decision.order.append(.closedUnderpaid(CouponOrderClosedUnderpaid(
                orderNo: placed.orderNo, depositId: first.depositId, receivedYen: first.amountYen,
                orderAmountYen: placed.amountYen)))
            decision.order.append(.refundDue(placed.refund(
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
        decision.order.append(.expired(CouponOrderExpired(orderNo: placed.orderNo, validUntil: validUntil, expiredAt: now)))
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
private func refundLateDeposits(
    _ order: CouponOrderState, _ placed: CouponOrderPlaced, deposits: [BankDeposit], through date: JSTDate,
    trigger: DepositCheckTrigger, staff: StaffId?, refundIds: inout RefundIdPool, now: Date
) throws(Rejection) -> [CouponOrderEvent] {
    let reason: RefundReason = order.acceptedDeposit != nil ? .repeatDeposit : .depositAfterClose
    var events: [CouponOrderEvent] = []
    for deposit in order.unseenDeposits(deposits, through: date) {
        events += try placed.unaccepted(deposit, reason: reason, by: trigger, staff: staff, now: now, refundIds: &refundIds)
    }
    return events
}

/// RunNightlyDepositCheck (COMMANDS.md; R49, O3, O4, O8, O10, O14, Q12, Q39): 「システムが毎日夜間に
/// 入金確認し、翌営業日にクーポン発行」. The glue calls `decide` once per bank order that is open or
/// has unseen deposits in its account, each in its own transaction.
public struct RunNightlyDepositCheck: Sendable, Hashable, Decodable {
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
            throw .invalid("businessDate", "\(businessDate) is after today (\(today)); a night covers a past or current date")
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
        staff: StaffId, now: Date
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
                expiryDue: order.isExpiryDue(today: today, deposits: deposits), calendar: .japan, refundIds: &pool,
                now: now)
        case .depositConfirmed:
            decision = CouponOrderDecision()
            decision.order = [.depositChecked(BankDepositChecked(
                orderNo: orderNo, trigger: .manual, staffId: staff, checkedAt: now, found: true, businessDate: nil))]
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

// MARK: - IssueScheduledCoupons

/// IssueScheduledCoupons (COMMANDS.md; O5, R49, I21): on a business day, issues the coupons of
/// each DepositConfirmed order whose scheduled date has come. The glue calls `decide` per
/// order (from the `scheduled_issuance` view), each in its own transaction.
public struct IssueScheduledCoupons: Sendable, Hashable, Decodable {
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

// MARK: - SweepDeadlines (order expiry)

/// The order-expiry part of SweepDeadlines (COMMANDS.md; O10, R51, Q12).
public enum CouponOrderExpirySweep {
    /// `CouponOrderExpired` + `CouponPurchaseClosed{expired}` when `order.isExpiryDue` (JST today
    /// after `validUntil`, a nightly run covered `validUntil`, and no deposit credited by then
    /// waits unseen in `deposits`); otherwise an empty decision. Deposits credited after
    /// `validUntil` are left to the next nightly run (refunded in full, O14).
    public static func decide(
        _ order: CouponOrderState, _ company: CompanyState, deposits: [BankDeposit], now: Date
    ) -> CouponOrderDecision {
        var decision = CouponOrderDecision()
        guard let placed = order.placed, let validUntil = order.validUntil,
              order.isExpiryDue(today: JSTDate(instant: now), deposits: deposits)
        else { return decision }
        decision.order = [.expired(CouponOrderExpired(orderNo: placed.orderNo, validUntil: validUntil, expiredAt: now))]
        decision.company = [.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .expired))]
        decision.result = orderResult(order, decision)
        return decision
    }
}

// MARK: - Card coupon orders: gateway result, abandonment, deadline sweep

extension PaymentState {
    /// The coupon order of a `purpose: couponOrder` attempt, checked against `order`.
    func requireCouponOrder(_ order: CouponOrderState) throws(Rejection) -> (PaymentAttemptStarted, CouponOrderPlaced) {
        guard let started else { throw Rejection(.unknownSettlement, "no card payment attempt was started") }
        guard started.purpose == .couponOrder, let orderNo = started.orderNo else {
            throw Rejection(
                .wrongState,
                "card attempt \(started.settlementNo) pays application fees, not a coupon order; it is handled by "
                    + "the fee-payment commands",
                details: ["state": .string(status?.rawValue ?? "none"), "purpose": .string(started.purpose.rawValue)])
        }
        let placed = try order.require(orderNo)
        guard placed.orderNo == orderNo else {
            throw Rejection(.unknownOrder, "card attempt \(started.settlementNo) is for coupon order \(orderNo), "
                            + "not \(placed.orderNo)", details: ["orderNo": .string(orderNo.stringValue)])
        }
        return (started, placed)
    }
}

/// O12: the attempt ended unpaid. The order (if still awaiting the card) fails and the lock
/// is released; an order already closed (cancelled by staff) is left as it is.
private func endCardAttempt(
    _ event: PaymentEvent, cause: CouponPaymentFailureCause, errorCode: GatewayErrorCode?, order: CouponOrderState,
    placed: CouponOrderPlaced, started: PaymentAttemptStarted
) -> CouponOrderDecision {
    var decision = CouponOrderDecision()
    decision.payment = [event]
    if order.status == .awaitingCardAuth {
        decision.order = [.paymentFailed(CouponOrderPaymentFailed(
            orderNo: placed.orderNo, settlementNo: started.settlementNo, cause: cause, errorCode: errorCode))]
        decision.company = [.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .paymentFailed))]
    }
    decision.result = orderResult(order, decision, extra: [
        "settlementNo": .string(started.settlementNo.stringValue), "outcome": .string(cause.rawValue),
    ])
    return decision
}

private func noOp(_ order: CouponOrderState, _ payment: PaymentState, _ started: PaymentAttemptStarted) -> CouponOrderDecision {
    var decision = CouponOrderDecision()
    decision.result = orderResult(order, decision, extra: [
        "settlementNo": .string(started.settlementNo.stringValue), "outcome": .string("alreadyRecorded"),
        "paymentState": .string(payment.status?.rawValue ?? "none"),
    ])
    return decision
}

extension RecordGatewayResult {
    /// Decides a gateway result for a card coupon order (`purpose: couponOrder`).
    ///
    /// Checks, in this order: the fields the outcome needs (`invalidCommand`); the attempt
    /// exists (`unknownSettlement`), is for a coupon order (`wrongState`) that was loaded
    /// (`unknownOrder`). Then:
    /// - **succeeded**: a `gatewayTransactionId` already recorded is a no-op (I20). On a
    ///   Succeeded attempt another capture becomes `RefundBecameDue{duplicateCapture}` on the
    ///   payment stream; on a Failed one: `wrongState` (P6 allows a late capture only after a
    ///   timeout or abandonment; staff resolve it). A captured amount ≠ the order amount:
    ///   `amountMismatch`, nothing recorded (P2, I7). Otherwise `PaymentAttemptSucceeded{late:
    ///   attempt not Open}` + `StatementIssued{couponPurchase}` (payment) +
    ///   `CouponOrderFulfilled` (order) + `CouponsIssued{trigger: card}` (company); when the
    ///   order was AwaitingCardAuth also `CouponPurchaseClosed{fulfilled}` (O11), else the
    ///   fulfilment is late and the lock is not touched (O13).
    /// - **failed** on an Open attempt: `PaymentAttemptFailed` + `CouponOrderPaymentFailed
    ///   {failed}` + `CouponPurchaseClosed{paymentFailed}` (O12). On an attempt already ended
    ///   unpaid: no-op. On a Succeeded one: `wrongState`.
    ///
    /// - Parameters:
    ///   - issueNumber: allocated for the settlement date (JST today); used only on success.
    ///   - refundId: used only if a duplicate capture becomes due.
    public func decideCouponOrder(
        _ payment: PaymentState, order: CouponOrderState, company: CompanyState, issueNumber: IssueNumber,
        refundId: UUID, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        try validateFields()
        let (started, placed) = try payment.requireCouponOrder(order)
        switch outcome {
        case .failed:
            switch payment.status {
            case .open:
                let event = PaymentEvent.failed(PaymentAttemptFailed(
                    settlementNo: settlementNo, errorCode: errorCode!, gatewayMessage: gatewayMessage, failedAt: now))
                return endCardAttempt(event, cause: .failed, errorCode: errorCode, order: order, placed: placed,
                                      started: started)
            case .succeeded:
                throw payment.wrongState("marked failed: the gateway already reported a capture")
            default:
                return noOp(order, payment, started)
            }
        case .succeeded:
            break
        }
        let captured = capturedAmountYen!
        if payment.recordedTransactionIds.contains(gatewayTransactionId) { return noOp(order, payment, started) }
        switch payment.status {
        case .succeeded:
            guard captured > .zero else { throw .invalid("capturedAmountYen", "a capture of 0 yen owes no refund") }
            var decision = CouponOrderDecision()
            decision.payment = [.refundDue(RefundBecameDue(
                refundId: refundId, reason: .duplicateCapture, basisYen: captured, costsDeductible: false, depositId: nil,
                settlementNo: settlementNo, tradeRegNo: placed.tradeRegNo, refundingChamberId: placed.chamberId,
                gatewayTransactionId: gatewayTransactionId))]
            decision.result = orderResult(order, decision, extra: [
                "settlementNo": .string(settlementNo.stringValue), "outcome": .string("duplicateCapture"),
            ])
            return decision
        case .failed:
            throw payment.wrongState("marked succeeded: the gateway reported it failed; staff must resolve the capture")
        default:
            break
        }
        guard captured == started.amountYen else {
            throw Rejection(
                .amountMismatch,
                "the gateway captured \(captured.printed) for card attempt \(settlementNo) of coupon order "
                    + "\(placed.orderNo), which is for \(started.amountYen.printed); a different amount is never "
                    + "recorded as a success (P2). Staff must resolve it",
                details: ["settlementNo": .string(settlementNo.stringValue), "capturedAmountYen": .int(captured.value),
                          "amountYen": .int(started.amountYen.value),
                          "state": .string(payment.status?.rawValue ?? "none")])
        }
        let orderOpen = order.status == .awaitingCardAuth
        guard orderOpen || order.status == .paymentFailed || order.status == .cancelled else {
            throw order.wrongState("fulfilled by card attempt \(settlementNo)")
        }
        let settlementDate = JSTDate(instant: now)
        guard issueNumber.date == settlementDate else {
            throw .invalid("issueNumber", "the ledger must allocate an issue number dated \(settlementDate) "
                           + "(given \(issueNumber))")
        }
        guard let profile = company.profile else {
            throw Rejection(.unknownCompany, "company \(placed.tradeRegNo) of coupon order \(placed.orderNo) is not registered",
                            details: ["tradeRegNo": .string(placed.tradeRegNo.stringValue)])
        }
        let issued = try company.issuing(placed, trigger: .card, staff: nil, issueDate: settlementDate)
        var decision = CouponOrderDecision()
        decision.payment = [
            .succeeded(PaymentAttemptSucceeded(
                settlementNo: settlementNo, gatewayTransactionId: gatewayTransactionId, capturedAmountYen: captured,
                paymentType: CardPaymentRules.lumpSum, cardBrand: cardBrand, threeDSecure: threeDSecure, settledAt: now,
                settlementDate: settlementDate, late: payment.status != .open)),
            .statementIssued(StatementIssued(
                issueNumber: issueNumber, kind: .couponPurchase, payerUserId: started.payerUserId,
                issueDate: settlementDate, issuerName: CardPaymentRules.issuerName,
                issuerRegistrationNumber: CardPaymentRules.issuerRegistrationNumber,
                tradeRegNoAsPrinted: profile.tradeRegNoAsIssued, companyName: profile.companyName,
                address: profile.address, department: profile.department, issuingChamberName: nil,
                content: CouponOrderRules.statementContent, receptionNo: nil, certificateNumber: nil,
                invoiceNumber: nil, orderNo: placed.orderNo,
                purchaseDescription: CouponOrderRules.purchaseDescription(placed.lines),
                settlementDate: settlementDate, amountYen: placed.amountYen,
                taxableAmountYen: placed.taxableAmountYen, consumptionTaxYen: placed.consumptionTaxYen,
                taxRatePercent: CardPaymentRules.taxRatePercent, paymentType: CardPaymentRules.lumpSum)),
        ]
        decision.order = [.fulfilled(CouponOrderFulfilled(
            orderNo: placed.orderNo, coupons: placed.totalCoupons, settledAmountYen: captured,
            confirmationDate: settlementDate, settlementNo: settlementNo, late: !orderOpen))]
        decision.company = [.couponsIssued(issued)]
        if orderOpen {
            decision.company.append(.purchaseClosed(CouponPurchaseClosed(orderNo: placed.orderNo, outcome: .fulfilled)))
        }
        decision.result = orderResult(order, decision, extra: [
            "settlementNo": .string(settlementNo.stringValue), "outcome": .string("succeeded"),
            "late": .bool(!orderOpen), "settlementDate": .string(settlementDate.stringValue),
            "issueNumber": .string(issueNumber.stringValue),
        ])
        return decision
    }
}

extension AbandonCardPayment {
    /// 決済をやめる on a card coupon order (R20, R62, O12). Checks, in this order: the attempt
    /// exists (`unknownSettlement`), is for a loaded coupon order (`wrongState`, `unknownOrder`),
    /// `user` is its payer (`forbidden`), it is Open (`wrongState`). Appends
    /// `PaymentAttemptAbandoned` + `CouponOrderPaymentFailed{abandoned}` +
    /// `CouponPurchaseClosed{paymentFailed}`; the buyer places a new order to try again.
    public func decideCouponOrder(
        _ payment: PaymentState, order: CouponOrderState, user: UserId, now: Date
    ) throws(Rejection) -> CouponOrderDecision {
        let (started, placed) = try payment.requireCouponOrder(order)
        guard started.payerUserId == user else {
            throw Rejection(.forbidden, "only the payer (\(started.payerUserId)) can abandon card attempt \(settlementNo)",
                            details: ["settlementNo": .string(settlementNo.stringValue)])
        }
        guard payment.isOpen else { throw payment.wrongState("abandoned") }
        let event = PaymentEvent.abandoned(PaymentAttemptAbandoned(settlementNo: settlementNo, byUserId: user, abandonedAt: now))
        return endCardAttempt(event, cause: .abandoned, errorCode: nil, order: order, placed: placed, started: started)
    }
}

/// The card part of SweepDeadlines for a coupon-order attempt (R19, R62, P4, O12).
public enum CouponOrderPaymentSweep {
    /// Times the attempt out when it is Open and `now ≥ deadlineAt + 120 s` (plus
    /// `CouponOrderPaymentFailed{timedOut}` + `CouponPurchaseClosed{paymentFailed}` if the order
    /// still awaits the card); otherwise an empty decision. When the gateway's status query
    /// reports a capture, the glue records it with `RecordGatewayResult` instead.
    public static func decide(
        _ payment: PaymentState, order: CouponOrderState, now: Date, gatewayStatus: GatewayStatus
    ) throws(Rejection) -> CouponOrderDecision {
        let (started, placed) = try payment.requireCouponOrder(order)
        guard payment.isOverdue(now: now) else { return CouponOrderDecision() }
        let event = PaymentEvent.timedOut(PaymentAttemptTimedOut(
            settlementNo: started.settlementNo, deadlineAt: started.deadlineAt, detectedAt: now, gatewayStatus: gatewayStatus))
        return endCardAttempt(event, cause: .timedOut, errorCode: nil, order: order, placed: placed, started: started)
    }
}

// MARK: - RecordRefund

/// RecordRefund (COMMANDS.md; R55, §5.5 F2, I12): staff record that a refund was paid outside
/// the system. The refund is owed on a coupon-order stream (deposit refunds) or on a payment
/// stream (duplicate captures); the glue finds the stream by `refundId`.
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
            throw Rejection(.unknownRefund, "no refund \(refundId.uuidString.lowercased()) is due",
                            details: ["refundId": .string(refundId.uuidString.lowercased())])
        }
        guard !recorded.contains(where: { $0.refundId == refundId }) else {
            throw .wrongState("refund \(refundId.uuidString.lowercased()) was already recorded as paid", state: "settled")
        }
        try TextRules.optional(reference, field: "reference", maximum: 200)
        guard paidOn <= today else { throw .invalid("paidOn", "\(paidOn) is after today (\(today))") }
        guard deductedCostsYen == .zero || refund.costsDeductible else {
            throw .invalid("deductedCostsYen", "costs (諸経費) may be deducted only from an overpayment refund (R54); a "
                           + "\(refund.reason.rawValue) refund is paid in full (全額, R53, R56)")
        }
        guard let total = try? paidYen.adding(deductedCostsYen), total == refund.basisYen else {
            throw Rejection(
                .amountMismatch,
                "paid \(paidYen.printed) + costs \(deductedCostsYen.printed) must equal the refund's basis "
                    + "\(refund.basisYen.printed) (F2)",
                details: ["basisYen": .int(refund.basisYen.value), "paidYen": .int(paidYen.value),
                          "deductedCostsYen": .int(deductedCostsYen.value)])
        }
        return RefundRecorded(
            refundId: refundId, paidYen: paidYen, deductedCostsYen: deductedCostsYen, paidOn: paidOn, staffId: staff,
            method: method, reference: reference)
    }

    /// A refund owed on a coupon-order stream.
    public func decide(_ order: CouponOrderState, staff: StaffId, today: JSTDate) throws(Rejection) -> CouponOrderDecision {
        let event = try recorded(due: order.refundsDue, recorded: order.refundsRecorded, staff: staff, today: today)
        var decision = CouponOrderDecision()
        decision.order = [.refundRecorded(event)]
        decision.result = result(event)
        return decision
    }

    /// A refund owed on a payment stream (duplicate capture, R25).
    public func decide(_ payment: PaymentState, staff: StaffId, today: JSTDate) throws(Rejection) -> CouponOrderDecision {
        let event = try recorded(due: payment.refundsDue, recorded: payment.refundsRecorded, staff: staff, today: today)
        var decision = CouponOrderDecision()
        decision.payment = [.refundRecorded(event)]
        decision.result = result(event)
        return decision
    }

    private func result(_ event: RefundRecorded) -> JSONValue {
        .object(["refundId": .string(refundId.uuidString.lowercased()), "paidYen": .int(event.paidYen.value),
                 "deductedCostsYen": .int(event.deductedCostsYen.value), "state": .string("settled")])
    }
}
