/// An issue number (発行番号) of a credit usage statement.
///
/// Exactly 17 ASCII digits = issue date `yyyyMMdd` + 9-digit sequence per issue date, global to
/// the document issuer (JCCI), e.g. `20240703888811531` (DOMAIN.md §4, Q19). Unique in the
/// store (I13). JSON form: the 17-digit string.
public struct IssueNumber: TextFormattedValue {
    /// The JST issue date (発行日).
    public let date: JSTDate
    /// The sequence within the issue date, 1...999999999.
    public let sequence: Int

    public static let defaultFieldName = "issueNumber"
    static let format = FieldFormat(
        subject: "statement issue number (発行番号)",
        rule: "exactly 17 ASCII digits: yyyyMMdd + 9-digit sequence from 000000001, e.g. 20240703888811531")

    /// The largest sequence number.
    public static let maximumSequence = 999_999_999

    /// The issue number for `sequence` (1...999999999) on `date`, or nil if out of range.
    public init?(date: JSTDate, sequence: Int) {
        guard FieldFormat.fits(sequence: sequence, maximum: Self.maximumSequence, date: date) else { return nil }
        self.date = date
        self.sequence = sequence
    }

    /// Parses exactly 17 ASCII digits with a valid date and a non-zero sequence.
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        let format = Self.format
        try format.requireDigits(text, lengths: 17...17, field: field)
        let characters = Array(text)
        let date = try format.compactDate(characters[0..<8], field: field)
        let sequence = try format.sequence(characters[8..<17], field: field)
        self.date = date
        self.sequence = sequence
    }

    /// The 17 digits, e.g. "20240703888811531".
    public var stringValue: String {
        date.compactString + ASCIIDigits.padded(sequence, width: 9)
    }
}
