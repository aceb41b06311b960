/// The columns of `projections.application_status` (DOMAIN.md §7.4), in table order.
public enum ApplicationStatusColumn: String, ReadModelColumn {
    case receptionNo = "reception_no", tradeRegNo = "trade_reg_no", chamberId = "chamber_id", state
    case statusLabel = "status_label", certificateKind = "certificate_kind"
    case certificateKindLabel = "certificate_kind_label", destinationCountry = "destination_country"
    case invoiceNumber = "invoice_number", exporterName = "exporter_name", agentName = "agent_name"
    case personInCharge = "person_in_charge", applicantUserId = "applicant_user_id"
    case applicantName = "applicant_name", applicationDate = "application_date", appliedAt = "applied_at"
    case issuanceChannel = "issuance_channel", paymentMethod = "payment_method", feeYen = "fee_yen"
    case approvalDate = "approval_date", cartUserId = "cart_user_id", openSettlementNo = "open_settlement_no"
    case settlementNo = "settlement_no", settlementDate = "settlement_date"
    case certificateNumber = "certificate_number", issuedAt = "issued_at", position

    public static let table = ReadModelTable<Self>("application_status", key: [.receptionNo], types: [
        .date: [.applicationDate, .approvalDate, .settlementDate], .timestamptz: [.appliedAt, .issuedAt],
        .bigint: [.feeYen, .position]])
}
