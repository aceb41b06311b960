import Foundation

/// ResubmitApplication (A4, Q7).
public struct ResubmitApplication: Sendable, Hashable, Decodable {
    public var receptionNo: ReceptionNo
    public var paymentMethod: PaymentMethod?

    public func decide(
        _ application: ApplicationState, _ company: CompanyState, user: UserId
    ) throws(Rejection) -> (application: [ApplicationEvent], company: [CompanyEvent]) {
        let submitted = try application.require(receptionNo)
        guard application.status == .onHold else { throw application.wrongState("resubmitted", receptionNo) }
        let method = paymentMethod ?? application.paymentMethod ?? submitted.paymentMethod
        if method == .card && submitted.issuanceChannel == .counter {
            throw Rejection(
                .notCardPayable,
                "application \(receptionNo) is for counter issuance; "
                    + "cards are accepted only for online issuance (R5)")
        }
        let companyEvents =
            method == .coupon
            ? [try company.useCoupon(for: receptionNo, by: user, tradeRegNo: submitted.tradeRegNo)] : []
        return (
            [.resubmitted(ApplicationResubmitted(receptionNo: receptionNo, byUserId: user, paymentMethod: method))],
            companyEvents
        )
    }
}
