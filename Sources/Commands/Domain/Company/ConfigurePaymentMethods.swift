import Foundation

/// ConfigurePaymentMethods (COMMANDS.md, R41).
public struct ConfigurePaymentMethods: Sendable, Hashable, Decodable {
    public var tradeRegNo: TradeRegNo
    public var methods: [CouponPaymentMethod]

    public func decide(_ state: CompanyState, staff: StaffId, chamber: ChamberId) throws(Rejection) -> [CompanyEvent] {
        try state.requireRegistered(tradeRegNo)
        return [
            .paymentMethodsConfigured(
                PaymentMethodsConfigured(
                    methods: Array(Set(methods)).sorted { $0.rawValue < $1.rawValue }, staffId: staff,
                    chamberId: chamber))
        ]
    }
}
