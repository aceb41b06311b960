import EventStore
import Foundation

/// The `ledger` executable built beside the test bundle, run as a real child process.
public enum LedgerExecutable {
    /// `.build/<triple>/debug/ledger`, next to the running test bundle.
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ledger").path
    }

    /// Runs `ledger arguments…` to completion in `directory`, with `environment` added to ours
    /// (and LEDGER_DATABASE_URL removed unless given).
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
    ) throws -> ChildProcess.Result {
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "LEDGER_DATABASE_URL")
        merged.merge(environment) { _, new in new }
        return try ChildProcess.run(path, arguments, environment: merged, directory: directory)
    }
}
