/// A trade registration number (貿易登録番号) in canonical form: exactly 10 ASCII digits.
///
/// It identifies an applicant company and is the key of its coupon account
/// (`company-<tradeRegNo>`, R30). The seed shows it with 9 digits (`888000001`, L217) and with
/// 10 (`8888000004`, `0000000004`); a 9-digit value is left-padded with one `0` (Q16), so
/// parsing accepts 9 or 10 digits and always yields 10. Keep the form as issued in
/// `TradeRegNoAsIssued` for printing. JSON form: the 10-digit string.
public struct TradeRegNo: TextFormattedValue {
    /// The 10 digits, e.g. "8888000004".
    public let stringValue: String

    public static let defaultFieldName = "tradeRegNo"
    static let format = FieldFormat(
        subject: "trade registration number (貿易登録番号)",
        rule: "9 or 10 ASCII digits, e.g. 8888000004 (a 9-digit number is read with a leading 0)")

    /// Parses 9 or 10 ASCII digits; 9 digits are left-padded to 10.
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try Self.format.requireDigits(text, lengths: 9...10, field: field)
        stringValue = text.count == 10 ? text : "0" + text
    }
}

/// A trade registration number exactly as the chamber issued it: 9 or 10 ASCII digits.
///
/// Printed on statements and transfer requests (`tradeRegNoAsPrinted`,
/// `CompanyProfileRecorded.tradeRegNoAsIssued`). Its `canonical` form keys the streams.
/// JSON form: the digits as given.
public struct TradeRegNoAsIssued: TextFormattedValue {
    /// The digits as issued, e.g. "888000001".
    public let stringValue: String

    public static let defaultFieldName = "tradeRegNo"

    /// Parses 9 or 10 ASCII digits and keeps them unchanged.
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        try TradeRegNo.format.requireDigits(text, lengths: 9...10, field: field)
        stringValue = text
    }

    /// The canonical 10-digit form.
    public var canonical: TradeRegNo {
        // Cannot fail: the same format was checked when parsing.
        try! TradeRegNo(parsing: stringValue)
    }
}
