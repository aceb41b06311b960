import Foundation

/// PublishTariff (COMMANDS.md).
public struct PublishTariff: Sendable, Hashable, Codable {
    public var chamberId: ChamberId
    public var effectiveFrom: JSTDate
    public var applicationFeeYen: MembershipPrices
    public var registrationFeeYen: RegistrationFees?
    public var couponProducts: [CouponProduct]

    public init(
        chamberId: ChamberId, effectiveFrom: JSTDate, applicationFeeYen: MembershipPrices,
        registrationFeeYen: RegistrationFees? = nil, couponProducts: [CouponProduct]
    ) {
        self.chamberId = chamberId
        self.effectiveFrom = effectiveFrom
        self.applicationFeeYen = applicationFeeYen
        self.registrationFeeYen = registrationFeeYen
        self.couponProducts = couponProducts
    }

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
            guard product.packSize.value >= 1 else {
                throw .invalid("\(field).packSize", "a pack holds at least 1 coupon")
            }
            guard product.priceYen > .zero else { throw .invalid("\(field).priceYen", "a price must be above 0 yen") }
        }
        return [
            .published(
                TariffPublished(
                    chamberId: chamberId, effectiveFrom: effectiveFrom, applicationFeeYen: applicationFeeYen,
                    registrationFeeYen: registrationFeeYen, couponProducts: couponProducts))
        ]
    }
}
