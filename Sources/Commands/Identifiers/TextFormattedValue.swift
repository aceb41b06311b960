/// A value with one canonical text form: parsed with an error that names the field, and
/// `Codable` as a single JSON string (identifiers, dates).
///
/// Conforming types get `init(from:)`, `encode(to:)` and `description` from the extension
/// below. Decoding reports a malformed value as `DecodingError.dataCorrupted` whose
/// `underlyingError` is the `FieldFormatError`, with the coding path as the field name.
public protocol TextFormattedValue: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The field name used in errors when the caller names none, e.g. `receptionNo`.
    static var defaultFieldName: String { get }

    /// Parses `text`; on failure the error names `field` and the rule that was broken.
    init(parsing text: String, field: String) throws(FieldFormatError)

    /// The canonical text form: what is stored in events and embedded in stream ids.
    var stringValue: String { get }
}

extension TextFormattedValue {
    /// Parses `text`, naming `defaultFieldName` in any error.
    public init(parsing text: String) throws(FieldFormatError) {
        try self.init(parsing: text, field: Self.defaultFieldName)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let field = CodingPathText.render(decoder.codingPath) ?? Self.defaultFieldName
        do {
            try self.init(parsing: text, field: field)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: error.message, underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stringValue)
    }

    public var description: String { stringValue }
}

/// Renders a coding path the way COMMANDS.md names fields: `lines[0].productCode`.
enum CodingPathText {
    static func render(_ path: [any CodingKey]) -> String? {
        guard !path.isEmpty else { return nil }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }
}
