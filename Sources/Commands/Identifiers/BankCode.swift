// The codes of a one-time virtual account (ワンタイム口座, R45), as the bank assigns them via
// the PSP: bank code 0310, branch code 502, account number 6818564 in the seed (L488-491).
// Only the codes are validated; bank, branch and holder names are data from the PSP and the
// seed garbles them differently in two screenshots (Appendix A #4).

/// A bank code (金融機関コード): exactly 4 ASCII digits, e.g. `0310`. JSON form: the string.
public struct BankCode: CheckedTextIdentifier {
    public static let textFormat = DigitCodeFormat(
        field: "bankCode", subject: "bank code", rule: "exactly 4 ASCII digits, e.g. 0310", lengths: 4...4)
    /// The 4 digits.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
