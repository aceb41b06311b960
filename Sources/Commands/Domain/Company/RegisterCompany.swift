import Foundation

/// RegisterCompany (COMMANDS.md): profile, membership and payment methods in one append.
public struct RegisterCompany: Sendable, Hashable, Codable {
    public var tradeRegNo: TradeRegNoAsIssued
    public var companyName: String
    public var address: String?
    public var department: String?
    public var chamberId: ChamberId
    public var membership: Membership
    public var paymentMethods: [CouponPaymentMethod]
    public var effectiveFrom: JSTDate?

    public init(
        tradeRegNo: TradeRegNoAsIssued, companyName: String, address: String? = nil, department: String? = nil,
        chamberId: ChamberId, membership: Membership, paymentMethods: [CouponPaymentMethod],
        effectiveFrom: JSTDate? = nil
    ) {
        self.tradeRegNo = tradeRegNo
        self.companyName = companyName
        self.address = address
        self.department = department
        self.chamberId = chamberId
        self.membership = membership
        self.paymentMethods = paymentMethods
        self.effectiveFrom = effectiveFrom
    }

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
