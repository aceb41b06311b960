import Foundation

/// SubmitApplication (COMMANDS.md; transitions A1, A2).
public struct SubmitApplication: Sendable, Hashable, Codable {
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

    public init(
        receptionNo: ReceptionNo, certificateKind: CertificateKind, certificateKindLabel: String? = nil,
        destinationCountry: String? = nil, invoiceNumber: String, exporterName: String? = nil,
        agentName: String? = nil, applicantName: String, personInCharge: String? = nil, applicationDate: JSTDate,
        issuanceChannel: IssuanceChannel, paymentMethod: PaymentMethod
    ) {
        self.receptionNo = receptionNo
        self.certificateKind = certificateKind
        self.certificateKindLabel = certificateKindLabel
        self.destinationCountry = destinationCountry
        self.invoiceNumber = invoiceNumber
        self.exporterName = exporterName
        self.agentName = agentName
        self.applicantName = applicantName
        self.personInCharge = personInCharge
        self.applicationDate = applicationDate
        self.issuanceChannel = issuanceChannel
        self.paymentMethod = paymentMethod
    }

    /// Decides against the application (must be new) and the filing user's company.
    public func decide(
        _ application: ApplicationState, _ company: CompanyState, tradeRegNo: TradeRegNo, user: UserId
    ) throws(Rejection) -> (application: [ApplicationEvent], company: [CompanyEvent]) {
        try company.requireRegistered(tradeRegNo)
        guard !application.exists else {
            throw Rejection.wrongState(
                "application \(receptionNo) was already submitted",
                state: application.status?.rawValue ?? "submitted")
        }
        try TextRules.require(invoiceNumber, field: "invoiceNumber", maximum: 100)
        try TextRules.require(applicantName, field: "applicantName", maximum: 200)
        for (field, text) in [
            ("certificateKindLabel", certificateKindLabel), ("destinationCountry", destinationCountry),
            ("exporterName", exporterName), ("agentName", agentName),
            ("personInCharge", personInCharge),
        ] {
            try TextRules.optional(text, field: field, maximum: 200)
        }
        if paymentMethod == .card && issuanceChannel == .counter {
            throw Rejection(
                .notCardPayable,
                "application \(receptionNo) is for counter issuance (窓口); "
                    + "cards are accepted only for online issuance (R5): choose coupon or online issuance")
        }
        let submitted = ApplicationSubmitted(
            receptionNo: receptionNo, tradeRegNo: tradeRegNo, chamberId: company.profile!.chamberId,
            certificateKind: certificateKind, certificateKindLabel: certificateKindLabel ?? certificateKind.label,
            destinationCountry: destinationCountry, invoiceNumber: invoiceNumber, exporterName: exporterName,
            agentName: agentName, applicantUserId: user, applicantName: applicantName, personInCharge: personInCharge,
            applicationDate: applicationDate, issuanceChannel: issuanceChannel, paymentMethod: paymentMethod)
        let companyEvents =
            paymentMethod == .coupon
            ? [try company.useCoupon(for: receptionNo, by: user, tradeRegNo: tradeRegNo)] : []
        return ([.submitted(submitted)], companyEvents)
    }
}
