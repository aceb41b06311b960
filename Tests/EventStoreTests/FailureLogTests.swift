import EventStore
import Foundation
import Logging
import Synchronization
import Testing

/// A handler that keeps (level, message, metadata) of every line.
final class CapturedLog: Sendable {
    let lines = Mutex<[(Logger.Level, String, Logger.Metadata)]>([])

    var logger: Logger {
        var logger = Logger(label: "test.failures") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            log.lines.withLock { $0.append((event.level, event.message.description, event.metadata ?? [:])) }
        }
    }

    var levels: [Logger.Level] { lines.withLock { $0.map(\.0) } }
}

/// Issue #19 item 4: a run of failures is logged once with its cause, and its end once.
@Suite("failure log")
struct FailureLogTests {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "refused by the test" }
    }

    @Test("the first failure at its level with the cause, repeats at debug, another kind again, the recovery once")
    func runs() {
        let captured = CapturedLog()
        let log = FailureLog(logger: captured.logger, level: .error, recoveryLevel: .notice)
        log.succeeded("nothing to recover from")
        #expect(captured.levels.isEmpty)
        #expect(log.failed("it failed", error: Refused()))
        #expect(!log.failed("it failed", error: Refused()))
        #expect(log.isFailing)
        #expect(
            log.failed("it failed otherwise", error: DatabaseError(kind: .server, sqlState: "42501", message: "no")))
        log.succeeded("it works again")
        log.succeeded("it works again")
        #expect(!log.isFailing)
        #expect(captured.levels == [.error, .debug, .error, .notice])
        let lines = captured.lines.withLock { $0 }
        #expect(lines[0].2["error"] == "refused by the test")
        #expect(lines[2].2["sqlstate"] == "42501")
        #expect(lines[3].2["failures"]?.description == "3")
    }

    @Test("a failure that means the database is away is debug for the parts, and logged once by DatabaseAvailability")
    func outage() {
        let captured = CapturedLog()
        let part = FailureLog(logger: captured.logger, level: .warning)
        let gone = DatabaseError(kind: .connection, message: "connection refused")
        #expect(!part.failed("subscriber failed", error: gone))
        part.succeeded("subscriber resumed")
        #expect(captured.levels == [.debug, .debug])

        let outages = CapturedLog()
        let availability = DatabaseAvailability(logger: outages.logger)
        let before = ContinuousClock.now
        availability.failed(DatabaseError(kind: .server, sqlState: "42501", message: "not an outage"))
        #expect(!availability.isUnavailable)
        availability.failed(gone)
        availability.failed(DatabaseError(kind: .server, sqlState: "57P03", message: "starting up"))
        #expect(availability.isUnavailable)
        availability.reachable()
        availability.reachable()
        // A connection opened before the recovery that breaks now is a leftover, not a new outage.
        availability.failed(gone, onConnectionOpenedAt: before)
        #expect(!availability.isUnavailable)
        #expect(
            outages.lines.withLock { $0.map { "\($0.0) \($0.1)" } } == [
                "error database unavailable", "debug database unavailable", "notice database reachable again",
                "debug a connection from before the database came back broke",
            ])
    }
}
