import Foundation

/// Prices by membership.
public struct MembershipPrices: Sendable, Hashable, Codable {
    public var member: Yen
    public var nonMember: Yen
    public init(member: Yen, nonMember: Yen) {
        self.member = member
        self.nonMember = nonMember
    }
    public func price(for membership: Membership) -> Yen { membership == .member ? member : nonMember }
}

/// Registration fees (tariff data only, Q30); the agent's non-member fee may be unknown.
public struct RegistrationFees: Sendable, Hashable, Codable {
    public struct Optional: Sendable, Hashable, Codable {
        public var member: Yen
        public var nonMember: Yen?
        public init(member: Yen, nonMember: Yen? = nil) {
            self.member = member
            self.nonMember = nonMember
        }
    }
    public var applicant: MembershipPrices
    public var agent: Optional
    public init(applicant: MembershipPrices, agent: Optional) {
        self.applicant = applicant
        self.agent = agent
    }
}

/// A coupon pack on sale (R9, R44).
public struct CouponProduct: Sendable, Hashable, Codable {
    public var productCode: String
    public var label: String
    public var membership: Membership
    public var packSize: Count
    public var priceYen: Yen
    public var faceValueYen: Yen
    public init(
        productCode: String, label: String, membership: Membership, packSize: Count, priceYen: Yen,
        faceValueYen: Yen
    ) {
        self.productCode = productCode
        self.label = label
        self.membership = membership
        self.packSize = packSize
        self.priceYen = priceYen
        self.faceValueYen = faceValueYen
    }
}

/// TariffPublished (DOMAIN.md §6.7): a chamber's prices from a date on.
public struct TariffPublished: DomainEvent {
    public static let eventType = "TariffPublished"
    public var chamberId: ChamberId
    public var effectiveFrom: JSTDate
    public var applicationFeeYen: MembershipPrices
    public var registrationFeeYen: RegistrationFees?
    public var couponProducts: [CouponProduct]
}

/// The events of `tariff-<chamberId>`.
public enum TariffEvent: StreamEventSet, Hashable {
    case published(TariffPublished)

    public static let eventTable = EventTable<Self>([
        EventCase(TariffPublished.self, Self.published)
    ])
}
