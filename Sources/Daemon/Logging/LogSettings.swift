import ArgumentParser
import Foundation
import Logging

/// How every `ledger` subcommand logs (docs/operations.md, Logs): the format, `LEDGER_LOG_FORMAT`
/// (`text`, the default, on a terminal or not, as journald wants it; `json` for log shippers; with
/// `--json` the default is `json`, so standard error carries JSON only), and the level,
/// `LEDGER_LOG_LEVEL` (trace … critical, default info; `LOG_LEVEL`, its old name, is still read
/// when it is unset, and ignored when not a level, as before). Read once, in `Ledger.main`, before
/// the subcommand runs; a bad value stops the program with exit 2 naming the variable.
struct LogSettings: Equatable, Sendable {
    enum Format: String, CaseIterable, Sendable { case text, json }

    var format: Format = .text
    var level: Logger.Level = .info

    static let formatVariable = "LEDGER_LOG_FORMAT"
    static let levelVariable = "LEDGER_LOG_LEVEL"
    static let oldLevelVariable = "LOG_LEVEL"
    static let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]

    /// A variable holding a value it does not take.
    struct Invalid: Error, Equatable {
        var variable: String
        var value: String
        var allowed: [String]

        var message: String { "\(variable)=\(value) is not valid: allowed are \(allowed.joined(separator: ", "))" }
        var hint: String { "set \(variable) to one of \(allowed.joined(separator: ", ")), or unset it" }
    }

    init(format: Format = .text, level: Logger.Level = .info) {
        self.format = format
        self.level = level
    }

    /// The settings the environment asks for; `json` is whether the command runs with `--json`.
    /// Values are case-insensitive; an empty one counts as unset.
    init(environment: [String: String], json: Bool = false) throws(Invalid) {
        format = json ? .json : .text
        if let text = Self.value(Self.formatVariable, environment) {
            guard let format = Format(rawValue: text.lowercased()) else {
                throw Invalid(variable: Self.formatVariable, value: text, allowed: Format.allCases.map(\.rawValue))
            }
            self.format = format
        }
        if let text = Self.value(Self.levelVariable, environment) {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw Invalid(variable: Self.levelVariable, value: text, allowed: Self.levels.map(\.rawValue))
            }
            self.level = level
        } else if let text = Self.value(Self.oldLevelVariable, environment),
            let level = Logger.Level(rawValue: text.lowercased())
        {
            self.level = level
        }
    }

    private static func value(_ name: String, _ environment: [String: String]) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// A handler for the logger labelled `label`.
    func handler(label: String, sink: LogSink = .standardError, priorityPrefix: Bool = false) -> LedgerLogHandler {
        var handler = LedgerLogHandler(label: label, format: format, level: level, sink: sink)
        handler.priorityPrefix = priorityPrefix && format == .text
        return handler
    }

    /// Makes every logger of the process (the libraries', Hummingbird's, service-lifecycle's) log
    /// through `LedgerLogHandler` with these settings. Call once.
    func bootstrap(environment: [String: String]) {
        let journal = LogSink.standardErrorIsJournal(environment)
        let settings = self
        LoggingSystem.bootstrap { label in settings.handler(label: label, priorityPrefix: journal) }
    }

    /// Reads the settings from the process's environment and bootstraps logging; a bad value is
    /// reported (naming the variable and the values it takes) and ends the program with exit 2.
    static func bootstrapProcess() throws {
        let environment = ProcessInfo.processInfo.environment
        do {
            try LogSettings(environment: environment, json: OutputMode.json).bootstrap(environment: environment)
        } catch {
            throw fail(error.message, error: .configuration, hint: error.hint)
        }
    }
}
