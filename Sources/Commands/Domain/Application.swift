import Foundation

/// The application aggregate (`application-<receptionNo>`, DOMAIN.md §5.1). `InCart` is not
/// stored here: it is derived from the cart streams (R15, R16).
public struct ApplicationState: Sendable, Hashable {
    /// The ledger states of §5.1 that this stream knows.
    public enum Status: String, Sendable, Hashable {
        case submitted, onHold, awaitingPayment, paymentPending, issued, withdrawn
    }

    public var submitted: ApplicationSubmitted?
    public var status: Status?
    public var paymentMethod: PaymentMethod?
    /// Whether a used coupon is held for this application (net used − returned, I5).
    public var couponHeld = false
    public var approved: ApplicationApproved?
    /// The open attempt while `paymentPending`.
    public var openSettlementNo: SettlementNo?
    public var issued: ApplicationIssued?

    public init() {}

    public var exists: Bool { submitted != nil }

    public static func evolve(_ state: ApplicationState, _ event: ApplicationEvent) -> ApplicationState {
        var state = state
        switch event {
        case .submitted(let e):
            state.submitted = e
            state.status = .submitted
            state.paymentMethod = e.paymentMethod
            state.couponHeld = e.paymentMethod == .coupon
        case .resubmitted(let e):
            state.status = .submitted
            state.paymentMethod = e.paymentMethod
            state.couponHeld = e.paymentMethod == .coupon
        case .putOnHold(let e):
            state.status = .onHold
            if e.couponReturned { state.couponHeld = false }
        case .approved(let e):
            state.approved = e
            state.status = e.paymentMethod == .card ? .awaitingPayment : state.status
        case .paymentLinked(let e):
            state.status = .paymentPending
            state.openSettlementNo = e.settlementNo
        case .paymentReleased:
            state.status = .awaitingPayment
            state.openSettlementNo = nil
        case .issued(let e):
            state.status = .issued
            state.issued = e
            state.openSettlementNo = nil
        case .withdrawn(let e):
            state.status = .withdrawn
            if e.couponReturned { state.couponHeld = false }
        }
        return state
    }

    func require(_ receptionNo: ReceptionNo) throws(Rejection) -> ApplicationSubmitted {
        guard let submitted else {
            throw Rejection(.unknownApplication, "no application \(receptionNo) has been submitted",
                            details: ["receptionNo": .string(receptionNo.stringValue)])
        }
        return submitted
    }

    func wrongState(_ action: String, _ receptionNo: ReceptionNo) -> Rejection {
        let state = status?.rawValue ?? "none"
        return .wrongState("application \(receptionNo) is \(state); it cannot be \(action)", state: state)
    }
}

/// SubmitApplication (COMMANDS.md; transitions A1, A2).
public struct SubmitApplication: Sendable, Hashable, Decodable {
    public var receptionNo: ReceptionNo
    public var certificateKind: CertificateKind
    public var certificateKindLabel: String?
    public var destinationCountry: String?
    public var invoiceNumber: String
    public var exporterName: String?
    public var agentName: String?
    public var applicantName: String
    public var personInCharge: String?
    public var applicationDate: JSTDate
    public var issuanceChannel: IssuanceChannel
    public var paymentMethod: PaymentMethod

