/// An order number (注文番号): one coupon order.
///
/// Exactly 24 ASCII digits = order date `yyyyMMdd` + 10-digit trade registration number +
/// 6-digit sequence per (date, company) from 000001, e.g. `202401198888000004000001`
/// (DOMAIN.md §4, Q18). The seed also prints that order with 23 digits (L473, L514); that is a
/// typo (Appendix A #3) and is rejected, because where the missing digit belongs cannot be
/// known. Keys `couponOrder-<orderNo>`. JSON form: the 24-digit string.
public struct OrderNo: TextFormattedValue {
    /// The JST order date (購入日 / 購入申込日).
    public let date: JSTDate
    /// The ordering company.
    public let tradeRegNo: TradeRegNo
    /// The sequence per (date, company), 1...999999.
    public let sequence: Int

    public static let defaultFieldName = "orderNo"
    static let format = FieldFormat(
        subject: "order number (注文番号)",
        rule: "exactly 24 ASCII digits: yyyyMMdd + 10-digit trade registration number + "
            + "6-digit sequence from 000001, e.g. 202401198888000004000001")

    /// The largest sequence number.
    public static let maximumSequence = 999_999

    /// The order number for `sequence` (1...999999) on `date` for `tradeRegNo`, or nil if the
    /// sequence is out of range.
    public init?(date: JSTDate, tradeRegNo: TradeRegNo, sequence: Int) {
        guard FieldFormat.fits(sequence: sequence, maximum: Self.maximumSequence, date: date) else { return nil }
        self.date = date
        self.tradeRegNo = tradeRegNo
        self.sequence = sequence
    }

    /// Parses exactly 24 ASCII digits with a valid date and a non-zero sequence.
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        let format = Self.format
        try format.requireDigits(text, lengths: 24...24, field: field)
        let characters = Array(text)
        let date = try format.compactDate(characters[0..<8], field: field)
        let sequence = try format.sequence(characters[18..<24], field: field)
        self.date = date
        self.tradeRegNo = try! TradeRegNo(parsing: String(characters[8..<18]))
        self.sequence = sequence
    }

    /// The 24 digits, e.g. "202401198888000004000001".
    public var stringValue: String {
        date.compactString + tradeRegNo.stringValue + ASCIIDigits.padded(sequence, width: 6)
    }
}
