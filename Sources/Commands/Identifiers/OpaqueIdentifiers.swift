// Identifiers that DOMAIN.md §4 calls "opaque": assigned elsewhere (the identity system, the
// gateway, the bank, the issuance system) and never interpreted here. The seed shows none of
// them except the certificate number and the error code, so the checks are the minimum that
// keeps them safe to store, print and embed in stream ids: non-empty, no surrounding
// whitespace, no control characters, and a length limit (P11). The limits are our choice [I].

/// A user ID or sub-ID (ユーザーID / サブID): one login of one company.
///
/// Opaque, 1-128 characters, no surrounding whitespace or control characters. Keys
/// `cart-<userId>` and statement visibility (R27). JSON form: the string.
public struct UserId: TextFormattedValue {
    /// The ID as given, e.g. "ichiro".
    public let stringValue: String

    public static let defaultFieldName = "userId"
    public static let maximumLength = 128
    static let format = FieldFormat(
        subject: "user ID (ユーザーID)",
        rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireOpaqueToken(text, maximumLength: Self.maximumLength, field: field)
        stringValue = text
    }
}

/// A chamber staff member's ID (会議所担当者の商工会議所ユーザーID).
///
/// Opaque, 1-128 characters, no surrounding whitespace or control characters. JSON form: the
/// string.
public struct StaffId: TextFormattedValue {
    /// The ID as given.
    public let stringValue: String

    public static let defaultFieldName = "staffId"
    public static let maximumLength = 128
    static let format = FieldFormat(
        subject: "staff ID",
        rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireOpaqueToken(text, maximumLength: Self.maximumLength, field: field)
        stringValue = text
    }
}

/// A chamber of commerce's ID (商工会議所), e.g. `kamikochi` for the seed's test chamber.
///
/// Opaque, 1-128 characters, no surrounding whitespace or control characters. Keys
/// `tariff-<chamberId>`. JSON form: the string.
public struct ChamberId: TextFormattedValue {
    /// The ID as given, e.g. "kamikochi".
    public let stringValue: String

    public static let defaultFieldName = "chamberId"
    public static let maximumLength = 128
    static let format = FieldFormat(
        subject: "chamber ID",
        rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireOpaqueToken(text, maximumLength: Self.maximumLength, field: field)
        stringValue = text
    }
}

/// The card gateway's transaction ID for a capture (GMO Epsilon). At most once per settlement
/// (I20). Opaque, 1-128 characters. JSON form: the string.
public struct GatewayTransactionId: TextFormattedValue {
    /// The ID as the gateway sent it.
    public let stringValue: String

    public static let defaultFieldName = "gatewayTransactionId"
    public static let maximumLength = 128
    static let format = FieldFormat(
        subject: "gateway transaction ID",
        rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireOpaqueToken(text, maximumLength: Self.maximumLength, field: field)
        stringValue = text
    }
}

/// The bank feed's ID of one deposit. Unique in the whole store; it makes deposit recording
/// idempotent (I20). Opaque, 1-128 characters. JSON form: the string.
public struct DepositId: TextFormattedValue {
    /// The ID as the bank feed sent it.
    public let stringValue: String

    public static let defaultFieldName = "depositId"
    public static let maximumLength = 128
    static let format = FieldFormat(
        subject: "bank deposit ID",
        rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireOpaqueToken(text, maximumLength: Self.maximumLength, field: field)
        stringValue = text
    }
}

/// A certificate number (証明書番号) of an issued certificate, e.g. `888864240001151`
/// (15 digits in the seed, L307). Different from the reception number.
///
/// Opaque, 1-64 characters. It is checked against this format, not screened for card numbers,
/// so a 15-digit certificate number is never taken for a card (I18). JSON form: the string.
public struct CertificateNumber: TextFormattedValue {
    /// The number as issued.
    public let stringValue: String

    public static let defaultFieldName = "certificateNumber"
    public static let maximumLength = 64
    static let format = FieldFormat(
        subject: "certificate number (証明書番号)",
        rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireOpaqueToken(text, maximumLength: Self.maximumLength, field: field)
        stringValue = text
    }
}

/// An error code reported for a failed card attempt (エラーコード), e.g. `E11310004` (L192).
///
/// Stored as received, at most 32 characters; deliberately not checked against the observed
/// shape `E` + 8 digits (DOMAIN.md §4). JSON form: the string.
public struct GatewayErrorCode: TextFormattedValue {
    /// The code as received.
    public let stringValue: String

    public static let defaultFieldName = "errorCode"
    public static let maximumLength = 32
    static let format = FieldFormat(
        subject: "gateway error code (エラーコード)",
        rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireOpaqueToken(text, maximumLength: Self.maximumLength, field: field)
        stringValue = text
    }
}
