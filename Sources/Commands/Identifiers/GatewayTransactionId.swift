/// The card gateway's transaction ID for a capture (GMO Epsilon). At most once per settlement
/// (I20). Opaque, 1-128 characters. JSON form: the string.
public struct GatewayTransactionId: CheckedTextIdentifier {
    public static let textFormat = OpaqueTokenFormat(
        field: "gatewayTransactionId", subject: "gateway transaction ID", maximumLength: 128)
    /// The ID as the gateway sent it.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
