/// The columns of `projections.application_status` (DOMAIN.md §7.4), in table order.
public enum ApplicationStatusColumn: String, ReadModelColumn {
    case receptionNo = "reception_no"
    case tradeRegNo = "trade_reg_no"
    case chamberId = "chamber_id"
    case state
    case statusLabel = "status_label"
    case certificateKind = "certificate_kind"
    case certificateKindLabel = "certificate_kind_label"
    case destinationCountry = "destination_country"
    case invoiceNumber = "invoice_number"
    case exporterName = "exporter_name"
    case agentName = "agent_name"
    case personInCharge = "person_in_charge"
    case applicantUserId = "applicant_user_id"
    case applicantName = "applicant_name"
    case applicationDate = "application_date"
    case appliedAt = "applied_at"
    case issuanceChannel = "issuance_channel"
    case paymentMethod = "payment_method"
    case feeYen = "fee_yen"
    case approvalDate = "approval_date"
    case cartUserId = "cart_user_id"
    case openSettlementNo = "open_settlement_no"
    case settlementNo = "settlement_no"
    case settlementDate = "settlement_date"
    case certificateNumber = "certificate_number"
    case issuedAt = "issued_at"
    case position

    public static let table = ReadModelTable<Self>(
        "application_status", key: [.receptionNo],
        types: [
            .date: [.applicationDate, .approvalDate, .settlementDate], .timestamptz: [.appliedAt, .issuedAt],
            .bigint: [.feeYen, .position],
        ])
}
