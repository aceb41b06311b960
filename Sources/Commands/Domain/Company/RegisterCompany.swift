import Foundation

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
            throw Rejection(
                .alreadyRegistered, "company \(tradeRegNo.canonical) is already registered",
                details: ["tradeRegNo": .string(tradeRegNo.canonical.stringValue)])
        }
        try TextRules.require(companyName, field: "companyName", maximum: 200)
        return [
            .profileRecorded(
                CompanyProfileRecorded(
                    tradeRegNoAsIssued: tradeRegNo.stringValue, companyName: companyName, address: address,
                    department: department, chamberId: chamberId)),
            .membershipChanged(
                MembershipChanged(
                    membership: membership, effectiveFrom: effectiveFrom ?? today, staffId: staff)),
            .paymentMethodsConfigured(
                PaymentMethodsConfigured(
                    methods: Array(Set(paymentMethods)).sorted { $0.rawValue < $1.rawValue }, staffId: staff,
                    chamberId: chamberId)),
        ]
    }
}
