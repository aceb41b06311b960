/// A credit settlement number (クレジットカード決済番号): one card payment attempt.
///
/// Canonical form `yyyyMMdd-<10-digit trade reg. no.>-<5-digit sequence>`, e.g.
/// `20250317-8888000004-00001`: the JST date the attempt started, the company, and a sequence
/// per (date, company) from 00001 (DOMAIN.md §4). The seed's legacy value
/// `20220302-888000001-00003` (9-digit middle part, L191) is accepted on input and becomes
/// `20220302-0888000001-00003` (EX-4, Q16). Keys `payment-<settlementNo>`. JSON form: the
/// canonical string.
public struct SettlementNo: TextFormattedValue {
    /// The JST date the attempt started.
    public let date: JSTDate
    /// The paying company.
    public let tradeRegNo: TradeRegNo
    /// The sequence per (date, company), 1...99999.
    public let sequence: Int

    public static let defaultFieldName = "settlementNo"
    static let format = FieldFormat(
        subject: "credit settlement number (クレジットカード決済番号)",
        rule: "yyyyMMdd-<10-digit trade registration number>-<5-digit sequence from 00001>, "
            + "e.g. 20250317-8888000004-00001")

    /// The largest sequence number.
    public static let maximumSequence = 99_999

    /// The settlement number for `sequence` (1...99999) on `date` for `tradeRegNo`, or nil if
    /// the sequence is out of range.
    public init?(date: JSTDate, tradeRegNo: TradeRegNo, sequence: Int) {
        guard FieldFormat.fits(sequence: sequence, maximum: Self.maximumSequence, date: date) else { return nil }
        self.date = date
        self.tradeRegNo = tradeRegNo
        self.sequence = sequence
    }

    /// Parses the canonical form, or the legacy form with a 9-digit middle part.
    ///
    /// Reports, in this order: empty, a character that is neither an ASCII digit nor '-', the
    /// number of parts, each part's length, the date, a zero sequence.
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        let format = Self.format
        if text.isEmpty { throw format.error(.empty, field: field) }
        for (index, character) in text.enumerated() where character != "-" && !character.isASCIIDigit {
            throw format.error(.notAnASCIIDigit(position: index + 1, found: character), field: field)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw format.error(.wrongPartCount(actual: parts.count, expected: 3), field: field)
        }
        guard parts[0].count == 8 else {
            throw format.error(.wrongPartLength(part: "date", actual: parts[0].count), field: field)
        }
        guard (9...10).contains(parts[1].count) else {
            throw format.error(
                .wrongPartLength(part: "trade registration number", actual: parts[1].count), field: field)
        }
        guard parts[2].count == 5 else {
            throw format.error(.wrongPartLength(part: "sequence", actual: parts[2].count), field: field)
        }
        let dateDigits = Array(parts[0])
        let date = try format.compactDate(dateDigits[0..<8], field: field)
        let sequence = try format.sequence(parts[2], field: field)
        self.date = date
        // Cannot fail: 9 or 10 ASCII digits, checked above.
        self.tradeRegNo = try! TradeRegNo(parsing: String(parts[1]))
        self.sequence = sequence
    }

    /// The canonical form, e.g. "20250317-8888000004-00001".
    public var stringValue: String {
        "\(date.compactString)-\(tradeRegNo.stringValue)-\(ASCIIDigits.padded(sequence, width: 5))"
    }
}
