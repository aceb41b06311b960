/// A chamber staff member's ID (会議所担当者の商工会議所ユーザーID).
///
/// Opaque, 1-128 characters, no surrounding whitespace or control characters. JSON form: the
/// string.
public struct StaffId: CheckedTextIdentifier {
    public static let textFormat = OpaqueTokenFormat(field: "staffId", subject: "staff ID", maximumLength: 128)
    /// The ID as given.
    public let stringValue: String

    public init(checkedText: String) { stringValue = checkedText }
}
