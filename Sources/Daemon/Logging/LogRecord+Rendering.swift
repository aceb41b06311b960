import Logging

extension LogRecord {
    /// One JSON object: `time`, `level`, `component`, `message` first, then the metadata keys in
    /// order. Strings are escaped as RFC 8259 requires (quotes, backslashes, control characters);
    /// other characters, Japanese text included, are written as UTF-8.
    var json: String {
        var line = "{\"time\":\(Self.quoted(time)),\"level\":\(Self.quoted(level.rawValue))"
        line += ",\"component\":\(Self.quoted(component)),\"message\":\(Self.quoted(message))"
        for (key, value) in fields { line += ",\(Self.quoted(key)):\(Self.json(value))" }
        return line + "}"
    }

    /// One line for people: `time level component: message key=value …`. Values with spaces,
    /// quotes, `=` or control characters are quoted and escaped as in JSON; a message's line
    /// breaks are written `\n`, so every event stays on one line.
    var text: String {
        var line = "\(time) \(level.rawValue) \(component): \(Self.escaped(message, quote: false))"
        for (key, value) in fields {
            let rendered: String
            switch value {
            case .string(let text): rendered = Self.needsQuotes(text) ? Self.quoted(text) : text
            default: rendered = Self.json(value)
            }
            line += " \(key)=\(rendered)"
        }
        return line
    }

    static func json(_ value: Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .number(let number): number
        case .bool(let flag): flag ? "true" : "false"
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .object(let fields):
            "{" + fields.map { quoted($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }

    static func quoted(_ text: String) -> String { "\"" + escaped(text, quote: true) + "\"" }

    static func needsQuotes(_ text: String) -> Bool {
        text.isEmpty || text.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 }
    }

    /// JSON string escaping (without the surrounding quotes); `quote: false` leaves `"` and `\` as they are.
    static func escaped(_ text: String, quote: Bool) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where quote: out += "\\\""
            case "\\" where quote: out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
