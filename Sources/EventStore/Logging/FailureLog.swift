import Logging
import Synchronization

/// A run of failures of one activity, logged once: the first failure with its cause at `level`,
/// the repeats at debug (they are retries of the same thing), a failure of another kind again at
/// `level`, and the recovery once at `recoveryLevel` with how long it failed and how many times.
/// Failures that mean the database is away are logged only at debug (unless
/// `quietWhenUnavailable` is false): `DatabaseAvailability` logs that outage once for the whole
/// process. So an outage is two lines however many parts retry how often (docs/operations.md).
public final class FailureLog: Sendable {
    public let logger: Logger
    public let level: Logger.Level
    public let recoveryLevel: Logger.Level
    public let quietWhenUnavailable: Bool
    private let run = Mutex<Run?>(nil)

    struct Run {
        var since: ContinuousClock.Instant
        var failures: Int
        var key: String
        /// Whether a failure of the run was logged at `level` (else its recovery is debug too).
        var loud: Bool
    }

    public init(
        logger: Logger, level: Logger.Level = .error, recoveryLevel: Logger.Level = .info,
        quietWhenUnavailable: Bool = true
    ) {
        self.logger = logger
        self.level = level
        self.recoveryLevel = recoveryLevel
        self.quietWhenUnavailable = quietWhenUnavailable
    }

    /// Whether the activity is failing now (a failure was reported and no success since).
    public var isFailing: Bool { run.withLock { $0 != nil } }

    /// Logs a failure: at `level` when it starts a run or is of another kind than the one before
    /// (`key`, by default the error's kind and SQLSTATE), at debug otherwise or when it means the
    /// database is away. Answers whether it was logged at `level`.
    @discardableResult
    public func failed(
        _ message: @autoclosure () -> Logger.Message, error: any Error, key: String? = nil,
        metadata: Logger.Metadata = [:]
    ) -> Bool {
        let key = key ?? Self.kind(of: error)
        let quiet = quietWhenUnavailable && DatabaseError.isUnavailable(error)
        let loud = run.withLock { run -> Bool in
            var current = run ?? Run(since: .now, failures: 0, key: key, loud: false)
            let news = run == nil || current.key != key || !current.loud
            current.failures += 1
            current.key = key
            let loud = news && !quiet
            if loud { current.loud = true }
            run = current
            return loud
        }
        logger.log(
            level: loud ? level : .debug, message(),
            metadata: Logger.Metadata.cause(error).merging(metadata) { _, new in new })
        return loud
    }

    /// Ends a run of failures, if one is going on, logging `message` with `failures` (how many
    /// times it failed) and `failedSeconds`, at `recoveryLevel` when the run's failures were
    /// logged above debug; does nothing when none is going on.
    public func succeeded(_ message: @autoclosure () -> Logger.Message, metadata: Logger.Metadata = [:]) {
        guard
            let ended = run.withLock({ run -> Run? in
                defer { run = nil }
                return run
            })
        else { return }
        let elapsed = (ContinuousClock.now - ended.since).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        var fields: Logger.Metadata = [
            "failures": .stringConvertible(ended.failures),
            "failedSeconds": .stringConvertible((seconds * 1000).rounded() / 1000),
        ]
        fields.merge(metadata) { _, new in new }
        logger.log(level: ended.loud ? recoveryLevel : .debug, message(), metadata: fields)
    }

    /// What makes two failures "the same": the database error's kind and SQLSTATE, or the type.
    static func kind(of error: any Error) -> String {
        if let database = DatabaseError.unwrap(error) {
            return "\(database.kind)/\(database.sqlState ?? "")"
        }
        return String(reflecting: type(of: error))
    }
}
