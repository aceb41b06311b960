import Foundation

/// A mailbox as RFC 5322 writes it: `addr@example.jp` or `Display Name <addr@example.jp>`. The
/// display name may be Japanese; it is written as an RFC 2047 encoded word.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address proper (`local@domain`): the SMTP envelope uses it.
    public var address: String
    public var displayName: String?

    /// Parses `addr@domain` or `Name <addr@domain>`; nil when it is neither, or holds a line break
    /// (a header could be injected through it).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.contains(where: \.isNewline) else { return nil }
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            displayName = name.isEmpty ? nil : name
        } else {
            address = trimmed
            displayName = nil
        }
        guard Self.isAddress(address) else { return nil }
    }

    /// The domain after the `@`, e.g. for `Message-ID`s.
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    /// The header form: the address, or the (encoded or quoted) display name and `<address>`.
    public var headerValue: String {
        guard let displayName else { return address }
        if displayName.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) {
            let escaped = displayName.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\" <\(address)>"
        }
        return EncodedWords.encode(displayName).joined(separator: " ") + " <\(address)>"
    }

    public var description: String { headerValue }

    /// One `@`, something on each side, printable ASCII without spaces or angle brackets.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0.value < 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0)
        }
    }
}
