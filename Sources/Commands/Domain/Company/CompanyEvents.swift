import Foundation

// The events of `company-<tradeRegNo>` (DOMAIN.md §6.2).

/// The company's identity as registered (snapshots for statements, R28).
public struct CompanyProfileRecorded: DomainEvent {
    public static let eventType = "CompanyProfileRecorded"
    public var tradeRegNoAsIssued: String
    public var companyName: String
    public var address: String?
    public var department: String?
    public var chamberId: ChamberId
}

/// 会員/非会員 from a date on (R8, R44).
public struct MembershipChanged: DomainEvent {
    public static let eventType = "MembershipChanged"
    public var membership: Membership
    public var effectiveFrom: JSTDate
    public var staffId: StaffId
}

/// The coupon payment methods the chamber allows this company (R41).
public struct PaymentMethodsConfigured: DomainEvent {
    public static let eventType = "PaymentMethodsConfigured"
    public var methods: [CouponPaymentMethod]
    public var staffId: StaffId
    public var chamberId: ChamberId
}

/// One coupon taken for an application (R34).
public struct CouponUsed: DomainEvent {
    public static let eventType = "CouponUsed"
    public var receptionNo: ReceptionNo
    public var coupons: Count
    public var usedByUserId: UserId
    public var balanceAfter: Count
}

/// Why a coupon came back.
public enum CouponReturnReason: String, Sendable, Hashable, Codable { case onHold, withdrawn }

/// One coupon given back when its application went on hold or was withdrawn (R33, Q8).
public struct CouponReturned: DomainEvent {
    public static let eventType = "CouponReturned"
    public var receptionNo: ReceptionNo
    public var coupons: Count
    public var reason: CouponReturnReason
    public var balanceAfter: Count
}

/// 会議所操作: chamber staff added or removed coupons by hand (R35).
public struct CouponsAdjustedByChamber: DomainEvent {
    public static let eventType = "CouponsAdjustedByChamber"
    public var adjustmentId: UUID
    public var delta: SignedCount
    public var staffId: StaffId
    public var chamberId: ChamberId
    public var reason: String
    public var balanceAfter: Count
}

/// The purchase lock taken when an order is placed (R39, I4).
public struct CouponPurchaseOpened: DomainEvent {
    public static let eventType = "CouponPurchaseOpened"
    public var orderNo: OrderNo
    public var buyerUserId: UserId
    public var paymentMethod: CouponPaymentMethod
    public var coupons: Count
    public var amountYen: Yen
}

/// How a purchase ended.
public enum PurchaseOutcome: String, Sendable, Hashable, Codable {
    case fulfilled, cancelled, expired, underpaid, paymentFailed
}

/// The purchase lock released (R39, I4).
public struct CouponPurchaseClosed: DomainEvent {
    public static let eventType = "CouponPurchaseClosed"
    public var orderNo: OrderNo
    public var outcome: PurchaseOutcome
}

/// What confirmed the coupons.
public enum IssueTrigger: String, Sendable, Hashable, Codable { case card, nightly, manual }

/// Coupons credited after payment (R40, R48-R50, R60).
public struct CouponsIssued: DomainEvent {
    public static let eventType = "CouponsIssued"
    public var orderNo: OrderNo
    public var coupons: Count
    public var amountYen: Yen
    public var paymentMethod: CouponPaymentMethod
    public var trigger: IssueTrigger
    public var staffId: StaffId?
    public var issueDate: JSTDate
    public var balanceAfter: Count
    public var pendingAfter: Count
}

/// The events of `company-<tradeRegNo>`.
public enum CompanyEvent: StreamEventSet, Hashable {
    case profileRecorded(CompanyProfileRecorded)
    case membershipChanged(MembershipChanged)
    case paymentMethodsConfigured(PaymentMethodsConfigured)
    case couponUsed(CouponUsed)
    case couponReturned(CouponReturned)
    case couponsAdjusted(CouponsAdjustedByChamber)
    case purchaseOpened(CouponPurchaseOpened)
    case purchaseClosed(CouponPurchaseClosed)
    case couponsIssued(CouponsIssued)

    public static func decode(eventType: String, data: Data) throws -> CompanyEvent? {
        switch eventType {
        case CompanyProfileRecorded.eventType:
            .profileRecorded(try JSONCoding.decodeEvent(CompanyProfileRecorded.self, from: data))
        case MembershipChanged.eventType:
            .membershipChanged(try JSONCoding.decodeEvent(MembershipChanged.self, from: data))
        case PaymentMethodsConfigured.eventType:
            .paymentMethodsConfigured(try JSONCoding.decodeEvent(PaymentMethodsConfigured.self, from: data))
        case CouponUsed.eventType: .couponUsed(try JSONCoding.decodeEvent(CouponUsed.self, from: data))
        case CouponReturned.eventType: .couponReturned(try JSONCoding.decodeEvent(CouponReturned.self, from: data))
        case CouponsAdjustedByChamber.eventType:
            .couponsAdjusted(try JSONCoding.decodeEvent(CouponsAdjustedByChamber.self, from: data))
        case CouponPurchaseOpened.eventType:
            .purchaseOpened(try JSONCoding.decodeEvent(CouponPurchaseOpened.self, from: data))
        case CouponPurchaseClosed.eventType:
            .purchaseClosed(try JSONCoding.decodeEvent(CouponPurchaseClosed.self, from: data))
        case CouponsIssued.eventType: .couponsIssued(try JSONCoding.decodeEvent(CouponsIssued.self, from: data))
        default: nil
        }
    }

    /// The event ready to append.
    public var pending: PendingEvent {
        switch self {
        case .profileRecorded(let e): PendingEvent(e)
        case .membershipChanged(let e): PendingEvent(e)
        case .paymentMethodsConfigured(let e): PendingEvent(e)
        case .couponUsed(let e): PendingEvent(e)
        case .couponReturned(let e): PendingEvent(e)
        case .couponsAdjusted(let e): PendingEvent(e)
        case .purchaseOpened(let e): PendingEvent(e)
        case .purchaseClosed(let e): PendingEvent(e)
        case .couponsIssued(let e): PendingEvent(e)
        }
    }
}
