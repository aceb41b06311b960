import Logging
import Synchronization

/// Whether this process reaches its database, for the log (`ledger.database`): the first failure
/// that means the database is away (`DatabaseError.isUnavailable`: no connection, a lost one, a
/// server shutting down or starting) logs `database unavailable` at error with the cause, later
/// ones only at debug, and the first connection opened after that logs `database reachable again`
/// at notice with `failures` and `failedSeconds`. The pool and every subscriber's own connections
/// report here, so an outage is two lines whichever part of the process meets it; the reporters
/// log such failures of their own only at debug (`FailureLog`). A connection opened before the
/// database came back that breaks afterwards (a pooled or listening connection found dead after a
/// restart) is a leftover of the outage that ended, logged at debug, not a new outage.
public final class DatabaseAvailability: Sendable {
    /// The process's one view (like `ConnectionRegistry.shared`).
    public static let shared = DatabaseAvailability(logger: Logger(label: "ledger.database"))

    let log: FailureLog
    /// When the last outage ended.
    private let recovered = Mutex<ContinuousClock.Instant?>(nil)

    public init(logger: Logger) {
        log = FailureLog(logger: logger, level: .error, recoveryLevel: .notice, quietWhenUnavailable: false)
    }

    /// Whether an outage is going on (a failure was reported and no connection opened since).
    public var isUnavailable: Bool { log.isFailing }

    /// Reports `error`, met on a connection opened at `openedAt` (nil: opening one failed); does
    /// nothing unless it means the database is unavailable.
    public func failed(_ error: any Error, onConnectionOpenedAt openedAt: ContinuousClock.Instant? = nil) {
        guard DatabaseError.isUnavailable(error) else { return }
        if let openedAt, let recovered = recovered.withLock({ $0 }), openedAt < recovered, !log.isFailing {
            log.logger.debug(
                "a connection from before the database came back broke", metadata: Logger.Metadata.cause(error))
            return
        }
        log.failed("database unavailable", error: error, key: "unavailable")
    }

    /// Reports that a connection opened: ends an outage, if one is going on.
    public func reachable() {
        guard log.isFailing else { return }
        recovered.withLock { $0 = .now }
        log.succeeded("database reachable again")
    }
}
