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

extension CompanyState {
    package func requireRegistered(_ tradeRegNo: TradeRegNo) throws(Rejection) {
        guard isRegistered else {
            throw Rejection(
                .unknownCompany, "no company is registered with trade registration number \(tradeRegNo)",
                details: ["tradeRegNo": .string(tradeRegNo.stringValue)])
        }
    }

    /// Takes one coupon for an application (R34, R36).
    func useCoupon(for receptionNo: ReceptionNo, by user: UserId, tradeRegNo: TradeRegNo) throws(Rejection)
        -> CompanyEvent
    {
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
        return .couponReturned(
            CouponReturned(receptionNo: receptionNo, coupons: 1, reason: reason, balanceAfter: balance))
    }
}
