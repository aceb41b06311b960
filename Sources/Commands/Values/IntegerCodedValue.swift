/// A value whose JSON form is one plain integer, checked on decoding: a raw value that
/// `init?(exactly:)` refuses is a `DecodingError.dataCorrupted` naming the field and the rule
/// (`Count`, `SignedCount`, `Yen`).
public protocol IntegerCodedValue: Codable, Sendable {
    associatedtype Raw: FixedWidthInteger & SignedInteger & Codable & Sendable
    /// The raw integer.
    var value: Raw { get }
    /// The value, or nil when `value` breaks the type's rule.
    init?(exactly value: Raw)
    /// The field named in errors when the coding path names none, e.g. `amount`.
    static var fallbackFieldName: String { get }
    /// The rule a raw value must follow, in words, e.g. "counts are ≥ 0".
    static var valueRule: String { get }
}

extension IntegerCodedValue {
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(Raw.self)
        guard let checked = Self(exactly: raw) else {
            let field = CodingPathText.render(decoder.codingPath) ?? Self.fallbackFieldName
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "\(field) is \(raw), but \(Self.valueRule)."))
        }
        self = checked
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
