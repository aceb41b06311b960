import Foundation

/// The company aggregate (`company-<tradeRegNo>`): profile, membership, allowed coupon payment
/// methods, and the coupon account (available, pending, the open purchase).
public struct CompanyState: Sendable, Hashable {
    /// The open coupon purchase holding the company's lock (R39).
    public struct OpenPurchase: Sendable, Hashable {
        public var orderNo: OrderNo
        public var buyerUserId: UserId
        public var coupons: Count
    }

    public var profile: CompanyProfileRecorded?
    /// Membership changes in the order recorded.
    public var memberships: [MembershipChanged] = []
    public var paymentMethods: Set<CouponPaymentMethod> = []
    public var available: Count = .zero
    public var pending: Count = .zero
    public var openPurchase: OpenPurchase?

    public init() {}

    public var isRegistered: Bool { profile != nil }

    /// Membership in force on `date` (the latest change effective on or before it).
    public func membership(on date: JSTDate) -> Membership? {
        memberships.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }?.membership
            ?? memberships.first?.membership
    }

    /// Folds one event. Counts were checked when the event was decided; a stored event that
    /// would break them is a corrupted history and stops the fold loudly.
    public static func evolve(_ state: CompanyState, _ event: CompanyEvent) -> CompanyState {
        var state = state
        switch event {
        case .profileRecorded(let e): state.profile = e
        case .membershipChanged(let e): state.memberships.append(e)
        case .paymentMethodsConfigured(let e): state.paymentMethods = Set(e.methods)
        case .couponUsed(let e): state.available = e.balanceAfter
        case .couponReturned(let e): state.available = e.balanceAfter
        case .couponsAdjusted(let e): state.available = e.balanceAfter
        case .purchaseOpened(let e):
            state.openPurchase = OpenPurchase(orderNo: e.orderNo, buyerUserId: e.buyerUserId, coupons: e.coupons)
            state.pending = e.coupons
        case .purchaseClosed(let e):
            if state.openPurchase?.orderNo == e.orderNo {
                state.openPurchase = nil
                state.pending = .zero
            }
        case .couponsIssued(let e):
            state.available = e.balanceAfter
            state.pending = e.pendingAfter
        }
        return state
    }
}

/// RegisterCompany (COMMANDS.md): profile, membership and payment methods in one append.
public struct RegisterCompany: Sendable, Hashable, Decodable {
    public var tradeRegNo: TradeRegNoAsIssued
    public var companyName: String
    public var address: String?
    public var department: String?
    public var chamberId: ChamberId
    public var membership: Membership
    public var paymentMethods: [CouponPaymentMethod]
    public var effectiveFrom: JSTDate?

    public func decide(_ state: CompanyState, staff: StaffId, today: JSTDate) throws(Rejection) -> [CompanyEvent] {
        guard !state.isRegistered else {
            throw Rejection(.alreadyRegistered, "company \(tradeRegNo.canonical) is already registered",
                            details: ["tradeRegNo": .string(tradeRegNo.canonical.stringValue)])
        }
        try TextRules.require(companyName, field: "companyName", maximum: 200)
        return [
            .profileRecorded(CompanyProfileRecorded(
                tradeRegNoAsIssued: tradeRegNo.stringValue, companyName: companyName, address: address,
                department: department, chamberId: chamberId)),
            .membershipChanged(MembershipChanged(
                membership: membership, effectiveFrom: effectiveFrom ?? today, staffId: staff)),
            .paymentMethodsConfigured(PaymentMethodsConfigured(
                methods: Array(Set(paymentMethods)).sorted { $0.rawValue < $1.rawValue }, staffId: staff,
                chamberId: chamberId)),
        ]
    }
}

/// ChangeMembership (COMMANDS.md).
public struct ChangeMembership: Sendable, Hashable, Decodable {
    public var tradeRegNo: TradeRegNo
    public var membership: Membership
    public var effectiveFrom: JSTDate

    public func decide(_ state: CompanyState, staff: StaffId) throws(Rejection) -> [CompanyEvent] {
        try state.requireRegistered(tradeRegNo)
        return [.membershipChanged(MembershipChanged(membership: membership, effectiveFrom: effectiveFrom, staffId: staff))]
    }
}

/// ConfigurePaymentMethods (COMMANDS.md, R41).
public struct ConfigurePaymentMethods: Sendable, Hashable, Decodable {
    public var tradeRegNo: TradeRegNo
    public var methods: [CouponPaymentMethod]

    public func decide(_ state: CompanyState, staff: StaffId, chamber: ChamberId) throws(Rejection) -> [CompanyEvent] {
        try state.requireRegistered(tradeRegNo)
        return [.paymentMethodsConfigured(PaymentMethodsConfigured(
            methods: Array(Set(methods)).sorted { $0.rawValue < $1.rawValue }, staffId: staff, chamberId: chamber))]
    }
}

/// AdjustCoupons (COMMANDS.md, R35, R36): a manual ± by chamber staff, with a reason.
public struct AdjustCoupons: Sendable, Hashable, Decodable {
    public var tradeRegNo: TradeRegNo
    public var delta: SignedCount
    public var reason: String

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
        return [.couponsAdjusted(CouponsAdjustedByChamber(
            adjustmentId: adjustmentId, delta: delta, staffId: staff, chamberId: chamber, reason: reason,
            balanceAfter: balance))]
    }
}

extension CompanyState {
    func requireRegistered(_ tradeRegNo: TradeRegNo) throws(Rejection) {
        guard isRegistered else {
            throw Rejection(.unknownCompany, "no company is registered with trade registration number \(tradeRegNo)",
                            details: ["tradeRegNo": .string(tradeRegNo.stringValue)])
        }
    }

    /// Takes one coupon for an application (R34, R36).
    func useCoupon(for receptionNo: ReceptionNo, by user: UserId, tradeRegNo: TradeRegNo) throws(Rejection) -> CompanyEvent {
        guard let balance = try? available.subtracting(1) else {
            throw Rejection(
                .insufficientCoupons,
                "company \(tradeRegNo) has \(available.value) coupons available; 1 needed"
                    + (pending.value > 0 ? " (\(pending.value) are still being purchased and cannot be used yet)" : ""),
                details: ["available": .int(Int64(available.value)), "pending": .int(Int64(pending.value))])
        }
        return .couponUsed(CouponUsed(receptionNo: receptionNo, coupons: 1, usedByUserId: user, balanceAfter: balance))
    }

    /// Gives one coupon back (R33, Q8).
    func returnCoupon(for receptionNo: ReceptionNo, reason: CouponReturnReason) -> CompanyEvent {
        let balance = (try? available.adding(1)) ?? available
        return .couponReturned(CouponReturned(receptionNo: receptionNo, coupons: 1, reason: reason, balanceAfter: balance))
    }
}

/// Rules for free-text fields.
enum TextRules {
    /// Non-empty after trimming, at most `maximum` characters, no control characters.
    static func require(_ text: String, field: String, maximum: Int) throws(Rejection) {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalid(field, "must not be empty")
        }
        try optional(text, field: field, maximum: maximum)
    }

    static func optional(_ text: String?, field: String, maximum: Int) throws(Rejection) {
        guard let text else { return }
        guard text.count <= maximum else { throw .invalid(field, "is longer than \(maximum) characters") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7f })
        else { throw .invalid(field, "contains control characters") }
    }
}
