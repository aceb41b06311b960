import Foundation

/// WithdrawApplication (A16, Q8).
public struct WithdrawApplication: Sendable, Hashable, Decodable {
    public var receptionNo: ReceptionNo
    public var reason: String

    public func decide(
        _ application: ApplicationState, _ company: CompanyState
    ) throws(Rejection) -> (application: [ApplicationEvent], company: [CompanyEvent]) {
        _ = try application.require(receptionNo)
        try TextRules.require(reason, field: "reason", maximum: 500)
        guard [.submitted, .onHold, .awaitingPayment].contains(application.status) else {
            throw application.wrongState("withdrawn", receptionNo)
        }
        let returning = application.couponHeld
        return (
            [.withdrawn(ApplicationWithdrawn(receptionNo: receptionNo, reason: reason, couponReturned: returning))],
            returning ? [company.returnCoupon(for: receptionNo, reason: .withdrawn)] : []
        )
    }
}
