// The codes of a one-time virtual account (ワンタイム口座, R45), as the bank assigns them via
// the PSP: bank code 0310, branch code 502, account number 6818564 in the seed (L488-491).
// Only the codes are validated; bank, branch and holder names are data from the PSP and the
// seed garbles them differently in two screenshots (Appendix A #4).

/// A bank code (金融機関コード): exactly 4 ASCII digits, e.g. `0310`. JSON form: the string.
public struct BankCode: TextFormattedValue {
    /// The 4 digits.
    public let stringValue: String

    public static let defaultFieldName = "bankCode"
    static let format = FieldFormat(subject: "bank code", rule: "exactly 4 ASCII digits, e.g. 0310")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireDigits(text, lengths: 4...4, field: field)
        stringValue = text
    }
}

/// A branch code (支店コード): exactly 3 ASCII digits, e.g. `502`. JSON form: the string.
public struct BranchCode: TextFormattedValue {
    /// The 3 digits.
    public let stringValue: String

    public static let defaultFieldName = "branchCode"
    static let format = FieldFormat(subject: "branch code", rule: "exactly 3 ASCII digits, e.g. 502")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireDigits(text, lengths: 3...3, field: field)
        stringValue = text
    }
}

/// A bank account number (口座番号): exactly 7 ASCII digits, e.g. `6818564`. Together with the
/// bank and branch codes it is assigned to one order, ever (I14). JSON form: the string.
public struct BankAccountNumber: TextFormattedValue {
    /// The 7 digits.
    public let stringValue: String

    public static let defaultFieldName = "accountNumber"
    static let format = FieldFormat(subject: "bank account number", rule: "exactly 7 ASCII digits, e.g. 6818564")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireDigits(text, lengths: 7...7, field: field)
        stringValue = text
    }
}

/// A bank account type (口座種別). Only 普通 (ordinary) is seen in the seed; other types are
/// refused until seen (DOMAIN.md §4). JSON form: `"ordinary"`.
public enum BankAccountType: String, Hashable, Sendable, Codable, CaseIterable {
    /// 普通 (ordinary deposit account).
    case ordinary

    /// The label printed on the transfer request, 普通.
    public var japaneseLabel: String {
        switch self {
        case .ordinary: "普通"
        }
    }
}

/// A qualified-invoice registration number (適格請求書発行事業者登録番号, 登録番号): `T` + 13
/// ASCII digits, e.g. `T5010005003975`, printed under 日本商工会議所 on statements and transfer
/// requests (L294, L505). A configuration constant of the document issuer. JSON form: the
/// string.
public struct QualifiedInvoiceRegistrationNumber: TextFormattedValue {
    /// "T" and the 13 digits.
    public let stringValue: String

    /// JCCI's number, the issuer of the seed's statements and transfer requests.
    public static let japanChamberOfCommerce = try! QualifiedInvoiceRegistrationNumber(parsing: "T5010005003975")

    public static let defaultFieldName = "issuerRegistrationNumber"
    static let format = FieldFormat(
        subject: "qualified-invoice registration number (登録番号)",
        rule: "the letter T followed by exactly 13 ASCII digits, e.g. T5010005003975")

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        let format = Self.format
        guard let first = text.first else { throw format.error(.empty, field: field) }
        guard first == "T" else {
            throw format.error(.unexpectedCharacter(position: 1, found: first, expected: "'T'"), field: field)
        }
        let digits = String(text.dropFirst())
        do {
            try format.requireDigits(digits, lengths: 13...13, field: field)
        } catch {
            // Report positions and lengths for the whole text, not for the digits after "T".
            switch error.problem {
            case .notAnASCIIDigit(let position, let found):
                throw format.error(.notAnASCIIDigit(position: position + 1, found: found), field: field)
            case .wrongLength(let actual):
                throw format.error(.wrongLength(actual: actual + 1), field: field)
            case .empty:
                throw format.error(.wrongLength(actual: 1), field: field)
            default:
                throw error
            }
        }
        stringValue = text
    }
}
