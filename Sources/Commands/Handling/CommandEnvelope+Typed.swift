import Foundation

extension CommandEnvelope {
    /// The envelope of a typed command built in process (scheduler, bank imports, demo): the same
    /// JSON object a client would send — the command's fields plus `command`, `commandId`,
    /// `actor` and `at` (as `JSTTimestamp` prints it) — checked exactly as a parsed line is, so its
    /// fingerprint equals that of the equivalent JSON line and a retry answers `exists`.
    public static func make(
        _ command: some LedgerCommand, id: UUID, actor: CommandActor, at: Date? = nil
    ) -> Result<CommandEnvelope, EnvelopeFailure> {
        var members: [String: JSONValue] = [:]
        if case .object(let fields) = JSONCoding.value(command) { members = fields }
        members["command"] = .string(type(of: command).commandName)
        members["commandId"] = .string(id.uuidString.lowercased())
        members["actor"] = JSONCoding.value(actor)
        if let at { members["at"] = .string(JSTTimestamp.rfc3339(at)) }
        let body = JSONValue.object(members)
        return validate(body, raw: Data(body.jsonText.utf8))
    }
}