    /// Decides against the application (must be new) and the filing user's company.
    public func decide(
        _ application: ApplicationState, _ company: CompanyState, tradeRegNo: TradeRegNo, user: UserId
    ) throws(Rejection) -> (application: [ApplicationEvent], company: [CompanyEvent]) {
        try company.requireRegistered(tradeRegNo)
        guard !application.exists else {
            throw Rejection.wrongState("application \(receptionNo) was already submitted",
                                       state: application.status?.rawValue ?? "submitted")
        }
        try TextRules.require(invoiceNumber, field: "invoiceNumber", maximum: 100)
        try TextRules.require(applicantName, field: "applicantName", maximum: 200)
        for (field, text) in [("certificateKindLabel", certificateKindLabel), ("destinationCountry", destinationCountry),
                              ("exporterName", exporterName), ("agentName", agentName),
                              ("personInCharge", personInCharge)] {
            try TextRules.optional(text, field: field, maximum: 200)
        }
        if paymentMethod == .card && issuanceChannel == .counter {
            throw Rejection(.notCardPayable, "application \(receptionNo) is for counter issuance (窓口); "
                            + "cards are accepted only for online issuance (R5): choose coupon or online issuance")
        }
        let submitted = ApplicationSubmitted(
            receptionNo: receptionNo, tradeRegNo: tradeRegNo, chamberId: company.profile!.chamberId,
            certificateKind: certificateKind, certificateKindLabel: certificateKindLabel ?? certificateKind.label,
            destinationCountry: destinationCountry, invoiceNumber: invoiceNumber, exporterName: exporterName,
            agentName: agentName, applicantUserId: user, applicantName: applicantName, personInCharge: personInCharge,
            applicationDate: applicationDate, issuanceChannel: issuanceChannel, paymentMethod: paymentMethod)
        let companyEvents = paymentMethod == .coupon
            ? [try company.useCoupon(for: receptionNo, by: user, tradeRegNo: tradeRegNo)] : []
        return ([.submitted(submitted)], companyEvents)
    }
}

/// PutApplicationOnHold (A3, A15): refused while a card attempt is open (Q20).
public struct PutApplicationOnHold: Sendable, Hashable, Decodable {
    public var receptionNo: ReceptionNo
    public var reason: String?

    public func decide(
        _ application: ApplicationState, _ company: CompanyState, staff: StaffId
    ) throws(Rejection) -> (application: [ApplicationEvent], company: [CompanyEvent]) {
        _ = try application.require(receptionNo)
        try TextRules.optional(reason, field: "reason", maximum: 500)
        guard application.status == .submitted || application.status == .awaitingPayment else {
            throw application.wrongState("put on hold", receptionNo)
        }
        let returning = application.couponHeld
        return ([.putOnHold(ApplicationPutOnHold(receptionNo: receptionNo, staffId: staff, reason: reason,
                                                 couponReturned: returning))],
                returning ? [company.returnCoupon(for: receptionNo, reason: .onHold)] : [])
    }
}

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
            throw Rejection(.notCardPayable, "application \(receptionNo) is for counter issuance; "
                            + "cards are accepted only for online issuance (R5)")
        }
        let companyEvents = method == .coupon
            ? [try company.useCoupon(for: receptionNo, by: user, tradeRegNo: submitted.tradeRegNo)] : []
        return ([.resubmitted(ApplicationResubmitted(receptionNo: receptionNo, byUserId: user, paymentMethod: method))],
                companyEvents)
    }
}

/// ApproveApplication (A5, A6): fixes the fee from the tariff in force on the application date
/// and the membership on that date (R7, Q5).
public struct ApproveApplication: Sendable, Hashable, Decodable {
    public var receptionNo: ReceptionNo
    public var approvalDate: JSTDate?
    public var certificateNumber: String?

    public func decide(
        _ application: ApplicationState, _ company: CompanyState, _ tariffs: TariffState, staff: StaffId, now: Date
    ) throws(Rejection) -> [ApplicationEvent] {
        let submitted = try application.require(receptionNo)
        guard application.status == .submitted else { throw application.wrongState("approved", receptionNo) }
        try TextRules.optional(certificateNumber, field: "certificateNumber", maximum: 64)
        guard let tariff = tariffs.inForce(on: submitted.applicationDate) else {
            throw Rejection(.unknownTariff, "chamber \(submitted.chamberId) has no tariff in force on "
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
        return [.approved(approved), .issued(ApplicationIssued(
            receptionNo: receptionNo, paidBy: .coupon, settlementNo: nil, settlementDate: nil, issuedAt: now,
            certificateNumber: certificateNumber))]
    }
}

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
        return ([.withdrawn(ApplicationWithdrawn(receptionNo: receptionNo, reason: reason, couponReturned: returning))],
                returning ? [company.returnCoupon(for: receptionNo, reason: .withdrawn)] : [])
    }
}
