import EventStore
import Foundation

/// The `ledger` executable built beside the test bundle, run as a real child process.
public enum LedgerExecutable {
    /// `.build/<triple>/debug/ledger`, next to the running test bundle.
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ledger").path
    }

    /// How long one run may take before it is killed and the test fails: far beyond any run's
    /// time under the whole suite's load, so that only a hang reaches it.
    public static let runLimit = Duration.seconds(300)

    /// Runs `ledger arguments…` to completion in `directory`, with `environment` added to ours
    /// (and LEDGER_DATABASE_URL and LEDGER_CONFIG removed unless given). Waits without holding a
    /// thread of the cooperative pool; a run past `limit` is killed and throws, with what it printed.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        limit: Duration = runLimit
    ) async throws -> ChildProcess.Result {
        let result = try await start(arguments, environment: environment, directory: directory).wait(within: limit)
        if result.timedOut {
            throw TestDatabaseError(
                "ledger \(arguments.joined(separator: " ")) did not finish within \(limit) and was killed; "
                    + "stdout: \(result.output.suffix(2_000)) stderr: \(result.errorOutput.suffix(2_000))")
        }
        return result
    }

    /// Starts `ledger arguments…` without waiting (environment as for `run`).
    public static func start(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
    ) throws -> ChildProcess.Running {
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "LEDGER_DATABASE_URL")
        merged.removeValue(forKey: "LEDGER_CONFIG")
        merged.merge(environment) { _, new in new }
        return try ChildProcess.start(path, arguments, environment: merged, directory: directory)
    }
}

extension LedgerExecutable {
    /// The same as `run`: kept for the call sites that start several runs at once.
    public static func runConcurrently(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
    ) async throws -> ChildProcess.Result {
        try await run(arguments, environment: environment, directory: directory)
    }

    /// Writes `lines` to a temporary file and returns its path.
    public static func writeLines(_ lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ledger-lines-\(UUID().uuidString).jsonl"
        ).path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
