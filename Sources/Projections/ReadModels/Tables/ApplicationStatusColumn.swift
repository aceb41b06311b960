/// The columns of `projections.application_status` (DOMAIN.md §7.4), in table order.
public enum ApplicationStatusColumn: String, ReadModelColumn {
    case receptionNo, tradeRegNo, chamberId, state, statusLabel, certificateKind, certificateKindLabel,
        destinationCountry, invoiceNumber, exporterName, agentName, personInCharge, applicantUserId, applicantName,
        applicationDate, appliedAt, issuanceChannel, paymentMethod, feeYen, approvalDate, cartUserId, openSettlementNo,
        settlementNo, settlementDate, certificateNumber, issuedAt, position

    public static let table = ReadModelTable<Self>(
        "application_status", key: [.receptionNo],
        types: [
            .date: [.applicationDate, .approvalDate, .settlementDate], .timestamptz: [.appliedAt, .issuedAt],
            .bigint: [.feeYen, .position],
        ])
}
