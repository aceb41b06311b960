/// An identifier whose canonical text is its input once its format accepted it: the fixed-length
/// digit codes (`DigitCodeFormat`) and the opaque tokens (`OpaqueTokenFormat`) of DOMAIN.md §4.
/// A conforming type declares its format once; parsing, errors, the default field name and
/// `Codable` come from here and from `TextFormattedValue`.
public protocol CheckedTextIdentifier: TextFormattedValue {
    associatedtype Format: IdentifierTextFormat
    /// The one description of what the text must be.
    static var textFormat: Format { get }
    /// Wraps text that `textFormat` has already accepted; everything else goes through
    /// `init(parsing:field:)`.
    init(checkedText: String)
}

/// How an identifier's text is checked and made canonical.
public protocol IdentifierTextFormat: Sendable {
    /// The field name used in errors when the caller names none.
    var fieldName: String { get }
    /// The canonical text of `text`, or the error naming `field`.
    func canonicalText(_ text: String, field: String) throws(FieldFormatError) -> String
}

extension CheckedTextIdentifier {
    public static var defaultFieldName: String { textFormat.fieldName }

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        self.init(checkedText: try Self.textFormat.canonicalText(text, field: field))
    }
}
