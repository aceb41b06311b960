/// A code of ASCII digits whose length is one of `lengths`, kept as given.
public struct DigitCodeFormat: IdentifierTextFormat {
    public let fieldName: String
    let format: FieldFormat
    let lengths: ClosedRange<Int>

    /// `subject` names the code in errors and `rule` says the format in words.
    init(field: String, subject: String, rule: String, lengths: ClosedRange<Int>) {
        fieldName = field
        format = FieldFormat(subject: subject, rule: rule)
        self.lengths = lengths
    }

    public func canonicalText(_ text: String, field: String) throws(FieldFormatError) -> String {
        try format.requireDigits(text, lengths: lengths, field: field)
        return text
    }
}
