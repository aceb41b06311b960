import ArgumentParser
import Commands
import EventStore
import Foundation

/// Exit codes of ARCHITECTURE.md: 0 success, 1 a rejected command or failed check, 2 bad usage or
/// configuration.
enum ExitStatus {
    static let rejected = ExitCode(1)
    static let usage = ExitCode(2)
}

/// Prints `message` to stderr and exits with `code`.
func fail(_ message: String, code: ExitCode = ExitStatus.usage) -> ExitCode {
    FileHandle.standardError.write(Data(("ledger: " + message + "\n").utf8))
    return code
}
