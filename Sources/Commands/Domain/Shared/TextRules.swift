import Foundation

/// Rules for free-text fields.
enum TextRules {
    /// Non-empty after trimming, at most `maximum` characters, no control characters.
    static func require(_ text: String, field: String, maximum: Int) throws(Rejection) {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalid(field, "must not be empty")
        }
        try optional(text, field: field, maximum: maximum)
    }

    static func optional(_ text: String?, field: String, maximum: Int) throws(Rejection) {
        guard let text else { return }
        guard text.count <= maximum else { throw .invalid(field, "is longer than \(maximum) characters") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || $0.value == 0x7f })
        else { throw .invalid(field, "contains control characters") }
    }
}
