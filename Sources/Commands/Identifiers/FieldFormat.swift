/// The description of one text format, and the checks the identifier types share.
struct FieldFormat: Sendable {
    /// What a value of this format is, e.g. "reception number (発給受付番号)".
    let subject: String
    /// The rule in words, e.g. "exactly 9 ASCII digits, zero-padded, e.g. 000004172".
    let rule: String

    func error(_ problem: FieldFormatError.Problem, field: String) -> FieldFormatError {
        FieldFormatError(field: field, subject: subject, rule: rule, problem: problem)
    }

    /// Checks that `text` is only ASCII digits and that its length is one of `lengths`.
    ///
    /// Reports, in this order: empty, surrounding whitespace, the first non-digit, the length.
    func requireDigits(_ text: String, lengths: ClosedRange<Int>, field: String) throws(FieldFormatError) {
        if text.isEmpty { throw error(.empty, field: field) }
        if text.first!.isWhitespace || text.last!.isWhitespace {
            throw error(.surroundingWhitespace, field: field)
        }
        var count = 0
        for character in text {
            count += 1
            if !character.isASCIIDigit {
                throw error(.notAnASCIIDigit(position: count, found: character), field: field)
            }
        }
        if !lengths.contains(count) { throw error(.wrongLength(actual: count), field: field) }
    }

    /// The date of a `yyyyMMdd` run of ASCII digits already checked to be digits.
    func compactDate(_ digits: ArraySlice<Character>, field: String) throws(FieldFormatError) -> JSTDate {
        let start = digits.startIndex
        let year = ASCIIDigits.value(digits[start..<start + 4])
        let month = ASCIIDigits.value(digits[start + 4..<start + 6])
        let day = ASCIIDigits.value(digits[start + 6..<start + 8])
        guard let date = JSTDate(year: year, month: month, day: day) else {
            throw error(.invalidDate(year: year, month: month, day: day), field: field)
        }
        return date
    }

    /// The value of a sequence part of ASCII digits already checked to be digits; zero is refused.
    func sequence(_ digits: some Sequence<Character>, field: String) throws(FieldFormatError) -> Int {
        let sequence = ASCIIDigits.value(digits)
        guard sequence >= 1 else { throw error(.zeroSequence, field: field) }
        return sequence
    }

    /// Whether `sequence` on `date` fits a dated number whose sequence runs 1...`maximum`.
    static func fits(sequence: Int, maximum: Int, date: JSTDate) -> Bool {
        (1...maximum).contains(sequence) && (1...9999).contains(date.year)
    }

    /// Checks an opaque token: non-empty, no surrounding whitespace, no control characters,
    /// at most `maximumLength` characters.
    func requireOpaqueToken(_ text: String, maximumLength: Int, field: String) throws(FieldFormatError) {
        if text.isEmpty { throw error(.empty, field: field) }
        // Printable ASCII (what ids nearly always are): one character per byte, no control
        // characters, and only the space can be whitespace, so the checks below reduce to these.
        // Decoding every stored event's ids goes through here.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            let bytes = text.utf8
            if bytes.first == 0x20 || bytes.last == 0x20 { throw error(.surroundingWhitespace, field: field) }
            if bytes.count > maximumLength {
                throw error(.tooLong(actual: bytes.count, maximum: maximumLength), field: field)
            }
            return
        }
        if text.first!.isWhitespace || text.last!.isWhitespace {
            throw error(.surroundingWhitespace, field: field)
        }
        var count = 0
        for character in text {
            count += 1
            if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw error(.controlCharacter(position: count), field: field)
            }
        }
        if count > maximumLength { throw error(.tooLong(actual: count, maximum: maximumLength), field: field) }
    }
}

extension Character {
    /// True for the ten ASCII digits 0-9 only (not full-width or other scripts' digits).
    var isASCIIDigit: Bool {
        guard let ascii = asciiValue else { return false }
        return (0x30...0x39).contains(ascii)
    }
}

/// Integer value of a string known to hold only ASCII digits and to fit in `Int`.
enum ASCIIDigits {
    static func value<S: Sequence<Character>>(_ digits: S) -> Int {
        var result = 0
        for character in digits {
            result = result * 10 + Int(character.asciiValue! - 0x30)
        }
        return result
    }

    /// `value` written with at least `width` digits, left-padded with zeros.
    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
