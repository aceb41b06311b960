import Logging
import Synchronization

/// One `FailureLog` per activity of a service (e.g. per scheduled command), so that one activity
/// succeeding does not end the run of another's failures and make it log again.
public final class FailureLogs: Sendable {
    public let logger: Logger
    public let level: Logger.Level
    public let recoveryLevel: Logger.Level
    private let logs = Mutex<[String: FailureLog]>([:])

    public init(logger: Logger, level: Logger.Level = .error, recoveryLevel: Logger.Level = .info) {
        self.logger = logger
        self.level = level
        self.recoveryLevel = recoveryLevel
    }

    /// The failure log of `activity`.
    public subscript(_ activity: String) -> FailureLog {
        logs.withLock { logs in
            if let log = logs[activity] { return log }
            let log = FailureLog(logger: logger, level: level, recoveryLevel: recoveryLevel)
            logs[activity] = log
            return log
        }
    }
}
