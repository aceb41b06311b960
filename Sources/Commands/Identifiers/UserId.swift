/// A user ID or sub-ID (ユーザーID / サブID): one login of one company.
///
/// Opaque, 1-128 characters, no surrounding whitespace or control characters. Keys
/// `cart-<userId>` and statement visibility (R27). JSON form: the string.
public struct UserId: CheckedTextIdentifier {
    public static let textFormat = OpaqueTokenFormat(field: "userId", subject: "user ID (ユーザーID)", maximumLength: 128)
    /// The ID as given, e.g. "ichiro".
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
