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
