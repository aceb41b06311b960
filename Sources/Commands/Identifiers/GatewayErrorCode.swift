/// An error code reported for a failed card attempt (エラーコード), e.g. `E11310004` (L192).
///
/// Stored as received, at most 32 characters; deliberately not checked against the observed
/// shape `E` + 8 digits (DOMAIN.md §4). JSON form: the string.
public struct GatewayErrorCode: CheckedTextIdentifier {
    public static let textFormat = OpaqueTokenFormat(
        field: "errorCode", subject: "gateway error code (エラーコード)", maximumLength: 32)
    /// The code as received.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
