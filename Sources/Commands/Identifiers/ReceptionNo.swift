/// A reception number (発給受付番号, 受付番号): the identifier of one application.
///
/// Exactly 9 ASCII digits, zero-padded, e.g. `000004172` (DOMAIN.md §4). Opaque: the last
/// digit seems to follow the certificate kind in the seed's examples, but nothing relies on it.
/// Keys the stream `application-<receptionNo>`. JSON form: the 9-digit string.
public struct ReceptionNo: TextFormattedValue {
    /// The 9 digits, e.g. "000004172".
    public let stringValue: String

    public static let defaultFieldName = "receptionNo"
    static let format = FieldFormat(
        subject: "reception number (発給受付番号)",
        rule: "exactly 9 ASCII digits, zero-padded, e.g. 000004172")

    /// Parses exactly 9 ASCII digits.
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireDigits(text, lengths: 9...9, field: field)
        stringValue = text
    }
}
