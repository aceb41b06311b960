/// Prices by membership.
public struct MembershipPrices: Sendable, Hashable, Codable {
    public var member: Yen
    public var nonMember: Yen
    public func price(for membership: Membership) -> Yen { membership == .member ? member : nonMember }
}

/// Registration fees (tariff data only, Q30); the agent's non-member fee may be unknown.
public struct RegistrationFees: Sendable, Hashable, Codable {
    public struct Optional: Sendable, Hashable, Codable {
        public var member: Yen
        public var nonMember: Yen?
    }
    public var applicant: MembershipPrices
    public var agent: Optional
}

/// A coupon pack on sale (R9, R44).
public struct CouponProduct: Sendable, Hashable, Codable {
    public var productCode: String
    public var label: String
    public var membership: Membership
    public var packSize: Count
    public var priceYen: Yen
    public var faceValueYen: Yen
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

    public static func decode(eventType: String, data: Data) throws -> TariffEvent? {
        try TariffPublished.decodeIfMatching(eventType, data).map(TariffEvent.published)
    }

    public var pending: PendingEvent {
        switch self {
        case .published(let e): PendingEvent(e)
        }
    }
}

/// A chamber's tariffs, effective-dated (R10: prices are data).
public struct TariffState: Sendable, Hashable {
    public var tariffs: [TariffPublished] = []

    public init() {}

    /// The tariff in force on `date`: the latest published with `effectiveFrom ≤ date`.
    public func inForce(on date: JSTDate) -> TariffPublished? {
        tariffs.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    public static func evolve(_ state: TariffState, _ event: TariffEvent) -> TariffState {
        var state = state
        switch event {
        case .published(let tariff): state.tariffs.append(tariff)
        }
        return state
    }
}

/// PublishTariff (COMMANDS.md).
public struct PublishTariff: Sendable, Hashable, Decodable {
    public var chamberId: ChamberId
    public var effectiveFrom: JSTDate
    public var applicationFeeYen: MembershipPrices
    public var registrationFeeYen: RegistrationFees?
    public var couponProducts: [CouponProduct]

    /// Decides the publication: one tariff per chamber and date, products well-formed.
    public func decide(_ state: TariffState) throws(Rejection) -> [TariffEvent] {
        if state.tariffs.contains(where: { $0.effectiveFrom == effectiveFrom }) {
            throw Rejection.wrongState(
                "chamber \(chamberId) already has a tariff effective from \(effectiveFrom); publish one with another date",
                state: "published")
        }
        guard applicationFeeYen.member > .zero, applicationFeeYen.nonMember > .zero else {
            throw .invalid("applicationFeeYen", "application fees must be above 0 yen")
        }
        var codes = Set<String>()
        for (index, product) in couponProducts.enumerated() {
            let field = "couponProducts[\(index)]"
            guard !product.productCode.isEmpty, codes.insert(product.productCode).inserted else {
                throw .invalid("\(field).productCode", "product codes must be non-empty and unique")
            }
            guard product.packSize.value >= 1 else { throw .invalid("\(field).packSize", "a pack holds at least 1 coupon") }
            guard product.priceYen > .zero else { throw .invalid("\(field).priceYen", "a price must be above 0 yen") }
        }
        return [.published(TariffPublished(
            chamberId: chamberId, effectiveFrom: effectiveFrom, applicationFeeYen: applicationFeeYen,
            registrationFeeYen: registrationFeeYen, couponProducts: couponProducts))]
    }
}

import Foundation
