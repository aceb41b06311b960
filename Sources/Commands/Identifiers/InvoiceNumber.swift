/// The exporter's own commercial-invoice reference (インボイス番号) on an application.
///
/// Free text, **not unique and not a key**: the seed shows `inv00024680`, `NEI-0158` on ten
/// applications, `192837465`, `abc11` and `20240703` (DOMAIN.md §1.3, §4). Parsing trims
/// surrounding whitespace; the result must be non-empty, at most 100 characters [I: the limit
/// is ours], without control characters. Not to be confused with the qualified-invoice
/// registration number (登録番号 T…). As free text it is also screened for card numbers by the
/// command layer (`CardDataScreen`, I18). JSON form: the trimmed string.
public struct InvoiceNumber: TextFormattedValue {
    /// The trimmed text, e.g. "NEI-0158".
    public let stringValue: String

    public static let defaultFieldName = "invoiceNumber"
    public static let maximumLength = 100
    static let format = FieldFormat(
        subject: "invoice number (インボイス番号)",
        rule: "1-\(maximumLength) characters of free text without control characters, e.g. NEI-0158")

    /// Trims surrounding whitespace, then checks the text is non-empty, short enough and free
    /// of control characters.
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        let trimmed = text.trimmingWhitespace()
        try Self.format.requireOpaqueToken(trimmed, maximumLength: Self.maximumLength, field: field)
        stringValue = trimmed
    }
}
