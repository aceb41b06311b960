/// A bank account number (口座番号): exactly 7 ASCII digits, e.g. `6818564`. Together with the
/// bank and branch codes it is assigned to one order, ever (I14). JSON form: the string.
public struct BankAccountNumber: CheckedTextIdentifier {
    public static let textFormat = DigitCodeFormat(
        field: "accountNumber", subject: "bank account number", rule: "exactly 7 ASCII digits, e.g. 6818564",
        lengths: 7...7)
    /// The 7 digits.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
