/// A branch code (支店コード): exactly 3 ASCII digits, e.g. `502`. JSON form: the string.
public struct BranchCode: CheckedTextIdentifier {
    public static let textFormat = DigitCodeFormat(
        field: "branchCode", subject: "branch code", rule: "exactly 3 ASCII digits, e.g. 502", lengths: 3...3)
    /// The 3 digits.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
