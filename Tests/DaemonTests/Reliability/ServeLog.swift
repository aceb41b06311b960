import Foundation

/// What `ledger serve` wrote on stderr with `LEDGER_LOG_FORMAT=json`, parsed line by line and
/// checked against the keys docs/operations.md documents (Logs): every line one JSON object with
/// `time` (RFC 3339 UTC with fractional seconds), `level` (a swift-log level), `component` and
/// `message` (non-empty strings).
struct ServeLog {
    struct Line {
        var fields: [String: Any]
        var text: String
        var component: String { fields["component"] as? String ?? "" }
        var message: String { fields["message"] as? String ?? "" }
        var level: String { fields["level"] as? String ?? "" }
        subscript(_ key: String) -> Any? { fields[key] }
        func string(_ key: String) -> String? { fields[key] as? String }
        func number(_ key: String) -> Double? { (fields[key] as? NSNumber).map(\.doubleValue) }
    }

    static let levels: Set<String> = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    var lines: [Line] = []
    /// Lines that break the contract, each with why.
    var problems: [String] = []

    init(_ output: String) {
        let rfc3339 = ISO8601DateFormatter()
        rfc3339.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if text.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
                let fields = object as? [String: Any]
            else {
                problems.append("not a JSON object: \(text.prefix(300))")
                continue
            }
            let line = Line(fields: fields, text: text)
            if let time = line.string("time"), time.hasSuffix("Z"), time.contains("."), rfc3339.date(from: time) != nil
            {
            } else {
                problems.append("time is not RFC 3339 UTC with fractional seconds: \(text.prefix(300))")
            }
            if !Self.levels.contains(line.level) { problems.append("level: \(text.prefix(300))") }
            if line.component.isEmpty { problems.append("no component: \(text.prefix(300))") }
            if line.message.isEmpty { problems.append("no message: \(text.prefix(300))") }
            lines.append(line)
        }
    }

    func with(component: String, message: String) -> [Line] {
        lines.filter { $0.component == component && $0.message == message }
    }

    /// The access-log lines (`ledger.http` with a `route`).
    var requests: [Line] { lines.filter { $0.component == "ledger.http" && $0["route"] != nil } }
}
