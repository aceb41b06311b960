/// A field's text is not in the format its type requires (DOMAIN.md §4).
///
/// The message names the field, what the value should be, and what was wrong, so a caller can
/// fix the input without reading the spec. It never repeats the whole input (free text may hold
/// personal or card data); at most it quotes the one offending character.
/// The command layer reports it as `invalidCommand` with `field` as the path.
public struct FieldFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What exactly was wrong with the text.
    public enum Problem: Hashable, Sendable {
        /// The text is empty.
        case empty
        /// The text has the wrong number of characters.
        case wrongLength(actual: Int)
        /// The text is longer than the type allows.
        case tooLong(actual: Int, maximum: Int)
        /// At `position` (1-based) there is `found` where an ASCII digit 0-9 must be.
        case notAnASCIIDigit(position: Int, found: Character)
        /// At `position` (1-based) there is `found` where `expected` must be.
        case unexpectedCharacter(position: Int, found: Character, expected: String)
        /// The text has `actual` parts separated by '-' where the format has `expected`.
        case wrongPartCount(actual: Int, expected: Int)
        /// The part called `part` (e.g. "sequence") has `actual` characters, which is wrong.
        case wrongPartLength(part: String, actual: Int)
        /// The digits spell no calendar date (e.g. 2024-02-30).
        case invalidDate(year: Int, month: Int, day: Int)
        /// A sequence number is zero; sequences start at 1.
        case zeroSequence
        /// The text starts or ends with whitespace.
        case surroundingWhitespace
        /// The text contains a control character (a newline, tab, NUL, ...) at `position` (1-based).
        case controlCharacter(position: Int)
    }

    /// The field as the caller knows it, e.g. `receptionNo` or `lines[0].productCode`.
    public let field: String
    /// What the value should be, e.g. "reception number (発給受付番号)".
    public let subject: String
    /// The rule, e.g. "exactly 9 ASCII digits, zero-padded, e.g. 000004172".
    public let rule: String
    /// What was wrong.
    public let problem: Problem

    public init(field: String, subject: String, rule: String, problem: Problem) {
        self.field = field
        self.subject = subject
        self.rule = rule
        self.problem = problem
    }

    /// One English sentence for people, e.g. "receptionNo is not a valid reception number
    /// (発給受付番号): it has 8 characters. Expected exactly 9 ASCII digits, …".
    public var message: String {
        "\(field) is not a valid \(subject): \(problemText). Expected \(rule)."
    }

    public var description: String { message }

    private var problemText: String {
        switch problem {
        case .empty:
            return "it is empty"
        case .wrongLength(let actual):
            return "it has \(actual) character\(actual == 1 ? "" : "s")"
        case .tooLong(let actual, let maximum):
            return "it has \(actual) characters, more than the \(maximum) allowed"
        case .notAnASCIIDigit(let position, let found):
            if let fullWidth = FullWidthDigit.asciiEquivalent(of: found) {
                return "character \(position) is the full-width digit '\(found)'; "
                    + "type the ASCII digit '\(fullWidth)' instead"
            }
            return "character \(position) is \(Self.quoted(found)), not an ASCII digit 0-9"
        case .unexpectedCharacter(let position, let found, let expected):
            return "character \(position) is \(Self.quoted(found)) where \(expected) must be"
        case .wrongPartCount(let actual, let expected):
            return "it has \(actual) part\(actual == 1 ? "" : "s") separated by '-', not \(expected)"
        case .wrongPartLength(let part, let actual):
            return "its \(part) part has \(actual) character\(actual == 1 ? "" : "s")"
        case .invalidDate(let year, let month, let day):
            return "year \(year), month \(month), day \(day) is not a calendar date"
        case .zeroSequence:
            return "its sequence number is zero, but sequences start at 1"
        case .surroundingWhitespace:
            return "it starts or ends with whitespace"
        case .controlCharacter(let position):
            return "character \(position) is a control character"
        }
    }

    private static func quoted(_ character: Character) -> String {
        let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if isControl {
            let codes = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
            return "the control character " + codes.joined(separator: " ")
        }
        return "'\(character)'"
    }
}

/// Full-width digits ０-９ (U+FF10-U+FF19), which Japanese input methods often produce.
enum FullWidthDigit {
    /// The ASCII digit a full-width digit stands for, or nil if `character` is not one.
    static func asciiEquivalent(of character: Character) -> Character? {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
            (0xFF10...0xFF19).contains(scalar.value),
            let ascii = Unicode.Scalar(scalar.value - 0xFF10 + 0x30)
        else { return nil }
        return Character(ascii)
    }
}
