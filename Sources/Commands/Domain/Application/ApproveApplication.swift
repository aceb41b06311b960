import Foundation

/// ApproveApplication (A5, A6): fixes the fee from the tariff in force on the application date
/// and the membership on that date (R7, Q5).
public struct ApproveApplication: Sendable, Hashable, Codable {
    public var receptionNo: ReceptionNo
    public var approvalDate: JSTDate?
    public var certificateNumber: String?

    public init(receptionNo: ReceptionNo, approvalDate: JSTDate? = nil, certificateNumber: String? = nil) {
        self.receptionNo = receptionNo
        self.approvalDate = approvalDate
        self.certificateNumber = certificateNumber
    }

    public func decide(
        _ application: ApplicationState, _ company: CompanyState, _ tariffs: TariffState, staff: StaffId, now: Date
    ) throws(Rejection) -> [ApplicationEvent] {
        let submitted = try application.require(receptionNo)
        guard application.status == .submitted else { throw application.wrongState("approved", receptionNo) }
        try TextRules.optional(certificateNumber, field: "certificateNumber", maximum: 64)
        guard let tariff = tariffs.inForce(on: submitted.applicationDate) else {
            throw Rejection(
                .unknownTariff,
                "chamber \(submitted.chamberId) has no tariff in force on "
                    + "\(submitted.applicationDate); publish one (PublishTariff) first")
        }
        let membership = company.membership(on: submitted.applicationDate) ?? .nonMember
        let method = application.paymentMethod ?? submitted.paymentMethod
        let approved = ApplicationApproved(
            receptionNo: receptionNo, staffId: staff, approvalDate: approvalDate ?? JSTDate(instant: now),
            paymentMethod: method, feeYen: tariff.applicationFeeYen.price(for: membership), membership: membership,
            certificateNumber: certificateNumber)
        guard method == .coupon else { return [.approved(approved)] }
        guard application.couponHeld else {
            throw Rejection.wrongState("application \(receptionNo) holds no coupon", state: "submitted")
        }
        return [
            .approved(approved),
            .issued(
                ApplicationIssued(
                    receptionNo: receptionNo, paidBy: .coupon, settlementNo: nil, settlementDate: nil, issuedAt: now,
                    certificateNumber: certificateNumber)),
        ]
    }
}
