import Foundation

/// PutApplicationOnHold (A3, A15): refused while a card attempt is open (Q20).
public struct PutApplicationOnHold: Sendable, Hashable, Codable {
    public var receptionNo: ReceptionNo
    public var reason: String?

    public init(receptionNo: ReceptionNo, reason: String? = nil) {
        self.receptionNo = receptionNo
        self.reason = reason
    }

    public func decide(
        _ application: ApplicationState, _ company: CompanyState, staff: StaffId
    ) throws(Rejection) -> (application: [ApplicationEvent], company: [CompanyEvent]) {
        _ = try application.require(receptionNo)
        try TextRules.optional(reason, field: "reason", maximum: 500)
        guard application.status == .submitted || application.status == .awaitingPayment else {
            throw application.wrongState("put on hold", receptionNo)
        }
        let returning = application.couponHeld
        return (
            [
                .putOnHold(
                    ApplicationPutOnHold(
                        receptionNo: receptionNo, staffId: staff, reason: reason,
                        couponReturned: returning))
            ],
            returning ? [company.returnCoupon(for: receptionNo, reason: .onHold)] : []
        )
    }
}
