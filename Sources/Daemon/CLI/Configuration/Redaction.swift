import Foundation
import Synchronization

/// Masks secrets wherever a setting's value is printed (`config show`, error messages, logs):
/// whole values of settings named secret/password/token, and inside every other value the password
/// of a URL (`scheme://user:pw@host`) and of a libpq conninfo or URI query (`password=…`).
/// The secrets of the loaded configuration are also registered, and `scrub` removes them from any
/// text (an error message that quotes part of a connection string, say).
enum Redaction {
    static let mask = "********"

    /// The value as it may be printed.
    static func display(_ value: String, for setting: Setting) -> String {
        if setting.isSecret { return value.isEmpty ? value : mask }
        var text = value
        for secret in secrets(in: value) { text = text.replacingOccurrences(of: secret, with: mask) }
        return text
    }

    /// The secret parts of a value: a URL's password and `password=` values.
    static func secrets(in value: String) -> [String] {
        var found: [String] = []
        if let password = urlPassword(value) { found.append(password) }
        found += keywordPasswords(value)
        return found.filter { !$0.isEmpty && $0 != mask }.sorted { $0.count > $1.count }
    }

    /// `user:pw@` after `://`: the userinfo ends at the last `@` before the first `/` that
    /// follows the first `@` (so an unencoded `@` or `/` in a password is still masked whole).
    static func urlPassword(_ value: String) -> String? {
        guard let scheme = value.range(of: "://") else { return nil }
        let rest = value[scheme.upperBound...]
        guard let firstAt = rest.firstIndex(of: "@") else { return nil }
        let end = rest[firstAt...].firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<end].lastIndex(of: "@") else { return nil }
        let userinfo = rest[..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return nil }
        return String(userinfo[userinfo.index(after: colon)...])
    }

    /// Values of `password = value`, `password='quoted \' value'` (conninfo) and `password=value&`
    /// (a URI's query), any case.
    static func keywordPasswords(_ value: String) -> [String] {
        var found: [String] = []
        var search = value.startIndex
        while let keyword = value.range(of: "password", options: .caseInsensitive, range: search..<value.endIndex) {
            search = keyword.upperBound
            var index = keyword.upperBound
            while index < value.endIndex, value[index] == " " { index = value.index(after: index) }
            guard index < value.endIndex, value[index] == "=" else { continue }
            index = value.index(after: index)
            while index < value.endIndex, value[index] == " " { index = value.index(after: index) }
            guard index < value.endIndex else { continue }
            var secret = ""
            if value[index] == "'" {
                index = value.index(after: index)
                let start = index
                while index < value.endIndex, value[index] != "'" {
                    if value[index] == "\\", value.index(after: index) < value.endIndex {
                        index = value.index(after: index)
                    }
                    secret.append(value[index])
                    index = value.index(after: index)
                }
                // The raw text between the quotes (escapes included) is what the value spells.
                found.append(String(value[start..<index]))
                found.append(secret)
            } else {
                let start = index
                while index < value.endIndex, !value[index].isWhitespace, value[index] != "&" {
                    index = value.index(after: index)
                }
                found.append(String(value[start..<index]))
            }
            search = index
        }
        return found
    }

    private static let registered = Mutex<Set<String>>([])

    /// Remembers the secrets of a loaded configuration, for `scrub`.
    static func register(_ settings: Settings) {
        var secrets: Set<String> = []
        for setting in Setting.allCases {
            for value in settings[setting].values {
                if setting.isSecret { secrets.insert(value) } else { secrets.formUnion(Self.secrets(in: value)) }
            }
        }
        let found = secrets.filter { !$0.isEmpty }
        registered.withLock { $0.formUnion(found) }
    }

    /// `text` with every registered secret, and every `password=` value it spells out itself,
    /// masked (a message may quote a value before the configuration is loaded).
    static func scrub(_ text: String) -> String {
        let known = registered.withLock { $0 }
        let spelled = keywordPasswords(text).filter { !$0.isEmpty && $0 != mask }
        var result = text
        for secret in known.union(spelled).sorted(by: { $0.count > $1.count }) {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return result
    }
}
