// Identifiers that DOMAIN.md §4 calls "opaque": assigned elsewhere (the identity system, the
// gateway, the bank, the issuance system) and never interpreted here. The seed shows none of
// them except the certificate number and the error code, so the checks are the minimum that
// keeps them safe to store, print and embed in stream ids: non-empty, no surrounding
// whitespace, no control characters, and a length limit (P11). The limits are our choice [I].

/// An opaque token of 1 to `maximumLength` characters without surrounding whitespace or control
/// characters, kept as given.
public struct OpaqueTokenFormat: IdentifierTextFormat {
    public let fieldName: String
    public let maximumLength: Int
    let format: FieldFormat

    /// `subject` names the identifier in errors.
    init(field: String, subject: String, maximumLength: Int) {
        fieldName = field
        self.maximumLength = maximumLength
        format = FieldFormat(
            subject: subject,
            rule: "1-\(maximumLength) characters without leading or trailing whitespace or control characters")
    }

    public func canonicalText(_ text: String, field: String) throws(FieldFormatError) -> String {
        try format.requireOpaqueToken(text, maximumLength: maximumLength, field: field)
        return text
    }
}

extension CheckedTextIdentifier where Format == OpaqueTokenFormat {
    /// The longest text accepted.
    public static var maximumLength: Int { textFormat.maximumLength }
}
