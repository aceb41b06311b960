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

extension LedgerExecutable {
    /// Runs `ledger` on a thread of its own (not the cooperative pool), so several can run at once.
    public static func runConcurrently(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
    ) async throws -> ChildProcess.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(arguments, environment: environment, directory: directory) })
            }
        }
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
