import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

@testable import Daemon

/// Issue #19 item 4: the log handler's lines (docs/operations.md, Logs) and `LEDGER_LOG_*`.
@Suite("structured logs")
struct LogHandlerTests {
    /// The lines a handler wrote.
    final class Captured: Sendable {
        let lines = Mutex<[String]>([])
        var sink: LogSink { LogSink { line in self.lines.withLock { $0.append(line) } } }
    }

    func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    func logger(_ format: LogSettings.Format, _ captured: Captured, level: Logger.Level = .info) -> Logger {
        let settings = LogSettings(format: format, level: level)
        return Logger(label: "ledger.test") { label in settings.handler(label: label, sink: captured.sink) }
    }

    @Test("a JSON line: the four keys first, quotes, line breaks, control characters and Japanese escaped or kept")
    func jsonEscaping() throws {
        let captured = Captured()
        let logger = logger(.json, captured)
        let message = "説明 \"引用\" と\n改行\tタブ \\ バックスラッシュ \u{1}"
        logger.warning("\(message)", metadata: ["会社名": "日商テスト商事株式会社", "quote": "a \"b\"\nc"])
        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(!line.contains("\n"), "one line per event")
        #expect(line.hasPrefix(#"{"time":""#))
        #expect(line.contains(#","level":"warning","component":"ledger.test","message":"#), "\(line)")
        #expect(line.contains("日商テスト商事株式会社"), "non-ASCII written as UTF-8, not escaped: \(line)")
        #expect(line.contains(#"\u0001"#))
        let fields = try object(line)
        #expect(fields["message"] as? String == message, "the message round-trips")
        #expect(fields["会社名"] as? String == "日商テスト商事株式会社")
        #expect(fields["quote"] as? String == "a \"b\"\nc")
        #expect(fields["level"] as? String == "warning")
        #expect(fields["component"] as? String == "ledger.test")
        let time = try #require(fields["time"] as? String)
        let rfc3339 = ISO8601DateFormatter()
        rfc3339.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(rfc3339.date(from: time), "\(time)")
        #expect(abs(parsed.timeIntervalSinceNow) < 60)
        #expect(time.hasSuffix("Z"))
    }

    @Test("metadata: dictionaries flattened into dotted keys, numbers and booleans kept, the four keys protected")
    func metadataFlattening() throws {
        let captured = Captured()
        var logger = logger(.json, captured)
        logger[metadataKey: "projection"] = "coupon_balance"
        logger.error(
            "failed",
            metadata: [
                "pool": .dictionary(["inUse": .stringConvertible(3), "limits": .dictionary(["size": "16"])]),
                "durationMs": .stringConvertible(1.25), "retried": .stringConvertible(true),
                "list": .array(["a", .stringConvertible(2)]), "message": "shadowed", "level": "x",
            ])
        let line = try #require(captured.lines.withLock { $0 }.first)
        let fields = try object(line)
        #expect(fields["pool.inUse"] as? Int == 3)
        #expect(fields["pool.limits.size"] as? String == "16")
        #expect(fields["pool"] == nil)
        #expect(fields["durationMs"] as? Double == 1.25)
        #expect(fields["retried"] as? Bool == true)
        #expect((fields["list"] as? [Any])?.count == 2)
        #expect(fields["projection"] as? String == "coupon_balance", "the logger's own metadata")
        #expect(fields["message"] as? String == "failed")
        #expect(fields["meta.message"] as? String == "shadowed")
        #expect(fields["level"] as? String == "error")
        #expect(fields["meta.level"] as? String == "x")
        let keys = line.split(separator: ",").prefix(4).map { $0.split(separator: ":").first.map(String.init) ?? "" }
        #expect(keys == [#"{"time""#, #""level""#, #""component""#, #""message""#], "\(line)")
    }

    @Test("a text line: one line, values with spaces quoted, the level's filter applied")
    func textLines() throws {
        let captured = Captured()
        let logger = logger(.text, captured, level: .notice)
        logger.info("not shown")
        logger.notice(
            "two\nlines", metadata: ["error": "connection refused", "sqlstate": "08006", "n": .stringConvertible(2)])
        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(
            line.hasSuffix(#" notice ledger.test: two\nlines error="connection refused" n=2 sqlstate=08006"#), "\(line)"
        )
        #expect(!line.contains("\n"))
        #expect(LedgerLogHandler.syslogPriority(.error) == 3)
    }

    @Test("timestamps are RFC 3339 in UTC with microseconds")
    func timestamps() {
        #expect(LogRecord.timestamp(seconds: 0, microseconds: 5) == "1970-01-01T00:00:00.000005Z")
        #expect(LogRecord.timestamp(seconds: 1_796_191_337, microseconds: 123_456) == "2026-12-02T06:02:17.123456Z")
    }

    @Test("LEDGER_LOG_FORMAT and LEDGER_LOG_LEVEL: defaults, case, the old LOG_LEVEL, bad values named")
    func settings() throws {
        #expect(try LogSettings(environment: [:]) == LogSettings(format: .text, level: .info))
        #expect(try LogSettings(environment: [:], json: true).format == .json)
        #expect(
            try LogSettings(environment: ["LEDGER_LOG_FORMAT": "JSON", "LEDGER_LOG_LEVEL": "Debug"])
                == LogSettings(format: .json, level: .debug))
        #expect(try LogSettings(environment: ["LEDGER_LOG_FORMAT": "text"], json: true).format == .text)
        #expect(try LogSettings(environment: ["LOG_LEVEL": "error"]).level == .error)
        #expect(
            try LogSettings(environment: ["LOG_LEVEL": "verbose"]).level == .info, "the old name, ignored as before")
        #expect(try LogSettings(environment: ["LEDGER_LOG_LEVEL": "warning", "LOG_LEVEL": "error"]).level == .warning)
        #expect(try LogSettings(environment: ["LEDGER_LOG_LEVEL": ""]).level == .info)
        #expect(throws: LogSettings.Invalid.self) { try LogSettings(environment: ["LEDGER_LOG_LEVEL": "warn"]) }
        do {
            _ = try LogSettings(environment: ["LEDGER_LOG_FORMAT": "xml"])
            Issue.record("xml accepted")
        } catch {
            #expect(error.variable == "LEDGER_LOG_FORMAT")
            #expect(error.message == "LEDGER_LOG_FORMAT=xml is not valid: allowed are text, json")
        }
    }

    @Test("a bad LEDGER_LOG_LEVEL or LEDGER_LOG_FORMAT stops every subcommand with exit 2, naming it")
    func badValuesExit2() async throws {
        let level = try await LedgerExecutable.run(["status"], environment: ["LEDGER_LOG_LEVEL": "verbose"])
        #expect(level.status == 2)
        #expect(
            level.errorOutput.hasPrefix(
                "ledger: LEDGER_LOG_LEVEL=verbose is not valid: allowed are trace, debug, info, notice, warning, error, critical\nhint: "
            ), "\(level.errorOutput)")
        let format = try await LedgerExecutable.run(["migrate", "--json"], environment: ["LEDGER_LOG_FORMAT": "xml"])
        #expect(format.status == 2)
        let error = try #require(try object(format.errorOutput)["error"] as? [String: Any], "\(format.errorOutput)")
        #expect(error["code"] as? String == "configuration")
        #expect((error["message"] as? String)?.hasPrefix("LEDGER_LOG_FORMAT=xml") == true)
        let help = try await LedgerExecutable.run(["--help"], environment: ["LEDGER_LOG_LEVEL": "verbose"])
        #expect(help.status == 0, "--help needs no settings")
    }
}
