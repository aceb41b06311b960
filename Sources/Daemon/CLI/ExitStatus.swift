import ArgumentParser
import Commands
import EventStore
import Foundation

/// Exit codes (README, docs/cli.md): 0 success, 1 a rejected command, a failed check or an
/// unexpected error, 2 bad usage or configuration (including a database whose migrations are not
/// the ones this binary needs).
enum ExitStatus {
    static let rejected = ExitCode(1)
    static let usage = ExitCode(2)
}

/// The stable codes of an error report (`{"error":{"code":…}}` in JSON mode), docs/cli.md.
enum ErrorCode: String {
    /// An unknown flag or subcommand, a missing argument, a value that does not parse (exit 2).
    case usage
    /// A setting that is missing or contradicts another, e.g. serve without a database (exit 2).
    case configuration
    /// The database could not be reached or the embedded server not started (exit 2).
    case databaseUnavailable
    /// The database has no ledger schema, or its migrations are not this binary's (exit 2).
    case schemaNotCurrent
    /// A migration failed (rolled back), changed after it was applied, or cannot be read (exit 2).
    case migrationFailed
    /// A command or check failed (exit 1).
    case failed
}

/// Whether this run reports in JSON: `--json` among the arguments (before a `--`). Errors then go
/// to stderr as one JSON object instead of `ledger: …` lines.
enum OutputMode {
    static let json: Bool = CommandLine.arguments.dropFirst().prefix { $0 != "--" }.contains("--json")
}

/// Prints an error to stderr: `ledger: message` and `hint: …` lines, or in JSON mode one line
/// `{"error":{"code":…,"message":…,"hint":…}}`. Secrets are masked (`Redaction.scrub`).
func reportError(_ message: String, code: ErrorCode, hint: String?) {
    let message = Redaction.scrub(message)
    let hint = hint.map(Redaction.scrub)
    let text: String
    if OutputMode.json {
        var fields: [String: JSONValue] = ["code": .string(code.rawValue), "message": .string(message)]
        if let hint { fields["hint"] = .string(hint) }
        text = JSONValue.object(["error": .object(fields)]).jsonText
    } else {
        text = "ledger: " + message + (hint.map { "\nhint: " + $0 } ?? "")
    }
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Reports an error (see `reportError`) and returns the exit code to throw.
func fail(
    _ message: String, code: ExitCode = ExitStatus.usage, error: ErrorCode? = nil, hint: String? = nil
) -> ExitCode {
    reportError(message, code: error ?? (code == ExitStatus.usage ? .usage : .failed), hint: hint)
    return code
}

/// The version `ledger --version` prints, with the newest migration this binary needs.
enum LedgerVersion {
    static let number = "0.19.0"

    static var text: String {
        let schema = (try? Migrator.builtIn.migrations().last).flatMap { $0 }
        return "ledger \(number) (schema \(schema.map { String(format: "%04d", $0.version) } ?? "none")"
            + (schema.map { ": \($0.name)" } ?? "") + ")"
    }
}
