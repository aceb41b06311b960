import ArgumentParser
import Commands
import EventStore
import Foundation

/// Configuration of the domain shared by the commands that decide: the chamber names printed on
/// statements (the business calendar is events: `ledger calendar`).
struct DomainOptions: ParsableArguments, SettingFlags {
    @Option(
        help: ArgumentHelp(
            "No longer taken: the calendar is shared data; publish it with `ledger calendar import FILE`",
            visibility: .hidden))
    var holidays: String?

    @Option(
        name: .customLong(Setting.chamberNames.flag!),
        help: ArgumentHelp(Setting.chamberNames.help + "; e.g. kamikochi=上高地商工会議所"))
    var chamberNames: [String] = []

    var flagValues: [Setting: [String]] { [.chamberNames: chamberNames] }

    /// Refuses `--holidays`: a calendar of one process would make processes and replays decide
    /// differently; the calendar is published as events (`ledger calendar import`).
    func validateCalendar() throws {
        guard let holidays else { return }
        throw fail(
            "--holidays \(holidays): the business calendar is no longer a per-process file; publish the list for "
                + "every process with `ledger calendar import \(holidays)` (Cabinet Office CSV or YYYY-MM-DD lines)")
    }

}

extension Settings {
    /// The chambers' printed names (`id=name` entries), checked.
    func chambers() throws -> [ChamberId: String] {
        let value = self[.chamberNames]
        var names: [ChamberId: String] = [:]
        for entry in value.values {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = try? ChamberId(parsing: parts[0]), !parts[1].isEmpty else {
                throw fail(
                    "\(value.origin) must be id=name, not \(entry.debugDescription)",
                    error: value.source == .flag ? .usage : .configuration)
            }
            names[id] = parts[1]
        }
        return names
    }
}
