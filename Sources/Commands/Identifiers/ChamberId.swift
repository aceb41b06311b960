/// A chamber of commerce's ID (商工会議所), e.g. `kamikochi` for the seed's test chamber.
///
/// Opaque, 1-128 characters, no surrounding whitespace or control characters. Keys
/// `tariff-<chamberId>`. JSON form: the string.
public struct ChamberId: CheckedTextIdentifier {
    public static let textFormat = OpaqueTokenFormat(field: "chamberId", subject: "chamber ID", maximumLength: 128)
    /// The ID as given, e.g. "kamikochi".
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
