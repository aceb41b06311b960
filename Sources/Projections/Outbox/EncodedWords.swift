import Foundation

/// RFC 2047 encoded words for header text that is not plain ASCII: `=?UTF-8?B?…?=`, each at most
/// 75 characters, split between characters (never inside one UTF-8 sequence), so that a header
/// of Japanese text folds into lines of at most 78 characters.
enum EncodedWords {
    /// UTF-8 bytes per word: 42 bytes are 56 base64 characters, which with `=?UTF-8?B?` and `?=`
    /// make 68, so `Subject: ` and the first word fit in 78 columns.
    static let bytesPerWord = 42

    /// The text as encoded words, or as itself when it is printable ASCII.
    static func encode(_ text: String) -> [String] {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) {
            return [text]
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > bytesPerWord, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words
    }

    /// A header line `Name: value`, the value encoded and folded (CRLF and a space between words).
    static func header(_ name: String, _ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return "\(name): " + encode(flat).joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }
}
