/// The bank feed's ID of one deposit. Unique in the whole store; it makes deposit recording
/// idempotent (I20). Opaque, 1-128 characters. JSON form: the string.
public struct DepositId: CheckedTextIdentifier {
    public static let textFormat = OpaqueTokenFormat(field: "depositId", subject: "bank deposit ID", maximumLength: 128)
    /// The ID as the bank feed sent it.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
