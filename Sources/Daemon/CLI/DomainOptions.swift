import ArgumentParser
import Commands
import EventStore
import Foundation

/// Configuration of the domain shared by the commands that decide: the business-day calendar and
/// the chamber names printed on statements.
struct DomainOptions: ParsableArguments {
    @Option(
        help: "Holiday list replacing the built-in 2024–2027 Japanese holidays: one YYYY-MM-DD per line, '#' comments")
    var holidays: String?

    @Option(
        name: .customLong("chamber-name"),
        help: "A chamber's printed name, as id=name (repeatable), e.g. kamikochi=上高地商工会議所")
    var chamberNames: [String] = []

    func calendar() throws -> BusinessCalendar {
        guard let holidays else { return .japan }
        guard let text = try? String(contentsOfFile: holidays, encoding: .utf8) else {
            throw fail("cannot read the holiday list \(holidays)")
        }
        do {
            return try BusinessCalendar(holidayList: text)
        } catch {
            throw fail("holiday list \(holidays): \(error)")
        }
    }

    func chambers() throws -> [ChamberId: String] {
        var names: [ChamberId: String] = [:]
        for entry in chamberNames {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = try? ChamberId(parsing: parts[0]), !parts[1].isEmpty else {
                throw fail("--chamber-name must be id=name, not \(entry)")
            }
            names[id] = parts[1]
        }
        return names
    }
}
