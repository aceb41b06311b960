import Foundation

/// PlaceCouponOrder (COMMANDS.md; O1 bank, O2 card): 購入確定.
public struct PlaceCouponOrder: Sendable, Hashable, Codable {
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

    public init(
        paymentMethod: CouponPaymentMethod, lines: [Line], buyerName: String, emailOptIn: Bool, email: String? = nil
    ) {
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
            throw .invalid(
                "orderNo", "the ledger allocated \(orderNo), which is not for company \(tradeRegNo) on \(orderDate)")
        }
        if paymentMethod == .card {
            guard let settlementNo, settlementNo.tradeRegNo == tradeRegNo, settlementNo.date == orderDate else {
                throw .invalid(
                    "settlementNo",
                    "a card order needs a settlement number allocated for company "
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
                details: [
                    "paymentMethod": .string(paymentMethod.rawValue), "allowed": .array(allowed.map(JSONValue.string)),
                ])
        }
        if let open = company.openPurchase {
            throw Rejection(
                .purchaseInProgress,
                "company \(tradeRegNo) already has coupon order \(open.orderNo) in progress, placed by "
                    + "\(open.buyerUserId); a new purchase is possible once it is completed (coupons issued) or "
                    + "cancelled (R39)",
                details: [
                    "openOrderNo": .string(open.orderNo.stringValue),
                    "buyerUserId": .string(open.buyerUserId.stringValue),
                    "pending": .int(Int64(open.coupons.value)),
                ])
        }
        guard let tariff = tariffs.inForce(on: orderDate), let profile = company.profile else {
            throw Rejection(
                .unknownTariff,
                "the chamber of company \(tradeRegNo) has no tariff in force on \(orderDate); "
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
                    details: [
                        "field": .string("lines[\(index)].productCode"), "productCode": .string(line.productCode),
                        "membership": .string(membership.rawValue),
                        "available": .array(offered.map(JSONValue.string)),
                    ])
            }
            guard let amount = try? product.priceYen.multiplied(by: line.quantity),
                (try? product.packSize.multiplied(by: line.quantity)) != nil
            else { throw .invalid("lines[\(index)].quantity", "the line is too large") }
            couponLines.append(
                CouponLine(
                    productCode: product.productCode, label: product.label, packSize: product.packSize,
                    unitPriceYen: product.priceYen, faceValueYen: product.faceValueYen, quantity: line.quantity,
                    lineAmountYen: amount))
        }
        guard let amount = try? Yen.sum(couponLines.map(\.lineAmountYen)),
            let totalCoupons = try? Count.sum(couponLines.compactMap(\.coupons)),
            amount > .zero, totalCoupons.value >= 1
        else { throw .invalid("lines", "the order's totals are out of range") }
        if paymentMethod == .bankTransfer && virtualAccount == nil {
            throw Rejection(
                .noVirtualAccountAvailable,
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
        decision.company = [
            .purchaseOpened(
                CouponPurchaseOpened(
                    orderNo: orderNo, buyerUserId: buyer, paymentMethod: paymentMethod, coupons: totalCoupons,
                    amountYen: amount))
        ]
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
            decision.order.append(
                .virtualAccountAssigned(
                    VirtualAccountAssigned(
                        orderNo: orderNo, account: account, validUntil: validUntil)))
            result["virtualAccount"] = JSONCoding.value(account)
            result["validUntil"] = .string(validUntil.stringValue)
        case .card:
            let settlementNo = settlementNo!
            let label = CouponOrderRules.cardProductLabel(coupons: totalCoupons)
            let deadline = now.addingTimeInterval(CardPaymentRules.windowSeconds)
            decision.payment = [
                .started(
                    PaymentAttemptStarted(
                        settlementNo: settlementNo, purpose: .couponOrder, payerUserId: buyer, tradeRegNo: tradeRegNo,
                        items: nil, orderNo: orderNo, itemCount: totalCoupons, amountYen: amount, productLabel: label,
                        startedAt: now, deadlineAt: deadline))
            ]
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
                throw .invalid(
                    "lines[\(index)].quantity",
                    "at most \(CouponOrderRules.maximumPacksPerLine) packs per line (Q36); "
                        + "\(line.quantity.value) were asked")
            }
            guard codes.insert(line.productCode).inserted else {
                throw .invalid(
                    "lines[\(index)].productCode",
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
