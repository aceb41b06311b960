import ArgumentParser
import Commands
import EventStore
import Foundation

/// The `ledger` executable: one subcommand per job (ARCHITECTURE.md, "The ledger executable").
@main
struct Ledger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An event-sourced ledger for certificate fees, card carts and prepaid coupons, on PostgreSQL.",
        discussion: """
            Exit codes: 0 success; 1 a rejected command, a failed check or an unexpected error; 2 bad usage or \
            configuration (unknown flag, missing argument, bad value, no database, migrations not current). \
            With --json, errors are one JSON object on stderr: {"error":{"code":…,"message":…,"hint":…}}. \
            Every subcommand logs to stderr as LEDGER_LOG_FORMAT says (text, the default, or json; json by default \
            with --json) at the level of LEDGER_LOG_LEVEL (trace, debug, info (default), notice, warning, error, \
            critical); a bad value exits 2.
            """,
        version: LedgerVersion.text,
        subcommands: [
            Migrate.self, Exec.self, Project.self, Status.self, Demo.self, Verify.self, Journal.self, Events.self,
            Replay.self, Compare.self, Audit.self, Serve.self, Deposits.self, Accounts.self, CalendarCommand.self,
            Notify.self, Bench.self, ConfigCommand.self,
        ]
    )

    /// ArgumentParser's own entry point, with usage errors mapped to exit 2 (its default is 64)
    /// as a one-line reason and a hint, JSON in JSON mode; other exit codes are kept.
    static func main() async {
        do {
            var command = try parseAsRoot()
            // Before any subcommand runs (and logs): LEDGER_LOG_FORMAT and LEDGER_LOG_LEVEL. Not for
            // --help, which ArgumentParser answers with its own (internal) command.
            if String(describing: type(of: command)) != "HelpCommand" { try LogSettings.bootstrapProcess() }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            // Thrown by `fail`, which has reported it, or a plain exit status (1: a check failed).
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }  // --help, --version: printed on stdout
            var message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            if code == .validationFailure {
                message = unknownSubcommand(CommandLine.arguments.dropFirst()) ?? message
                reportError(message, code: .usage, hint: usageHint(fullMessage(for: error, columns: 1_000)))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            reportError(message, code: .failed, hint: nil)
            Foundation.exit(code.rawValue)
        }
    }

    /// "unknown subcommand 'x' of ledger journal (known: export)" when the argument where the
    /// subcommands end names none; ArgumentParser calls that an "unexpected argument".
    static func unknownSubcommand(_ arguments: ArraySlice<String>) -> String? {
        var subcommands: [any ParsableCommand.Type] = Ledger.configuration.subcommands
        var path = ["ledger"]
        for argument in arguments {
            guard !subcommands.isEmpty, !argument.hasPrefix("-") else { return nil }
            var names: [String] = []
            var next: [any ParsableCommand.Type]?
            for subcommand in subcommands {
                let name = subcommand._commandName
                names.append(name)
                if name == argument { next = subcommand.configuration.subcommands }
            }
            guard let next else {
                return "unknown subcommand '\(argument)' of \(path.joined(separator: " ")) "
                    + "(known: \(names.joined(separator: ", ")))"
            }
            subcommands = next
            path.append(argument)
        }
        return nil
    }

    /// "see `ledger status --help`", read from ArgumentParser's full message, which names the
    /// subcommand the error is about.
    static func usageHint(_ fullMessage: String) -> String {
        guard let see = fullMessage.range(of: "See '"),
            let end = fullMessage[see.upperBound...].range(of: "'")
        else { return "see `ledger --help`" }
        return "see `\(fullMessage[see.upperBound..<end.lowerBound])`"
    }
}
